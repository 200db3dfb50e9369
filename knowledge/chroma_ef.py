"""Our embedder behind Chroma's ``EmbeddingFunction`` protocol, so Chroma never falls back to its default.

Chroma's default embedding function downloads an ONNX model on first use; it must never run here. Every
collection is opened with ``KamEmbeddingFunction`` and every write and query passes vectors we computed.
Chroma rebuilds the function from its stored config when it reads a collection's configuration; that
copy is lazy and only embeds if it is actually called.
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.embedder import Embedder, EmbedderError, WordLlamaEmbedder

EF_NAME = "kam-embedder"


@register_embedding_function
class KamEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of a kam embedder (``Embedder``)."""

    def __init__(self, embedder: Embedder | None = None, *, embedder_name: str | None = None) -> None:
        self._embedder = embedder
        self._embedder_name = embedder.name if embedder is not None else (embedder_name or "unknown")

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's protocol names it so
        return list(self._resolve().embed(list(input)))

    def _resolve(self) -> Embedder:
        if self._embedder is None:
            if not self._embedder_name.startswith("wordllama-"):
                raise EmbedderError(
                    f"collection embedded with {self._embedder_name!r}: open it through knowledge.index.Knowledge"
                )
            self._embedder = WordLlamaEmbedder()
        return self._embedder

    @staticmethod
    def name() -> str:
        return EF_NAME

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self._embedder_name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> KamEmbeddingFunction:
        return KamEmbeddingFunction(embedder_name=str(config.get("embedder", "unknown")))

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]
