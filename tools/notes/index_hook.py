"""The index hook: after a commit, the notes stored or removed since reach the search index (the outbox).

``tools.runner`` calls it once after every write; ``knowledge.outbox`` does the work.
"""

from __future__ import annotations

import logging
from typing import Any

from store.db import Database

log = logging.getLogger(__name__)


def index_pending_notes(db: Database, knowledge: Any) -> Any:
    """After the commit: index the notes stored or removed since (the outbox). Never fails the caller: a note
    not indexed now stays in the outbox and is indexed on the next drain or start."""
    if knowledge is None:
        return None
    from knowledge.outbox import drain

    try:
        return drain(db, knowledge)
    except Exception:  # the index is a copy; SQL has the note, and the outbox keeps it pending
        log.warning("indexing stored notes failed; they stay in the outbox", exc_info=True)
        return None
