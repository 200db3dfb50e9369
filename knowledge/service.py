"""The knowledge index as a process uses it: a cache of SQL that may be away, and is answered around.

``IndexService`` stands in front of ``Knowledge`` (Chroma plus the embedder) and keeps three promises:

- **Searches always answer.** While the index cannot be used (a Chroma server restarting, or the embedded
  index owned by another process), notes are searched from SQL (``knowledge.sql_search``) and guidance from
  the corpus itself, lexically; ``degraded`` then says why, for the tools to tell the user.
- **One owner for the embedded index.** Without a Chroma server, only the process holding the data dir's
  ``index.lock`` opens Chroma's files (``knowledge.index_lock``). The others write SQL and the outbox and
  leave the indexing to the owner; they retry the lock every ``retry_s``, so when the owner exits the next
  process takes over. With a Chroma server every process indexes, as before.
- **The outbox is drained on its own.** ``start_drainer`` runs a background thread (``kam serve``) that
  indexes pending notes every ``interval_s`` and backs off (up to ``max_backoff_s``) while the index fails:
  a note stored anywhere is searchable within seconds of the index being reachable.

A failure of an open index drops it and reopens on the next use; an embedded index reopened after a
failure is first repaired from SQL (missing and stale notes rewritten, orphans removed).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from knowledge.index_lock import IndexLock
from knowledge.records import GuidanceHit, NoteHit, NoteRecord
from knowledge.sql_search import search_notes_sql
from store.db import Database
from store.settings import Settings

log = logging.getLogger(__name__)


class IndexUnavailable(RuntimeError):
    """The index cannot be written or read by this process right now; the message says why."""


@dataclass(frozen=True)
class IndexStatus:
    """What ``/healthz`` and ``kam doctor`` report about the index."""

    backend: str  # "server" | "embedded"
    reachable: bool
    pending_notes: int | None
    problem: str | None = None
    owner_pid: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"backend": self.backend, "reachable": self.reachable, "pending_notes": self.pending_notes,
                "problem": self.problem, "owner_pid": self.owner_pid}


def _brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class IndexService:
    """The notes and guidance index of one process; see the module docstring."""

    def __init__(self, settings: Settings, db: Database, *, retry_s: float = 1.0, embedder: Any = None,
                 drain_on_open: bool = True) -> None:
        self.settings = settings
        self.drain_on_open = drain_on_open
        self.db = db
        self.retry_s = retry_s
        self._lock = None if settings.chroma_host else IndexLock(settings.data_dir / "index.lock")
        self._index: Any = None
        self._mutex = threading.RLock()
        self._problem: str | None = None
        self._retry_at = 0.0
        self._repair = False
        self._unsettled = False
        self._embedder = embedder
        self._lexical_guidance: Any = None
        self._stop = threading.Event()
        self._drainer: threading.Thread | None = None

    # -- state ----------------------------------------------------------------------------------------

    @property
    def backend(self) -> str:
        return "server" if self.settings.chroma_host else "embedded"

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from knowledge.embedder import make_embedder

            self._embedder = make_embedder(self.settings)
        return self._embedder

    @property
    def degraded(self) -> str | None:
        """Why searches are answered from SQL right now, or ``None`` when the index answers them."""
        return None if self._index is not None else self._problem or "the notes index is not open yet"

    @property
    def writable(self) -> bool:
        """Whether this process may write the index now (the outbox keeps the notes pending otherwise)."""
        return self._open() is not None

    def status(self) -> IndexStatus:
        """A live check: the index is asked for its note count (a round trip to a Chroma server)."""
        from knowledge.outbox import pending_count

        try:
            pending: int | None = pending_count(self.db)
        except Exception:  # the store is down: /healthz reports that on its own
            pending = None
        index = self._open()
        if index is not None:
            try:
                index.note_count()
            except Exception as exc:
                self._failed(index, exc)
                index = None
        owner = self._lock.holder() if self._lock is not None else None
        return IndexStatus(self.backend, index is not None, pending, None if index is not None else self.degraded,
                           owner)

    # -- opening and failing ----------------------------------------------------------------------------

    def _open(self) -> Any:
        """The open index, or ``None`` (and ``_problem`` says why); a closed one is retried every ``retry_s``."""
        if self._index is not None or time.monotonic() < self._retry_at:
            return self._index
        with self._mutex:
            if self._index is not None or time.monotonic() < self._retry_at:
                return self._index
            self._retry_at = time.monotonic() + self.retry_s
            if self._lock is not None and not self._lock.try_acquire():
                self._problem = (f"the embedded index is in use by another kam process (pid {self._lock.holder()}); "
                                 "notes are searched from SQL and that process indexes them")
                return None
            from knowledge.embedder import EmbedderError

            try:
                index = self._connect()
            except EmbedderError:
                raise  # a configuration error, not an outage: the caller must see it
            except Exception as exc:
                problem = f"the notes index is unreachable ({_brief(exc)})"
                if problem != self._problem:  # said once per outage, not once per retry
                    log.warning("%s; answering from SQL until it is back", problem)
                self._problem = problem
                return None
            if self._problem:
                log.warning("the notes index is back")
            self._index, self._problem = index, None
            return index

    def _connect(self) -> Any:
        from knowledge.index import Knowledge

        if self._repair and self._lock is not None:
            from chromadb.api.client import SharedSystemClient

            SharedSystemClient.clear_system_cache()  # a fresh client: the old one's memory may be stale
        from knowledge.note_reader import sql_note_reader

        index = Knowledge.from_settings(self.settings, embedder=self.embedder, note_reader=sql_note_reader(self.db))
        index.note_count()  # reach the server (or open the files) now, not in the middle of a request
        self._unsettled = True
        return index

    def _settle(self, index: Any) -> None:
        """After a (re)connect: repair a failed embedded index from SQL, then drain what is pending.

        Never done on the way to a search: a search may run inside the caller's write transaction, and these
        write SQL too (on SQLite that second writer would wait for the first, which waits for the search).
        """
        from knowledge.outbox import reindex, repair_on_start

        with self._mutex:
            if not self._unsettled or self._index is not index:
                return
            self._unsettled = False  # before the writes below, which come back through _require
            try:
                if self._repair:
                    report = reindex(self.db, self, full=False, guidance=False)
                    log.warning("notes index repaired from SQL: %s missing, %s stale, %s orphans",
                                len(report.missing), len(report.stale), len(report.orphans))
                    self._repair = False
                if self.drain_on_open:
                    repair_on_start(self.db, self)  # notes committed (by any process) but not yet indexed
            except BaseException:
                self._unsettled = True
                raise

    def _failed(self, index: Any, exc: BaseException) -> None:
        with self._mutex:
            if self._index is not index:
                return
            self._index = None
            self._problem = f"the notes index failed ({_brief(exc)})"
            self._retry_at = time.monotonic() + self.retry_s
            self._repair = self._lock is not None  # an embedded index that failed is checked against SQL
        log.warning("%s; answering from SQL until it is back", self._problem)

    def _require(self) -> Any:
        index = self._open()
        if index is None:
            raise IndexUnavailable(self.degraded or "the notes index is not available")
        self._settle(index)
        return index

    def _write(self, op: Callable[[Any], Any]) -> Any:
        index = self._require()
        try:
            return op(index)
        except Exception as exc:
            self._failed(index, exc)
            raise

    # -- searches: always answered ----------------------------------------------------------------------

    def search_notes(self, query: str, account_ids: Sequence[str], k: int = 5, **kwargs: Any) -> list[NoteHit]:
        """The index's note search; from SQL (lexical, same scope and dates) while the index is away."""
        index = self._open()
        if index is not None:
            try:
                return index.search_notes(query, account_ids, k, **kwargs)  # type: ignore[no-any-return]
            except Exception as exc:
                self._failed(index, exc)
        kwargs.pop("mode", None)
        return search_notes_sql(self.db, query, account_ids, k, **kwargs)

    def search_guidance(self, query: str, k: int = 4, **kwargs: Any) -> list[GuidanceHit]:
        """``Knowledge.search_guidance``; from the corpus itself (lexical) while the index is away."""
        index = self._open()
        if index is not None:
            try:
                return index.search_guidance(query, k, **kwargs)  # type: ignore[no-any-return]
            except Exception as exc:
                self._failed(index, exc)
        if self._lexical_guidance is None:
            from knowledge.index import Knowledge

            offline = Knowledge(None, self.embedder, mode="lexical", prefix=self.settings.chroma_prefix)
            offline.use_corpus_passages()
            self._lexical_guidance = offline
        return self._lexical_guidance.search_guidance(query, k, mode="lexical")  # type: ignore[no-any-return]

    # -- writes and maintenance: need the index ------------------------------------------------------------

    def upsert_notes(self, rows: Iterable[NoteRecord], **kwargs: Any) -> int:
        rows = list(rows)
        return int(self._write(lambda index: index.upsert_notes(rows, **kwargs)))

    def delete_notes(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        return int(self._write(lambda index: index.delete_notes(ids)))

    def __getattr__(self, name: str) -> Any:
        """Anything else of ``Knowledge`` (counts, fingerprints, reset, guidance upkeep) on the open index."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._require(), name)

    # -- the background drain ---------------------------------------------------------------------------------

    def drain_now(self) -> Any:
        """Index the pending outbox rows if this process may; ``None`` when it may not (they stay pending)."""
        from knowledge.outbox import drain

        index = self._open()
        if index is None:
            return None
        self._settle(index)
        return drain(self.db, self)

    def start_drainer(self, *, interval_s: float = 1.0, max_backoff_s: float = 5.0) -> None:
        """Drain the outbox every ``interval_s`` in a daemon thread, backing off while it fails."""
        if self._drainer is not None:
            return
        self._stop.clear()

        def loop() -> None:
            delay = interval_s
            while not self._stop.wait(delay):
                try:
                    self.drain_now()
                    delay = interval_s
                except Exception as exc:
                    delay = min(max_backoff_s, delay * 2)
                    log.warning("draining the notes outbox failed (%s); next try in %.0f s", _brief(exc), delay)

        self._drainer = threading.Thread(target=loop, name="kam-index-drain", daemon=True)
        self._drainer.start()

    def close(self) -> None:
        self._stop.set()
        if self._drainer is not None:
            self._drainer.join(timeout=10)
            self._drainer = None
        self._index = None
        if self._lock is not None:
            self._lock.release()
