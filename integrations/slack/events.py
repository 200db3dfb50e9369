"""Identity of inbound Slack messages: thread ids, exactly-once keys and the processed-event record.

A Slack thread is one conversation: ``slack:{team}:{channel}:{thread_ts or ts}``. A message is identified
by its own ``ts`` in its channel, which stays the same when Slack retries the event (``X-Slack-Retry-Num``),
redelivers it, or sends the same message under a new event id (an ``app_mention`` and a ``message``
event for one message): ``slack:{team}:{channel}:{ts}`` is the key the agent's writes claim, in the same
transaction as the write (``tools.runner.claim_event``). A turn that wrote nothing records its key
after replying, in its own transaction, so a late retry does not answer twice.
"""

from __future__ import annotations

import threading

from sqlalchemy.exc import IntegrityError

from store.db import Database
from store.models import ProcessedEvent

SOURCE = "slack"


def thread_id_for(team: str, channel: str, thread_ts: str | None, ts: str) -> str:
    """The conversation a message belongs to: its thread's root, or the message itself when it starts one."""
    return f"slack:{team}:{channel}:{thread_ts or ts}"


def message_event_key(team: str, channel: str, ts: str) -> str:
    """The exactly-once key of one Slack message (the same for every delivery of it)."""
    return f"slack:{team}:{channel}:{ts}"


def command_event_key(team: str, channel: str, trigger_id: str) -> str:
    """The exactly-once key of one ``/kam`` invocation (a slash command has no message ts)."""
    return f"slack:{team}:{channel}:cmd:{trigger_id}"


def is_processed(db: Database, key: str) -> bool:
    with db.session() as session:
        return session.get(ProcessedEvent, key) is not None


def record_processed(db: Database, key: str) -> bool:
    """Record ``key`` in its own transaction; ``False`` when it was recorded already (by a write or a twin)."""
    try:
        with db.write() as session:
            if session.get(ProcessedEvent, key) is not None:
                return False
            session.add(ProcessedEvent(key=key, source=SOURCE))
    except IntegrityError:
        return False  # a concurrent delivery recorded it between our check and our insert
    return True


class InFlight:
    """Keys being handled by this process right now: a second delivery of one of them is dropped."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        with self._lock:
            if key in self._keys:
                return False
            self._keys.add(key)
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self._keys.discard(key)
