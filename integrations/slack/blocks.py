"""Block Kit for the agent's answers: each tool result renders itself (``ToolResult.as_slack_blocks()``, built
from ``tools.blockkit``); this module puts one turn's results together and updates a clicked row.

The names the Slack handlers use (action ids, primitives, buttons) are re-exported from ``tools.blockkit``.
"""

from __future__ import annotations

from typing import Any

from tools.blockkit import (
    ACTION_DONE,
    ACTION_NOTE_CANCEL,
    ACTION_NOTE_CONFIRM,
    ACTION_NOTE_UNDO,
    ACTION_SNOOZE,
    COMMITMENT_ACTIONS,
    NOTE_ACTIONS,
    commitment_blocks,
    commitment_buttons,
    context,
    divider,
    fallback_text,
    header,
    mrkdwn,
    note_buttons,
    section,
    split_messages,
    text_blocks,
)
from tools.escape import slack_text
from tools.registry import typed_result

__all__ = [
    "ACTION_DONE", "ACTION_NOTE_CANCEL", "ACTION_NOTE_CONFIRM", "ACTION_NOTE_UNDO", "ACTION_SNOOZE",
    "COMMITMENT_ACTIONS", "NOTE_ACTIONS", "commitment_blocks", "commitment_buttons", "context", "fallback_text",
    "divider", "header", "mrkdwn", "note_buttons", "reply_blocks", "replace_block", "result_blocks", "section",
    "split_messages",
]


def result_blocks(name: str, result: Any) -> list[dict[str, Any]]:
    """Blocks for one successful tool result (its JSON); empty when the result cannot be rendered."""
    typed = typed_result(name, result)
    if typed is None:
        return []
    blocks = typed.as_slack_blocks()
    return blocks if any(b["type"] != "header" for b in blocks) else []


def reply_blocks(reply: str, tool_calls: list[dict[str, Any]], *, offline: bool) -> list[dict[str, Any]]:
    """The blocks of one agent turn.

    With the offline planner the reply is each tool's lead sentence plus its markdown, so the blocks are
    the lead plus the structured rendering. With a language model the model's words come first and the
    structured results follow as the evidence. A call that failed shows its message; a result that
    cannot be rendered falls back to the reply's text.
    """
    if not tool_calls:
        return text_blocks(reply) or [section(" ")]
    rendered: list[dict[str, Any]] = []
    for call in tool_calls:
        name, result = str(call.get("name")), call.get("result")
        if not call.get("ok", True) or not isinstance(result, dict):
            message = result.get("error") if isinstance(result, dict) else None
            rendered.append(section(f":warning: {slack_text(message or 'that did not work')}"))
            continue
        typed = typed_result(name, result)
        blocks = result_blocks(name, result)
        if typed is None or not blocks:
            return text_blocks(reply) + _interactive_only(tool_calls)
        sentence = typed.lead() if offline else ""
        rendered += ([section(mrkdwn(sentence))] if sentence else []) + blocks
    if offline:
        note = reply.split("\n\n", 1)[0] if reply.startswith("_(") else ""
        return ([context(mrkdwn(note))] if note else []) + rendered
    return text_blocks(reply) + [divider()] + rendered


def _interactive_only(tool_calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Buttons for results shown as plain text (a proposal's Confirm / Cancel still has to be clickable)."""
    out: list[dict[str, Any]] = []
    for call in tool_calls:
        typed = typed_result(str(call.get("name")), call.get("result")) if call.get("ok", True) else None
        if typed is not None:
            out += typed.slack_actions()
    return out


def replace_block(blocks: list[dict[str, Any]], block_id: str, new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``blocks`` with the block ``block_id`` replaced by ``new`` (how a clicked button's row is updated)."""
    out: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("block_id") == block_id:
            out.extend(new)
        else:
            out.append(block)
    return out
