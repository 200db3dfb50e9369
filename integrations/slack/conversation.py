"""One Slack message answered: who is asking, exactly once, the agent turn, and the reply in the thread.

Called on a worker thread after the request was acknowledged. A Slack user maps to a store user by
``User.slack_user_id``; anyone else gets a polite refusal and nothing else (no model call, nothing
stored). Each message is answered at most once: a delivery whose key is in flight in this process or
already recorded is dropped, writes claim the key in their own transaction (``Agent.turn(event_key=)``),
and a turn that wrote nothing records its key after replying.
"""

from __future__ import annotations

import html
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import select

from integrations.slack.app import SlackBot
from integrations.slack.assistant import WORKING_STATUS, set_status
from integrations.slack.blocks import fallback_text, reply_blocks, split_messages
from integrations.slack.events import is_processed, message_event_key, record_processed, thread_id_for
from integrations.slack.matrix_png import matrix_png
from store.db import Database
from store.models import User
from tools.matrix import MatrixResult
from tools.registry import typed_result
from tools.rules import Rules

log = logging.getLogger("kam.slack")

REFUSAL = ("Sorry, I can't help you yet: your Slack account is not linked to a kam-agent user. Ask your "
           "admin to put your Slack member id in the `slack_user_id` column of users.csv and re-import.")
Outcome = Literal["replied", "refused", "duplicate", "in_flight", "failed"]

_ANGLE = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


@dataclass(frozen=True)
class InboundMessage:
    """A message addressed to the app: a mention, a DM or a ``/kam`` command."""

    team: str
    channel: str
    slack_user: str
    text: str
    ts: str
    thread_ts: str | None = None
    key: str | None = None  # the exactly-once key; by default the message's own
    assistant: bool = False  # in an assistant thread (a DM in a thread): the status shows while the turn runs

    @property
    def thread_root(self) -> str:
        return self.thread_ts or self.ts

    @property
    def thread_id(self) -> str:
        return thread_id_for(self.team, self.channel, self.thread_ts, self.ts)

    @property
    def event_key(self) -> str:
        return self.key or message_event_key(self.team, self.channel, self.ts)


def find_user(db: Database, slack_user_id: str | None) -> User | None:
    """The store user linked to a Slack member id, or ``None``."""
    if not slack_user_id:
        return None
    with db.session() as session:
        return session.exec(select(User).where(User.slack_user_id == slack_user_id)).first()


def clean_text(text: str, bot_user_id: str | None) -> str:
    """What the user typed: the bot's mention removed, Slack's ``<...>`` markup and HTML escapes undone."""

    def unwrap(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return "" if bot_user_id and target[1:] == bot_user_id else (f"@{label}" if label else target)
        if target.startswith("#"):
            return f"#{label}" if label else target
        if target.startswith("!"):
            return label or ""
        return label or target.removeprefix("mailto:")

    return html.unescape(_ANGLE.sub(unwrap, text or "")).strip()


def handle_message(bot: SlackBot, msg: InboundMessage, client: WebClient | None = None) -> Outcome:
    """Answer ``msg`` in its thread, at most once. Runs after the request was acknowledged."""
    client = client or bot.client
    key = msg.event_key
    if not bot.inflight.claim(key):
        return "in_flight"  # a twin delivery is being answered by this process right now
    try:
        db = bot.runtime.db
        if is_processed(db, key):
            return "duplicate"
        user = find_user(db, msg.slack_user)
        if user is None:
            refuse(client, channel=msg.channel, slack_user=msg.slack_user, thread_ts=msg.thread_root)
            return "refused"
        text = clean_text(msg.text, bot.bot_user_id)
        if msg.assistant:
            set_status(client, channel=msg.channel, thread_ts=msg.thread_root, status=WORKING_STATUS)
        try:
            response = bot.runtime.agent().turn(user, text, thread_id=msg.thread_id, as_of=bot.today(), event_key=key)
        except Exception:
            error_id = uuid.uuid4().hex[:8]
            log.exception("agent turn failed for %s (error %s)", key, error_id)
            _post(client, msg.channel, msg.thread_root, f"Sorry, something went wrong on my side (error {error_id}). "
                  "Nothing was stored; please try again.", None)
            return "failed"
        calls = [c.model_dump(mode="json") for c in response.tool_calls]
        if any(_is_duplicate(c) for c in calls):
            if msg.assistant:
                set_status(client, channel=msg.channel, thread_ts=msg.thread_root, status="")
            return "duplicate"  # another delivery of this message made the write and answered it
        try:
            post_reply(client, channel=msg.channel, thread_ts=msg.thread_root, reply=response.reply, tool_calls=calls,
                       offline=(response.backend or "offline-planner") == "offline-planner", rules=bot.runtime.rules)
        finally:
            record_processed(db, key)  # read-only turns: a late retry must not answer twice
        return "replied"
    finally:
        bot.inflight.release(key)


def _is_duplicate(call: dict[str, Any]) -> bool:
    result = call.get("result")
    return not call.get("ok", True) and isinstance(result, dict) and result.get("code") == "duplicate"


def refuse(client: WebClient, *, channel: str, slack_user: str, thread_ts: str | None) -> None:
    """The polite refusal for a Slack user who is not linked to a store user (only they see it)."""
    try:
        client.chat_postEphemeral(channel=channel, user=slack_user, text=REFUSAL, thread_ts=thread_ts)
    except SlackApiError as exc:
        log.warning("could not send the refusal to %s in %s: %s", slack_user, channel, exc.response.get("error"))


def post_reply(
    client: WebClient, *, channel: str, thread_ts: str | None, reply: str, tool_calls: list[dict[str, Any]],
    offline: bool, rules: Rules | None = None,
) -> list[str]:
    """Post a turn's answer in the thread (Block Kit, split at 50 blocks) and the matrix PNG when one was asked."""
    blocks = reply_blocks(reply, tool_calls, offline=offline)
    posted: list[str] = []
    for i, chunk in enumerate(split_messages(blocks)):
        text = fallback_text(reply) if i == 0 else "(continued)"
        posted.append(_post(client, channel, thread_ts, text, chunk))
    for call in tool_calls:
        typed = typed_result(str(call.get("name")), call.get("result")) if call.get("ok", True) else None
        if isinstance(typed, MatrixResult):
            upload_matrix(client, channel=channel, thread_ts=thread_ts, result=call["result"], rules=rules)
    return posted


def _post(client: WebClient, channel: str, thread_ts: str | None, text: str, blocks: list[dict[str, Any]] | None
          ) -> str:
    response = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text or " ", blocks=blocks or None,
                                       unfurl_links=False, unfurl_media=False)
    return str(response.get("ts"))


def upload_matrix(client: WebClient, *, channel: str, thread_ts: str | None, result: dict[str, Any],
                  rules: Rules | None = None) -> None:
    """Render the matrix result (``MatrixResult``) as a PNG, with the rules file's quadrant labels, and upload it
    into the thread."""
    try:
        png = matrix_png(result, rules=rules)
        client.files_upload_v2(channel=channel, thread_ts=thread_ts, file=png, filename="kam-matrix.png",
                               title=f"KAM matrix ({result.get('scope', 'mine')}, as of {result.get('as_of', '?')})")
    except (SlackApiError, OSError, ValueError) as exc:
        log.warning("matrix upload failed in %s: %s", channel, exc)
