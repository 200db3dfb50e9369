"""Slack's assistant threads: suggested prompts when a thread starts, a "working on it" status while a turn runs.

``assistant_thread_started`` gets up to four prompts that fit the user's role: a KAM's are about their own book
(their biggest account's QBR, what is overdue, their matrix, dark contacts); a manager's about the team (drift,
dark contacts, the team matrix, commitments). A message in an assistant thread (a DM in a thread, as bolt's
``is_user_message_event_in_assistant_thread`` reads it) sets the thread's status while the agent works; the
reply posted in the thread clears it (Slack does so on the app's reply; a turn that fails clears it too).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import col, select

from store.db import Database
from store.models import Account, User

log = logging.getLogger("kam.slack")

WORKING_STATUS = "is working on it..."
PROMPTS_TITLE = "Try one of these:"
_MANAGERS = ("manager", "admin")


def suggested_prompts(db: Database, user: User | None) -> list[dict[str, str]]:
    """Up to four ``{"title", "message"}`` prompts for ``user`` (someone not linked gets how to get linked)."""
    if user is None:
        return [{"title": "How do I get access?", "message": "How do I get access to kam-agent?"}]
    if user.role in _MANAGERS:
        return [
            {"title": "Drifting accounts", "message": "Which accounts are drifting across the team?"},
            {"title": "Key contacts gone dark", "message": "Any key contacts gone dark across the team?"},
            {"title": "Team matrix", "message": "Show the team matrix"},
            {"title": "Team commitments", "message": "What's overdue across the team?"},
        ]
    prompts = [{"title": "What's overdue?", "message": "What's overdue for me?"},
               {"title": "My matrix", "message": "Show my matrix"},
               {"title": "Key contacts gone dark", "message": "Any key contacts gone dark on my accounts?"}]
    biggest = _biggest_account(db, user.id)
    if biggest:
        prompts.insert(0, {"title": f"Prep the QBR for {biggest}"[:75], "message": f"Prep my QBR for {biggest}"})
    return prompts[:4]


def _biggest_account(db: Database, user_id: str) -> str | None:
    with db.session() as session:
        row = session.exec(select(Account.name).where(Account.owner_id == user_id)
                           .order_by(col(Account.annual_revenue).desc().nulls_last(), col(Account.name))).first()
    return str(row) if row else None


def set_suggested_prompts(client: WebClient, db: Database, user: User | None, *, channel: str, thread_ts: str
                          ) -> bool:
    """Offer the prompts in a new assistant thread; ``False`` when Slack refused."""
    try:
        client.assistant_threads_setSuggestedPrompts(channel_id=channel, thread_ts=thread_ts, title=PROMPTS_TITLE,
                                                     prompts=suggested_prompts(db, user))
    except SlackApiError as exc:
        log.warning("setSuggestedPrompts in %s failed: %s", channel, exc.response.get("error"))
        return False
    return True


def set_status(client: WebClient, *, channel: str, thread_ts: str, status: str) -> bool:
    """Show (or with ``""`` clear) the thread's status; a thread that is not an assistant thread refuses it."""
    try:
        client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread_ts, status=status)
    except SlackApiError as exc:
        log.info("setStatus in %s/%s: %s", channel, thread_ts, exc.response.get("error"))
        return False
    return True


def thread_of_started(event: dict[str, Any]) -> tuple[str, str, str] | None:
    """(Slack user, channel, thread ts) of an ``assistant_thread_started`` event."""
    thread = event.get("assistant_thread") or {}
    user, channel, ts = thread.get("user_id"), thread.get("channel_id"), thread.get("thread_ts")
    return (str(user), str(channel), str(ts)) if user and channel and ts else None
