"""Bolt listeners: translate Slack payloads into calls of the use-case functions, after acknowledging.

- ``app_mention`` and direct messages (``message`` in an IM): the agent answers in the thread.
- ``/kam <request>``: acknowledged at once; the request is echoed into the channel and answered in that
  message's thread (or, where the app may not post, as a reply only the user sees).
- buttons: Confirm / Cancel / Undo on a note, Done / Snooze on a commitment; the clicked row is replaced
  by what happened (on the App Home tab, the home is published again with what happened on top).
- ``app_home_opened``: the user's home view (``integrations.slack.home``), published on every open.
- ``assistant_thread_started``: suggested prompts for the user's role (``integrations.slack.assistant``).

Events are acknowledged by bolt on arrival (``process_before_response`` is off); commands and buttons
call ``ack()`` before anything else. The listeners themselves run on the bot's worker pool.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from integrations.slack.actions import commitment_action, note_action
from integrations.slack.app import SlackBot
from integrations.slack.assistant import set_suggested_prompts, thread_of_started
from integrations.slack.blocks import (
    ACTION_DONE,
    ACTION_NOTE_CANCEL,
    ACTION_NOTE_CONFIRM,
    ACTION_NOTE_UNDO,
    ACTION_SNOOZE,
    context,
    fallback_text,
    note_buttons,
    replace_block,
    reply_blocks,
    section,
    split_messages,
)
from integrations.slack.conversation import REFUSAL, InboundMessage, find_user, handle_message, post_reply
from integrations.slack.events import command_event_key, is_processed, record_processed, thread_id_for
from integrations.slack.home import publish_home
from tools.escape import slack_text

log = logging.getLogger("kam.slack")

_IGNORED_SUBTYPES = {"message_changed", "message_deleted", "bot_message", "channel_join", "channel_leave",
                     "thread_broadcast", "message_replied"}


def register(app: App, bot: SlackBot) -> None:
    """Attach kam-agent's listeners to ``app``."""

    @app.event("app_mention")
    def on_mention(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        msg = _inbound(body, event)
        if msg is not None:
            handle_message(bot, msg, client)

    @app.event("message")
    def on_message(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") in _IGNORED_SUBTYPES or event.get("bot_id"):
            return  # channels reach the app through mentions; edits and bots are not requests
        msg = _inbound(body, event)
        if msg is not None:
            handle_message(bot, msg, client)

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab needs nothing published
        slack_user = str(event.get("user") or "")
        user = find_user(bot.runtime.db, slack_user)
        if user is None:
            _publish_unlinked(client, slack_user)
            return
        publish_home(bot.runtime, client, slack_user, user, bot.today(), images=bot.home_images)

    @app.event("assistant_thread_started")
    def on_assistant_thread(event: dict[str, Any], client: WebClient) -> None:
        started = thread_of_started(event)
        if started is not None:
            slack_user, channel, thread_ts = started
            set_suggested_prompts(client, bot.runtime.db, find_user(bot.runtime.db, slack_user), channel=channel,
                                  thread_ts=thread_ts)

    @app.event("assistant_thread_context_changed")
    def on_assistant_context(event: dict[str, Any]) -> None:
        return  # the channel the user is looking at does not change what kam-agent answers

    @app.command("/kam")
    def on_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        run_command(bot, command, client, respond)

    for action_id, kind in ((ACTION_DONE, "done"), (ACTION_SNOOZE, "snooze")):
        app.action(action_id)(_commitment_listener(bot, kind))
    for action_id, kind in ((ACTION_NOTE_CONFIRM, "confirm"), (ACTION_NOTE_CANCEL, "cancel"),
                            (ACTION_NOTE_UNDO, "undo")):
        app.action(action_id)(_note_listener(bot, kind))


def _inbound(body: dict[str, Any], event: dict[str, Any]) -> InboundMessage | None:
    team = body.get("team_id") or event.get("team") or ""
    channel, user, ts = event.get("channel"), event.get("user"), event.get("ts")
    if not (channel and ts):
        return None
    assistant = event.get("channel_type") == "im" and event.get("thread_ts") is not None
    return InboundMessage(team=team, channel=channel, slack_user=user or "", text=event.get("text") or "", ts=ts,
                          thread_ts=event.get("thread_ts"), assistant=assistant)


def run_command(bot: SlackBot, command: dict[str, Any], client: WebClient, respond: Respond) -> str:
    """Answer ``/kam <request>`` (already acknowledged): in a thread of the channel, or privately."""
    team, channel = command.get("team_id", ""), command.get("channel_id", "")
    slack_user, text = command.get("user_id", ""), (command.get("text") or "").strip()
    key = command_event_key(team, channel, command.get("trigger_id") or command.get("response_url") or "")
    if not bot.inflight.claim(key):
        return "in_flight"
    try:
        if is_processed(bot.runtime.db, key):
            return "duplicate"
        user = find_user(bot.runtime.db, slack_user)
        if user is None:
            respond(text=REFUSAL, response_type="ephemeral")
            return "refused"
        root = _echo(client, channel, slack_user, text)
        thread_id = thread_id_for(team, channel, None, root) if root else key
        try:
            response = bot.runtime.agent().turn(user, text, thread_id=thread_id, as_of=bot.today(), event_key=key)
        except Exception:
            log.exception("agent turn failed for %s", key)
            respond(text="Sorry, something went wrong on my side. Nothing was stored; please try again.",
                    response_type="ephemeral")
            return "failed"
        calls = [c.model_dump(mode="json") for c in response.tool_calls]
        offline = (response.backend or "offline-planner") == "offline-planner"
        try:
            if root:
                post_reply(client, channel=channel, thread_ts=root, reply=response.reply, tool_calls=calls,
                           offline=offline, rules=bot.runtime.rules)
            else:
                blocks = split_messages(reply_blocks(response.reply, calls, offline=offline))[0]
                respond(text=fallback_text(response.reply), blocks=blocks, response_type="ephemeral")
        finally:
            record_processed(bot.runtime.db, key)
        return "replied"
    finally:
        bot.inflight.release(key)


def _echo(client: WebClient, channel: str, slack_user: str, text: str) -> str | None:
    """Post the request into the channel so the answer has a thread; ``None`` where the app may not post."""
    try:
        shown = text if text else "(empty)"
        response = client.chat_postMessage(channel=channel, text=f"<@{slack_user}> asked: /kam {slack_text(shown)}")
        return str(response.get("ts"))
    except SlackApiError as exc:
        log.info("cannot post in %s (%s); answering privately", channel, exc.response.get("error"))
        return None


def _publish_unlinked(client: WebClient, slack_user: str) -> None:
    view = {"type": "home", "blocks": [section(REFUSAL)]}
    try:
        client.views_publish(user_id=slack_user, view=view)
    except SlackApiError as exc:
        log.warning("views.publish for %s failed: %s", slack_user, exc.response.get("error"))


def _value(body: dict[str, Any]) -> dict[str, Any]:
    action = (body.get("actions") or [{}])[0]
    try:
        value = json.loads(action.get("value") or "{}")
    except json.JSONDecodeError:
        value = {"raw": action.get("value")}
    return value if isinstance(value, dict) else {}


def _click_user(bot: SlackBot, body: dict[str, Any], respond: Respond) -> Any:
    user = find_user(bot.runtime.db, (body.get("user") or {}).get("id"))
    if user is None:
        respond(text=REFUSAL, response_type="ephemeral", replace_original=False)
    return user


def _commitment_listener(bot: SlackBot, kind: str) -> Callable[..., None]:
    def listener(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        user = _click_user(bot, body, respond)
        if user is None:
            return
        value = _value(body)
        commitment_id = str(value.get("commitment") or "")
        days = value.get("days") if isinstance(value.get("days"), int) else None
        outcome = commitment_action(bot.runtime, user, action=kind, commitment_id=commitment_id, as_of=bot.today(),
                                    days=days)
        done_mark = ":white_check_mark:" if kind == "done" else ":zzz:"
        mark = done_mark if outcome.ok else ":warning:"
        if (body.get("view") or {}).get("type") == "home":  # a click on the App Home: publish it again
            publish_home(bot.runtime, client, body["user"]["id"], user, bot.today(), images=bot.home_images,
                         notice=f"{mark} {slack_text(outcome.message)}")
            return
        _update_row(client, body, respond, f"commitment:{commitment_id}",
                    [context(f"{mark} {slack_text(outcome.message)} (<@{body['user']['id']}>)")])

    listener.__name__ = f"on_commitment_{kind}"
    return listener


def _note_listener(bot: SlackBot, kind: str) -> Callable[..., None]:
    def listener(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        user = _click_user(bot, body, respond)
        if user is None:
            return
        pending_id = str(_value(body).get("pending_id") or "")
        outcome = note_action(bot.runtime, user, action=kind, pending_id=pending_id, as_of=bot.today())
        row: list[dict[str, Any]] = [context(f"{':white_check_mark:' if outcome.ok else ':warning:'} "
                                             f"{slack_text(_first_line(outcome.message))} (<@{body['user']['id']}>)")]
        follow_up = note_buttons(pending_id, outcome.status or "") if outcome.ok and kind == "confirm" else None
        if follow_up:
            row.append(follow_up)  # a stored note offers Undo
        _update_row(client, body, respond, f"note:{pending_id}", row)

    listener.__name__ = f"on_note_{kind}"
    return listener


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()
    return text


def _update_row(client: WebClient, body: dict[str, Any], respond: Respond, block_id: str,
                new: list[dict[str, Any]]) -> None:
    """Replace the clicked row of the message (``block_id``) with ``new``; other rows keep their buttons."""
    message = body.get("message")
    blocks = list((message or {}).get("blocks") or [])
    if any(b.get("block_id") == block_id for b in blocks):
        blocks = replace_block(blocks, block_id, new)
    else:
        blocks += new  # the row is gone (an older message): say what happened below it
    if message and (body.get("channel") or {}).get("id"):
        try:
            client.chat_update(channel=body["channel"]["id"], ts=message["ts"], text=message.get("text") or " ",
                               blocks=blocks)
            return
        except SlackApiError as exc:
            log.warning("chat.update failed: %s", exc.response.get("error"))
    respond(blocks=blocks, replace_original=True, text=" ")  # an ephemeral message: update it in place
