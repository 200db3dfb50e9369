"""Embedders: WordLlama offline (no download path), the OpenAI-compatible backend over real HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest
from pydantic import SecretStr

from knowledge import embedder as emb
from knowledge.chroma_ef import EF_NAME, KamEmbeddingFunction
from knowledge.embedder import (
    Embedder,
    EmbedderError,
    OpenAIEmbedder,
    WordLlamaEmbedder,
    make_embedder,
    normalise_rows,
)
from store.settings import Settings


def test_wordllama_loads_offline_without_any_download_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import wordllama.wordllama as wl_module

    def no_network(*_a: Any, **_k: Any) -> None:
        raise AssertionError("WordLlama tried to download")

    monkeypatch.setattr(wl_module.requests, "get", no_network)
    emb._wordllama_model.cache_clear()
    model = WordLlamaEmbedder()
    assert isinstance(model, Embedder)
    assert model.dim == 256 and model.name.startswith("wordllama-")
    assert WordLlamaEmbedder()._model is model._model  # loaded once per process


def test_wordllama_vectors_are_normalised_float32_and_meaningful() -> None:
    model = WordLlamaEmbedder()
    texts = [
        "The CFO is worried about the price of the renewal",
        "Finance raised concerns that the renewal costs too much",
        "The forklift in warehouse three needs new tyres",
        "",
        "東京の顧客と価格について会議をしました",
        "pricing " * 20_000,
    ]
    vectors = model.embed(texts)
    assert vectors.shape == (6, 256) and vectors.dtype == np.float32
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[[0, 1, 2, 4, 5]], 1.0, atol=1e-5)
    assert norms[3] == 0.0  # an empty text is a zero row, never NaN
    assert not np.isnan(vectors).any()
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2] + 0.2  # similar texts closer than unrelated ones
    assert np.array_equal(model.embed(texts[:2]), vectors[:2])  # deterministic, order-independent
    assert model.embed([]).shape == (0, 256)


def test_normalise_rows_keeps_zero_rows() -> None:
    out = normalise_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert np.allclose(out, [[0.6, 0.8], [0.0, 0.0]])
    with pytest.raises(EmbedderError):
        normalise_rows(np.zeros(3))


class _StubEmbeddings(BaseHTTPRequestHandler):
    """A tiny OpenAI-compatible ``/embeddings`` server: vector = [len(text), count of 'a', 1]."""

    calls: list[dict[str, Any]] = []
    fail_next: list[int] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).calls.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if type(self).fail_next:
            self._reply(type(self).fail_next.pop(0), {"error": {"message": "model overloaded"}})
            return
        if body.get("model") == "missing":
            self._reply(404, {"error": {"message": "model 'missing' not found"}})
            return
        data = [
            {"object": "embedding", "index": i, "embedding": [float(len(t)), float(t.count("a")), 1.0]}
            for i, t in enumerate(body["input"])
        ]
        self._reply(200, {"object": "list", "data": list(reversed(data)), "model": body["model"]})

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *_args: Any) -> None:
        return


@pytest.fixture
def stub_url() -> Iterator[str]:
    _StubEmbeddings.calls = []
    _StubEmbeddings.fail_next = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubEmbeddings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_openai_embedder_batches_orders_and_normalises(stub_url: str) -> None:
    model = OpenAIEmbedder(base_url=stub_url, model="text-embedding-3-small", api_key="sk-test", batch_size=2)
    vectors = model.embed(["aaa", "", "ab", "b", "cat"])
    assert vectors.shape == (5, 3) and vectors.dtype == np.float32
    assert np.allclose(vectors[1], 0.0)  # empty text never sent, zero row
    expected = normalise_rows(np.array([[3, 3, 1], [2, 1, 1], [1, 0, 1], [3, 1, 1]], dtype=np.float32))
    assert np.allclose(vectors[[0, 2, 3, 4]], expected)  # rows back in input order despite reversed replies
    bodies = [c["body"]["input"] for c in _StubEmbeddings.calls]
    assert bodies == [["aaa", "ab"], ["b", "cat"]]
    assert all(c["path"] == "/v1/embeddings" and c["auth"] == "Bearer sk-test" for c in _StubEmbeddings.calls)
    assert model.dim == 3 and model.name == "openai-text-embedding-3-small"


def test_openai_embedder_retries_server_errors_then_reports_clearly(stub_url: str) -> None:
    model = OpenAIEmbedder(base_url=stub_url, model="m", max_retries=1)
    _StubEmbeddings.fail_next = [503]
    assert model.embed(["hello"]).shape == (1, 3)  # one retry absorbs one failure
    _StubEmbeddings.fail_next = [500, 500]
    with pytest.raises(EmbedderError, match="failed after 2 tries"):
        model.embed(["hello"])
    with pytest.raises(EmbedderError, match="HTTP 404.*not found"):
        OpenAIEmbedder(base_url=stub_url, model="missing").embed(["x"])


def test_openai_embedder_unreachable_endpoint_is_a_clear_error() -> None:
    model = OpenAIEmbedder(base_url="http://127.0.0.1:9/v1", model="m", timeout_s=2, max_retries=0)
    with pytest.raises(EmbedderError, match="127.0.0.1:9"):
        model.embed(["x"])


def test_make_embedder_follows_settings(stub_url: str) -> None:
    assert isinstance(make_embedder(Settings(env="test")), WordLlamaEmbedder)
    openai = make_embedder(
        Settings(env="test", embedder="openai", embedding_base_url=stub_url, embedding_api_key=SecretStr("k"))
    )
    assert isinstance(openai, OpenAIEmbedder) and openai.embed(["abc"]).shape == (1, 3)
    with pytest.raises(EmbedderError, match="KAM_EMBEDDING_BASE_URL"):
        make_embedder(Settings(env="test", embedder="openai"))
    with pytest.raises(EmbedderError, match="not known"):
        make_embedder(Settings(env="test", embedder="bert"))


def test_chroma_embedding_function_wraps_our_embedder() -> None:
    ef = KamEmbeddingFunction(WordLlamaEmbedder())
    assert ef.name() == EF_NAME and ef.get_config()["embedder"].startswith("wordllama-")
    out = ef(["pricing concerns"])
    assert len(out) == 1 and len(out[0]) == 256
    rebuilt = KamEmbeddingFunction.build_from_config({"embedder": "openai-x"})  # lazy: builds nothing
    with pytest.raises(EmbedderError, match="open it through"):
        rebuilt(["x"])
