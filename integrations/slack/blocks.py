"""Block Kit rendering of the agent's answers and of every tool result.

Each result gets a header, its key figures as fields (the numbers come from the tool's own JSON), its
body in mrkdwn (the tool's own markdown, with headings, bold, links and tables made readable in Slack)
and, where an action applies, buttons: Confirm / Cancel on a proposed note, Undo on a stored one,
Done / Snooze on each commitment. Slack's limits are respected: 3000 characters per section, 150 per
header, 10 fields, 50 blocks per message (``split_messages``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any, get_type_hints

from tools.compute.quadrants import Quadrant
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

_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")


# ------------------------------------------------------------------------------------------------ primitives


def header(text: str) -> dict[str, Any]:
    text = text.strip() or "kam"
    if len(text) > HEADER_CHARS:
        text = text[: HEADER_CHARS - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def section(text: str, *, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000] or " "}}
    if block_id:
        block["block_id"] = block_id[:255]
    return block


def fields(pairs: Iterable[tuple[str, str]]) -> dict[str, Any] | None:
    items = [{"type": "mrkdwn", "text": f"*{label}*\n{value}"[:2000]} for label, value in pairs][:10]
    return {"type": "section", "fields": items} if items else None


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000] or " "}]}


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
    """Markdown as Slack mrkdwn: headings and ``**bold**`` as ``*bold*``, links as ``<url|text>``, tables as
    lines of cells separated by `` · `` (Slack shows no tables)."""
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
            cells = [c.strip() for c in stripped.strip("|").split("|")]
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
    text = _LINK.sub(r"<\2|\1>", text)
    return _BOLD.sub(r"*\1*", text)


def text_blocks(markdown: str) -> list[dict[str, Any]]:
    """Markdown as section blocks, split at headings and kept under Slack's per-section limit."""
    blocks: list[dict[str, Any]] = []
    for part in _split_at_headings(markdown):
        text = mrkdwn(part)
        for chunk in _chunks(text, SECTION_CHARS):
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


def _chunks(text: str, size: int) -> list[str]:
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
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(value: Any) -> str:
    return "–" if value is None else f"{float(value):.2f}"


def _quadrant(value: Any) -> str:
    return Quadrant.label_of(value)


# ------------------------------------------------------------------------------------------------ tool results


def _model_markdown(name: str, result: dict[str, Any]) -> str | None:
    """The tool's own markdown for a JSON result: the result model rebuilt from the tool's return type."""
    from tools.registry import all_tools

    spec = all_tools().get(name)
    if spec is None:
        return None
    try:
        model = get_type_hints(spec.fn).get("return")
        if not (isinstance(model, type) and issubclass(model, ToolResult)):
            return None
        return model.model_validate(result).as_markdown()
    except Exception:  # noqa: BLE001 - a result we cannot rebuild is rendered from the reply instead
        return None


def _body(name: str, result: dict[str, Any], *, drop_heading: bool = True) -> list[dict[str, Any]]:
    markdown = _model_markdown(name, result)
    if markdown is None:
        return []
    if drop_heading:
        lines = markdown.splitlines()
        if lines and lines[0].startswith("#"):
            markdown = "\n".join(lines[1:])
    return text_blocks(markdown)


def _heading(name: str, result: dict[str, Any]) -> str | None:
    markdown = _model_markdown(name, result) or ""
    first = markdown.splitlines()[0] if markdown else ""
    return first.lstrip("#").strip() if first.startswith("#") else None


def _score(name: str, r: dict[str, Any]) -> list[dict[str, Any]]:
    title = f"{r.get('account_name', 'Account')} ({r.get('account_id', '?')}): {_quadrant(r.get('quadrant'))}"
    blocks = [header(title)]
    figures = fields([
        ("Attractiveness", _num(r.get("attractiveness"))),
        ("Supplier strength", _num(r.get("strength"))),
        ("Quadrant", _quadrant(r.get("quadrant"))),
        ("Threshold", f"{r.get('threshold', 3.0):g} (high at or above)"),
    ])
    if figures:
        blocks.append(figures)
    return blocks + _body(name, r) + [context(f"As of {r.get('as_of', '?')} · every figure from score_account's "
                                              "data and the scorer's judgment")]


def _assign(name: str, r: dict[str, Any]) -> list[dict[str, Any]]:
    title = f"{r.get('account_name', 'Account')} ({r.get('account_id', '?')}): {_quadrant(r.get('quadrant'))}"
    blocks = [header(title)]
    figures = fields([("Attractiveness", _num(r.get("attractiveness"))), ("Supplier strength", _num(r.get("strength"))),
                      ("Quadrant", r.get("quadrant_label") or _quadrant(r.get("quadrant")))])
    if figures:
        blocks.append(figures)
    return blocks + _body(name, r)


def _matrix(name: str, r: dict[str, Any]) -> list[dict[str, Any]]:
    counts = r.get("counts") or {}
    accounts = r.get("accounts") or []
    blocks = [header(_heading(name, r) or "KAM matrix")]
    figures = fields([(q.label, str(counts.get(q, 0))) for q in Quadrant if q in counts])
    if figures:
        blocks.append(figures)
    for w in (r.get("warnings") or [])[:8]:
        blocks.append(section(f":warning: {w.get('message', '')}"))
    lines = [f"• *{a.get('name')}* ({a.get('id')}): {_quadrant(a.get('quadrant'))}, attractiveness "
             f"{_num(a.get('attractiveness'))}, strength {_num(a.get('strength'))}" for a in accounts[:40]]
    if len(accounts) > 40:
        lines.append(f"… and {len(accounts) - 40} more.")
    for chunk in _chunks("\n".join(lines), SECTION_CHARS):
        blocks.append(section(chunk))
    blocks.append(context(f"As of {r.get('as_of', '?')} · axes high at {r.get('threshold', 3.0):g} or above · "
                          "the chart follows in this thread"))
    return blocks


def _drift(name: str, r: dict[str, Any]) -> list[dict[str, Any]]:
    accounts = r.get("accounts") or []
    blocks = [header(f"Drifting accounts ({r.get('scope', '?')}): {len(accounts)} of {r.get('accounts_checked', '?')}")]
    for a in accounts[:12]:
        reasons = "\n".join(f"• {x.get('detail', '')}" for x in (a.get("reasons") or [])[:5])
        blocks.append(section(
            f"*{a.get('name')}* ({a.get('id')}), owner {a.get('owner_name') or a.get('owner_id')}\n"
            f"Health {_num(a.get('health_before'))} → {_num(a.get('health_now'))}; "
            f"{_quadrant(a.get('quadrant_before'))} → {_quadrant(a.get('quadrant_now'))}\n{reasons}"
        ))
    if len(accounts) > 12:
        blocks.append(context(f"… and {len(accounts) - 12} more drifting account(s)."))
    if not accounts:
        blocks.append(section("No accounts are drifting."))
    blocks.append(context(f"{r.get('before', '?')} → {r.get('as_of', '?')} ({r.get('window_days', '?')} days), "
                          "worst first"))
    return blocks


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
    return f"*{c.get('id')}*{side} {c.get('description', '')} — {when}"


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
        groups.setdefault(f"*{c.get('account_name')}* ({c.get('account_id')})" if group_by_account else "", []
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
                rest.append(f"• {c.get('account_name')}: {commitment_line(c)}")
    if rest:
        for chunk in _chunks("\n".join([f"… and {len(rest)} more:", *rest]), SECTION_CHARS):
            blocks.append(section(chunk))
    return blocks


def _commitments(name: str, r: dict[str, Any]) -> list[dict[str, Any]]:
    items = r.get("commitments") or []
    blocks = [header(_heading(name, r) or "Commitments")]
    if r.get("rule"):
        blocks.append(context(str(r["rule"])))
    blocks += commitment_blocks(items) if items else [section("None.")]
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


def _note(name: str, r: dict[str, Any]) -> list[dict[str, Any]]:
    status = str(r.get("status", ""))
    title = {"pending": "Proposed note: confirm to store it", "stored": "Note stored", "confirmed": "Note stored",
             "question": "Before I log this note", "undone": "Note undone", "cancelled": "Note discarded"
             }.get(status, "Note")
    blocks = [header(title), *_body(name, r)]
    pending = pending_id_of(r)
    buttons = note_buttons(pending, status) if pending else None
    if buttons:
        blocks.append(buttons)
    return blocks


def _long_form(name: str, r: dict[str, Any]) -> list[dict[str, Any]]:
    """A QBR brief or an account plan: a header, then each section under a divider."""
    blocks: list[dict[str, Any]] = [header(_heading(name, r) or name.replace("_", " "))]
    body = _body(name, r)
    for i, block in enumerate(body):
        text = block.get("text", {}).get("text", "")
        if i and text.startswith("*"):
            blocks.append(divider())
        blocks.append(block)
    return blocks


def _plain(name: str, r: dict[str, Any]) -> list[dict[str, Any]]:
    heading = _heading(name, r)
    return ([header(heading)] if heading else []) + _body(name, r)


RENDERERS: dict[str, Callable[[str, dict[str, Any]], list[dict[str, Any]]]] = {
    "score_account": _score,
    "assign_quadrant": _assign,
    "show_matrix": _matrix,
    "find_drifting_accounts": _drift,
    "list_commitments": _commitments,
    "log_note": _note,
    "confirm_note": _note,
    "undo_note": _note,
    "cancel_note": _note,
    "prep_qbr": _long_form,
    "draft_plan": _long_form,
    "flag_dark_stakeholders": _plain,
    "search_notes": _plain,
    "ask_guidance": _plain,
}


def result_blocks(name: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    """Blocks for one successful tool result; empty when the result cannot be rendered."""
    renderer = RENDERERS.get(name)
    if renderer is None:
        return []
    blocks = renderer(name, result)
    return blocks if any(b["type"] != "header" for b in blocks) else []


def reply_blocks(reply: str, tool_calls: list[dict[str, Any]], *, offline: bool) -> list[dict[str, Any]]:
    """The blocks of one agent turn.

    With the offline planner the reply is each tool's lead sentence plus its markdown, so the blocks are
    the lead plus the structured rendering. With a language model the model's words come first and the
    structured results follow as the evidence. A call that failed shows its message; a result that
    cannot be rendered falls back to the reply's text.
    """
    from agent.planner.wording import lead

    if not tool_calls:
        return text_blocks(reply) or [section(" ")]
    rendered: list[dict[str, Any]] = []
    for call in tool_calls:
        name, result = str(call.get("name")), call.get("result")
        if not call.get("ok", True) or not isinstance(result, dict):
            message = result.get("error") if isinstance(result, dict) else None
            rendered.append(section(f":warning: {message or 'that did not work'}"))
            continue
        blocks = result_blocks(name, result)
        if not blocks:
            return text_blocks(reply) + _interactive_only(tool_calls)
        sentence = lead(name, result) if offline else ""
        rendered += ([section(mrkdwn(sentence))] if sentence else []) + blocks
    if offline:
        note = reply.split("\n\n", 1)[0] if reply.startswith("_(") else ""
        return ([context(mrkdwn(note))] if note else []) + rendered
    return text_blocks(reply) + [divider()] + rendered


_NOTE_TOOLS = ("log_note", "confirm_note", "undo_note", "cancel_note")


def _interactive_only(tool_calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Buttons for results shown as plain text (a proposal's Confirm / Cancel still has to be clickable)."""
    out: list[dict[str, Any]] = []
    for call in tool_calls:
        result = call.get("result")
        if call.get("ok", True) and call.get("name") in _NOTE_TOOLS and isinstance(result, dict):
            pending = pending_id_of(result)
            buttons = note_buttons(pending, str(result.get("status", ""))) if pending else None
            if buttons:
                out.append(buttons)
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
