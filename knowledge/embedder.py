"""Text embedders: WordLlama offline by default, an OpenAI-compatible ``/embeddings`` endpoint by config.

Every embedder returns float32 rows of unit length (an empty text gets a zero row), so a dot product is
the cosine similarity. Nothing here downloads anything: WordLlama's weights and tokenizer ship inside
its wheel, and the HTTP backend only talks to the endpoint the user configured.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from store.settings import Settings

if TYPE_CHECKING:  # httpx loads with the OpenAI-compatible embedder only, not with WordLlama (a one-shot chat)
    import httpx

# Longer texts are cut before embedding: an average of word vectors gains nothing past a few pages,
# and the cut bounds the memory of a padded batch.
MAX_EMBED_CHARS = 8_000
_WORDLLAMA_CONFIG = "l2_supercat"
_WORDLLAMA_DIM = 256  # the only size whose weights ship in the wheel


class EmbedderError(RuntimeError):
    """An embedder that cannot be loaded or an embedding endpoint that failed; the message says why."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors, one row per text."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32; all-zero rows stay zero (no NaN)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise EmbedderError(f"expected a 2-d array of embeddings, got shape {vectors.shape}")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    vectors[(norms == 0).ravel()] = 0.0
    return vectors


def _clip(text: str) -> str:
    return text[:MAX_EMBED_CHARS]


@functools.lru_cache(maxsize=1)
def _wordllama_model() -> Any:
    """The WordLlama model, loaded once per process from the files inside the installed wheel."""
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise EmbedderError("the 'wordllama' package is not installed (pip install wordllama)") from exc
    package_dir = Path(wordllama.__file__).parent
    try:
        # The package looks for its tokenizer in "<cache_dir>/tokenizers", which is where the wheel
        # puts it when cache_dir is the package folder; downloads stay off.
        return WordLlama.load(
            config=_WORDLLAMA_CONFIG, dim=_WORDLLAMA_DIM, cache_dir=package_dir, disable_download=True
        )
    except (FileNotFoundError, ValueError) as exc:
        raise EmbedderError(f"WordLlama could not load its bundled weights from {package_dir}: {exc}") from exc


class WordLlamaEmbedder:
    """The offline default: WordLlama ``l2_supercat`` static token embeddings, mean-pooled, 256 dims."""

    def __init__(self, batch_size: int = 256) -> None:
        self.batch_size = batch_size
        self._model = _wordllama_model()

    @property
    def name(self) -> str:
        return f"wordllama-{_WORDLLAMA_CONFIG}-{_WORDLLAMA_DIM}"

    @property
    def dim(self) -> int:
        return _WORDLLAMA_DIM

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Batches of similar lengths pad less: embed in length order, then put rows back in place.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            idx = [i for i in order[start : start + self.batch_size] if texts[i].strip()]
            if not idx:
                continue
            rows = self._model.embed([_clip(texts[i]) for i in idx], norm=False, batch_size=len(idx))
            out[idx] = rows
        return normalise_rows(out)


class OpenAIEmbedder:
    """Any OpenAI-compatible ``POST {base_url}/embeddings`` endpoint (OpenAI, Azure, vLLM, Ollama, ...)."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout_s: float = 30.0,
        max_retries: int = 2,
        batch_size: int = 128,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url:
            raise EmbedderError("the OpenAI-compatible embedder needs KAM_EMBEDDING_BASE_URL")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.batch_size = max(1, batch_size)
        self.max_retries = max(0, max_retries)
        import httpx

        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=httpx.Timeout(timeout_s), transport=transport
        )
        self._dim: int | None = None

    @property
    def name(self) -> str:
        return "openai-" + re.sub(r"[^A-Za-z0-9._-]+", "-", self.model).strip("-._")

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._request(["dimension probe"]).shape[1])
        return self._dim

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim or 0), dtype=np.float32)
        live = [i for i, t in enumerate(texts) if t.strip()]
        if not live:
            return np.zeros((len(texts), self.dim), dtype=np.float32)
        rows: list[np.ndarray] = []
        for start in range(0, len(live), self.batch_size):
            rows.append(self._request([_clip(texts[i]) for i in live[start : start + self.batch_size]]))
        dense = np.vstack(rows)
        self._dim = dense.shape[1]
        out = np.zeros((len(texts), dense.shape[1]), dtype=np.float32)
        out[live] = dense
        return normalise_rows(out)

    def _request(self, batch: list[str]) -> np.ndarray:
        import httpx

        last: Exception | None = None
        for _attempt in range(self.max_retries + 1):
            try:
                response = self._client.post("/embeddings", json={"model": self.model, "input": batch})
            except httpx.HTTPError as exc:
                last = exc
                continue
            if response.status_code >= 500 or response.status_code == 429:
                last = EmbedderError(f"HTTP {response.status_code}: {response.text[:200]}")
                continue
            if response.status_code != 200:
                raise EmbedderError(
                    f"embeddings endpoint {self.base_url}/embeddings refused the request: "
                    f"HTTP {response.status_code}: {response.text[:300]}"
                )
            return self._parse(response, len(batch))
        raise EmbedderError(
            f"embeddings endpoint {self.base_url}/embeddings failed after {self.max_retries + 1} tries: {last}"
        )

    def _parse(self, response: httpx.Response, expected: int) -> np.ndarray:
        try:
            data = sorted(response.json()["data"], key=lambda item: item["index"])
            matrix = np.asarray([item["embedding"] for item in data], dtype=np.float32)
        except (ValueError, KeyError, TypeError) as exc:
            raise EmbedderError(f"embeddings endpoint returned an unexpected body: {response.text[:300]}") from exc
        if matrix.ndim != 2 or matrix.shape[0] != expected:
            raise EmbedderError(f"embeddings endpoint returned {matrix.shape[0]} vectors for {expected} texts")
        return matrix

    def close(self) -> None:
        self._client.close()


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings choose: ``wordllama`` (default, offline) or ``openai``."""
    kind = settings.embedder.strip().lower()
    if kind == "wordllama":
        return WordLlamaEmbedder()
    if kind == "openai":
        key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
        return OpenAIEmbedder(
            base_url=settings.embedding_base_url or "",
            model=settings.embedding_model,
            api_key=key,
            timeout_s=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
        )
    raise EmbedderError(f"KAM_EMBEDDER={settings.embedder!r} is not known; use 'wordllama' or 'openai'")
