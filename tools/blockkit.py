"""Block Kit, the vocabulary of Slack messages, for results that render themselves (``as_slack_blocks()``).

Primitives (header, section, fields, context, buttons), markdown as Slack mrkdwn, and the interactive rows a
result carries: Confirm / Cancel on a proposed note, Undo on a stored one, Done / Snooze on each commitment.
Slack's limits are respected: 3000 characters per section, 150 per header, 10 fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tools.escape import md_unescape, slack_text

if TYPE_CHECKING:
    from tools.results import ToolResult

ACTION_NOTE_CONFIRM = "kam_note_confirm"
ACTION_NOTE_CANCEL = "kam_note_cancel"
ACTION_NOTE_UNDO = "kam_note_undo"
ACTION_DONE = "kam_commitment_done"
ACTION_SNOOZE = "kam_commitment_snooze"
NOTE_ACTIONS = (ACTION_NOTE_CONFIRM, ACTION_NOTE_CANCEL, ACTION_NOTE_UNDO)
COMMITMENT_ACTIONS = (ACTION_DONE, ACTION_SNOOZE)

MAX_BLOCKS = 50
SECTION_CHARS = 2900
HEADER_CHARS = 150
MAX_COMMITMENT_BUTTONS = 15
SNOOZE_DAYS = 2

_CELL = re.compile(r"(?<!\\)\|")  # a cell border; ``\|`` is a pipe inside data (``tools.escape.md_inline``)
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")


# ------------------------------------------------------------------------------------------------ primitives


def header(text: str) -> dict[str, Any]:
    text = text.strip() or "kam"
    if len(text) > HEADER_CHARS:
        text = text[: HEADER_CHARS - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def _cut(text: str, size: int) -> str:
    """``text`` cut to ``size`` characters, never inside an escape (``&lt;`` cut to ``&l`` would show raw)."""
    return text if len(text) <= size else _PARTIAL_ENTITY.sub("", text[:size])


def section(text: str, *, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, 3000) or " "}}
    if block_id:
        block["block_id"] = block_id[:255]
    return block


def fields(pairs: Iterable[tuple[str, str]]) -> dict[str, Any] | None:
    items = [{"type": "mrkdwn", "text": f"*{label}*\n{value}"[:2000]} for label, value in pairs][:10]
    return {"type": "section", "fields": items} if items else None


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(text, 3000) or " "}]}


def divider() -> dict[str, Any]:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": text[:75], "emoji": True},
                               "action_id": action_id, "value": value[:2000]}
    if style:
        element["style"] = style
    return element


def actions(block_id: str, *elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "block_id": block_id[:255], "elements": list(elements)}


def mrkdwn(markdown: str) -> str:
    """Markdown as Slack mrkdwn: headings and ``**bold**`` as ``*bold*``, tables as lines of cells separated by
    `` · `` (Slack shows no tables). ``&``, ``<`` and ``>`` are escaped: no markdown makes a Slack link or
    mention (only our code writes those, outside this function)."""
    out: list[str] = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            title = stripped.lstrip("#").strip()
            out.append(f"*{_inline(title).replace('*', '')}*" if title else "")
            continue
        if stripped.startswith("|"):
            if _TABLE_RULE.match(stripped):
                continue
            cells = [c.strip() for c in _CELL.split(stripped.strip("|"))]
            cells = [c for c in cells if c]
            out.append("• " + " · ".join(_inline(c) for c in cells) if cells else "")
            continue
        if stripped.startswith(("- ", "* ")):
            indent = "    " if line.startswith(("  ", "\t")) else ""
            out.append(f"{indent}• {_inline(stripped[2:])}")
            continue
        out.append(_inline(line))
    return "\n".join(out).strip()


def _inline(text: str) -> str:
    return _BOLD.sub(r"*\1*", slack_text(md_unescape(text)))


def text_blocks(markdown: str) -> list[dict[str, Any]]:
    """Markdown as section blocks, split at headings and kept under Slack's per-section limit."""
    blocks: list[dict[str, Any]] = []
    for part in _split_at_headings(markdown):
        text = mrkdwn(part)
        for chunk in chunks(text, SECTION_CHARS):
            if chunk.strip():
                blocks.append(section(chunk))
    return blocks


def _split_at_headings(markdown: str) -> list[str]:
    parts: list[list[str]] = [[]]
    for line in markdown.splitlines():
        if line.startswith("#") and parts[-1]:
            parts.append([])
        parts[-1].append(line)
    return ["\n".join(p) for p in parts if any(s.strip() for s in p)]


def chunks(text: str, size: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > size:  # one very long line: cut it
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:size])
            line = line[size:]
        if len(current) + len(line) > size:
            chunks.append(current)
            current = ""
        current += line
    if current:
        chunks.append(current)
    return chunks


def split_messages(blocks: list[dict[str, Any]], limit: int = MAX_BLOCKS) -> list[list[dict[str, Any]]]:
    """Blocks in messages of at most ``limit`` blocks each (Slack refuses more)."""
    return [blocks[i : i + limit] for i in range(0, len(blocks), limit)] or [[]]


def fallback_text(text: str, limit: int = 3000) -> str:
    """The plain ``text`` of a message (notifications, screen readers): the reply, shortened."""
    text = mrkdwn(text)
    return text if len(text) <= limit else _cut(text, limit - 1) + "…"


def body_blocks(result: ToolResult, *, drop_heading: bool = True) -> list[dict[str, Any]]:
    """The result's own markdown as section blocks (its heading dropped: a header block shows it)."""
    markdown = result.as_markdown()
    if drop_heading:
        lines = markdown.splitlines()
        if lines and lines[0].startswith("#"):
            markdown = "\n".join(lines[1:])
    return text_blocks(markdown)


def heading_of(result: ToolResult) -> str | None:
    """The first line of the result's markdown when it is a heading."""
    markdown = result.as_markdown()
    first = markdown.splitlines()[0] if markdown else ""
    return first.lstrip("#").strip() if first.startswith("#") else None


def commitment_line(c: dict[str, Any]) -> str:
    """One commitment in words: id, account, what, and when (overdue / due / snoozed)."""
    due = c.get("due")
    if c.get("days_overdue"):
        n = c["days_overdue"]
        when = f"due {due}, *{n} day{'s' if n != 1 else ''} overdue*"
    elif due is None:
        when = "no due date"
    elif c.get("days_until") == 0:
        when = f"due *today* ({due})"
    elif c.get("days_until") is not None:
        n = c["days_until"]
        when = f"due {due}, in {n} day{'s' if n != 1 else ''}"
    else:
        when = f"due {due}"
    if c.get("snoozed_until"):
        when += f", snoozed until {c['snoozed_until']}"
    side = "" if c.get("side", "ours") == "ours" else " (customer's)"
    return f"*{slack_text(c.get('id'))}*{side} {slack_text(c.get('description', ''))} — {when}"


def commitment_buttons(commitment_id: str) -> dict[str, Any]:
    """Done / Snooze for one commitment; the block id names it, so a click can update just this row."""
    value = json.dumps({"commitment": commitment_id})
    snooze = json.dumps({"commitment": commitment_id, "days": SNOOZE_DAYS})
    return actions(f"commitment:{commitment_id}",
                   button("Done", ACTION_DONE, value, style="primary"),
                   button(f"Snooze {SNOOZE_DAYS} days", ACTION_SNOOZE, snooze))


def commitment_blocks(items: list[dict[str, Any]], *, group_by_account: bool = True) -> list[dict[str, Any]]:
    """Commitments grouped by account, each with Done / Snooze (the first ``MAX_COMMITMENT_BUTTONS``)."""
    blocks: list[dict[str, Any]] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in items:
        title = f"*{slack_text(c.get('account_name'))}* ({slack_text(c.get('account_id'))})"
        groups.setdefault(title if group_by_account else "", []
                          ).append(c)
    shown = 0
    rest: list[str] = []
    for title, group in groups.items():
        if title and shown < MAX_COMMITMENT_BUTTONS:
            blocks.append(section(title))
        for c in group:
            if shown < MAX_COMMITMENT_BUTTONS:
                blocks.append(section(commitment_line(c), block_id=f"line:{c.get('id')}"))
                blocks.append(commitment_buttons(str(c.get("id"))))
                shown += 1
            else:
                rest.append(f"• {slack_text(c.get('account_name'))}: {commitment_line(c)}")
    if rest:
        for chunk in chunks("\n".join([f"… and {len(rest)} more:", *rest]), SECTION_CHARS):
            blocks.append(section(chunk))
    return blocks


def note_buttons(pending_id: str, status: str) -> dict[str, Any] | None:
    """Confirm / Cancel on a proposal, Undo on a stored note, nothing otherwise."""
    value = json.dumps({"pending_id": pending_id})
    if status == "pending":
        return actions(f"note:{pending_id}", button("Confirm", ACTION_NOTE_CONFIRM, value, style="primary"),
                       button("Cancel", ACTION_NOTE_CANCEL, value))
    if status in ("stored", "confirmed"):
        return actions(f"note:{pending_id}", button("Undo", ACTION_NOTE_UNDO, value, style="danger"))
    return None


def pending_id_of(result: dict[str, Any]) -> str | None:
    for key in ("pending_id", "id", "action_id"):
        value = result.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def num(value: Any) -> str:
    """A score with two decimals; a dash when there is none."""
    return "–" if value is None else f"{float(value):.2f}"


def plain_blocks(result: ToolResult) -> list[dict[str, Any]]:
    """A header from the result's heading, then its markdown."""
    heading = heading_of(result)
    return ([header(heading)] if heading else []) + body_blocks(result)


def long_form_blocks(result: ToolResult, title: str) -> list[dict[str, Any]]:
    """A QBR brief or an account plan: a header, then each section under a divider."""
    blocks: list[dict[str, Any]] = [header(heading_of(result) or title)]
    for i, block in enumerate(body_blocks(result)):
        text = block.get("text", {}).get("text", "")
        if i and text.startswith("*"):
            blocks.append(divider())
        blocks.append(block)
    return blocks
