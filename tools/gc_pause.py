"""Python's cyclic garbage collector paused while a tool computes.

A whole-portfolio tool allocates hundreds of thousands of small containers (engagement facts, criteria and
their evidence dicts) that all live until it returns. Each allocation burst triggers a collection that walks
them, again and again, although none of them is garbage yet: a fifth of ``find_drifting_accounts``' time at
1,000 accounts. Reference counting still frees everything as usual while the collector is paused; it resumes
(and catches up) when the last concurrent tool call in the process returns. Calls are bounded (a tool reads a
bounded scope and returns), so the pause is too; under a stream of overlapping calls that never leaves the
process without one, a call that returns while others run collects the young generation once a good many
allocations are pending, so cyclic garbage cannot pile up.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_PENDING = 200_000  # young allocations left uncollected by overlapping calls before one collects them
_active = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the collector for the block; nested and concurrent blocks share one pause."""
    global _active, _was_enabled
    with _lock:
        if _active == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _was_enabled:
                gc.enable()
            elif _active and gc.get_count()[0] > _PENDING:
                gc.collect(1)
