"""The model-backed note extractor (``llm.ModelExtractor``) and the factory that picks the configured one.

``make_extractor_factory(settings)`` gives the offline extractor (``tools.notes.extract``) by default, the model
one when ``settings.llm_base_url`` is set (it falls back to offline on any failure). The composition root
injects it into every tool context; the notes package (``tools/notes``) holds everything else about notes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from store.settings import Settings
from tools.notes.extract import Extractor, OfflineExtractor

__all__ = ["make_extractor_factory"]


def make_extractor_factory(settings: Settings) -> Callable[[], Extractor]:
    """A zero-argument callable returning the configured extractor, built once on first use."""
    lock = threading.Lock()
    built: list[Extractor] = []

    def factory() -> Extractor:
        with lock:
            if not built:
                if settings.llm_base_url:
                    from agent.extraction.llm import ModelExtractor

                    built.append(ModelExtractor(settings))
                else:
                    built.append(OfflineExtractor())
            return built[0]

    return factory
