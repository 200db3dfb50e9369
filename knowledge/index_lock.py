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
from pathlib import Path


class IndexLock:
    """A non-blocking exclusive ``flock`` on one file, held until ``release`` or the process's exit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if no other process holds it; True when this process holds it (now or already)."""
        if self._fd is not None:
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
        self._fd = fd
        return True

    def holder(self) -> int | None:
        """The pid recorded by the current holder (this process included), if any and readable."""
        with contextlib.suppress(OSError, ValueError):
            return int(self.path.read_text(encoding="ascii").split()[0])
        return None

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
