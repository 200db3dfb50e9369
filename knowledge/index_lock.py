"""One owner for the embedded index: an advisory file lock in the data dir.

Chroma's ``PersistentClient`` keeps its vector index in the memory of the process that opened it; a second
process writing the same files leaves the first one's copy stale ("Error finding id" on every later query).
So one process at a time owns the embedded index: the one holding ``<data dir>/index.lock``. The others
write SQL and the outbox, search notes from SQL and leave the indexing to the owner. The lock is released
by the operating system when the owner exits, however it exits, and the file records the owner's pid so
that the others can say who holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from pathlib import Path

_HELD: dict[Path, list[int]] = {}  # path: [file descriptor, holders in this process]
_HELD_LOCK = threading.Lock()


class IndexLock:
    """A non-blocking exclusive ``flock`` on one file, held until ``release`` or the process's exit.

    Ownership is per process: several holders in one process (two runtimes on the same data dir, as tests
    and the evals build) share the one lock, which goes when the last of them releases it; Chroma too keeps
    one client per directory per process.
    """

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        self._held = False

    @property
    def held(self) -> bool:
        return self._held

    def try_acquire(self) -> bool:
        """Take the lock if no other process holds it; True when this process holds it (now or already)."""
        if self._held:
            return True
        with _HELD_LOCK:
            shared = _HELD.get(self.path)
            if shared is not None:
                shared[1] += 1
                self._held = True
                return True
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            _HELD[self.path] = [fd, 1]
            self._held = True
            return True

    def holder(self) -> int | None:
        """The pid recorded by the current holder (this process included), if any and readable."""
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int(self.path.read_text(encoding="ascii").split()[0])
        return None

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        with _HELD_LOCK:
            shared = _HELD.get(self.path)
            if shared is None:
                return
            shared[1] -= 1
            if shared[1] > 0:
                return
            del _HELD[self.path]
            with contextlib.suppress(OSError):
                fcntl.flock(shared[0], fcntl.LOCK_UN)
            os.close(shared[0])
