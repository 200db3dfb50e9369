"""Logging of the ``kam`` command: warnings only on stderr, unless a command (``kam serve``) asks for more.

Libraries must not decide what a CLI user sees: WordLlama calls ``logging.basicConfig(level=INFO)`` when
imported, and httpx logs every request at INFO (``INFO:httpx: HTTP Request ...`` on each Chroma call).
Configuring the root logger first makes such a ``basicConfig`` a no-op, and the chatty libraries stay at
WARNING even when ``kam serve`` logs its own INFO lines.
"""

from __future__ import annotations

import logging

QUIET_LIBRARIES = ("httpx", "httpcore", "chromadb", "urllib3", "wordllama", "alembic", "apscheduler.executors.default")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: int = logging.WARNING) -> None:
    """Root logging at ``level`` on stderr; the libraries above at WARNING whatever ``level`` is."""
    logging.basicConfig(level=level, format=FORMAT, force=True)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
