"""Red-team findings 1 and 7 (issue 13): data never becomes a Slack mention or link, a markdown link, a table
cell or a heading, whatever renders it.

Every name, title, note, description and opportunity of a small portfolio carries the hostile strings below;
every tool is called on it (as the manager, who sees the whole team), and each result's markdown, its Slack
blocks (through ``result_blocks`` and ``reply_blocks``), the message's fallback text and the nudge DMs are
checked: nothing active comes out. The checks read the rendered output only, so they keep guarding wherever
the renderers move.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from agent_seed import AS_OF, seed
from sqlmodel import select

from integrations.nudges import plan_nudges
from integrations.runtime import Runtime
from integrations.slack.blocks import fallback_text, reply_blocks, result_blocks
from knowledge.outbox import index_all_interactions
from store.models import Account, Commitment, Interaction, Opportunity, Stakeholder, User
from store.settings import Settings
from tools.registry import all_tools, call_tool
from tools.results import ToolResult

HOSTILE = ["<!channel>", "<!here>", "<@U123>", "<https://evil.example|Olivia>", "[x](https://evil.example/md)",
           "PIPE|CELL", "\n# INJECTED heading", "\n| INJECTED | row |", "a & b"]
TAIL = " " + " ".join(HOSTILE)

# A Slack mention, special mention, channel link or link (our code writes none of these in tool output).
_SLACK_ACTIVE = re.compile(r"<[!@#]|<(?:https?|mailto):", re.I)
# A markdown link or image, raw HTML, a hostile heading / row / list item at the start of a line.
_MD_LINK = re.compile(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\(")
_MD_HTML = re.compile(r"(?<!\\)<[!@a-z/]", re.I)
_LINE_START = re.compile(r"^[\s#>|*•-]*INJECTED", re.M)


@pytest.fixture
def hostile(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime.build(settings)
    seed(rt.db)
    with rt.db.write() as s:
        for model, fields in ((User, ("name",)), (Account, ("name", "industry")),
                              (Stakeholder, ("name", "title", "department")), (Interaction, ("text",)),
                              (Commitment, ("description",))):
            for row in s.exec(select(model)).all():
                for name in fields:
                    setattr(row, name, (getattr(row, name) or "") + TAIL)
                s.add(row)
        s.add(Opportunity(id="O001", account_id="A001", name="Pilot" + TAIL, product="Widgets" + TAIL,
                          business_unit="BU" + TAIL, amount=120_000, stage="proposal", created=dt.date(2026, 9, 1),
                          close_date=dt.date(2026, 12, 20)))
    index_all_interactions(rt.db, rt.knowledge)
    yield rt
    rt.close()


def _texts(blocks: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """(type, text) of every text object in ``blocks``."""
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                yield block[key]["type"], block[key]["text"]
        for item in block.get("fields") or []:
            yield item["type"], item["text"]
        for item in block.get("elements") or []:
            if item.get("type") in ("mrkdwn", "plain_text"):
                yield item["type"], item["text"]
            elif isinstance(item.get("text"), dict):
                yield item["text"]["type"], item["text"]["text"]


def _slack_problems(where: str, blocks: list[dict[str, Any]], text: str | None = None) -> list[str]:
    found = []
    for kind, value in [*_texts(blocks), *([("mrkdwn", text)] if text is not None else [])]:
        if kind == "mrkdwn" and _SLACK_ACTIVE.search(value):
            found.append(f"{where}: a live Slack mention or link: {value[:300]!r}")
        if kind == "mrkdwn" and ("PIPE · CELL" in value or _LINE_START.search(value)):
            found.append(f"{where}: data made a cell, row or heading: {value[:300]!r}")
        if kind == "mrkdwn" and (bad := re.search(r"&(?!amp;|lt;|gt;)", value)):
            found.append(f"{where}: an unescaped & in mrkdwn: {value[max(0, bad.start() - 100):bad.end() + 50]!r}")
    return found


def _markdown_problems(where: str, markdown: str) -> list[str]:
    found = []
    for pattern, what in ((_MD_LINK, "a markdown link"), (_MD_HTML, "raw HTML or a Slack token"),
                          (_LINE_START, "a heading, row or item from data")):
        if match := pattern.search(markdown):
            start = max(0, match.start() - 60)
            found.append(f"{where}: {what}: {markdown[start:match.end() + 60]!r}")
    if re.search(r"PIPE(?<!\\)\|CELL", markdown):
        found.append(f"{where}: a | from data splits a cell")
    return found


def _calls(rt: Runtime) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "score_account", {"account": "A001"}
    yield "assign_quadrant", {"account": "A002"}
    yield "show_matrix", {"scope": "team"}
    yield "flag_dark_stakeholders", {"account": "A001"}
    yield "find_drifting_accounts", {"scope": "team", "window_days": 30}
    yield "list_commitments", {"scope": "team", "status": "open"}
    yield "prep_qbr", {"account": "A001"}
    yield "account_overview", {"account": "A001"}
    yield "draft_plan", {"account": "A001"}
    yield "search_notes", {"query": "pilot budget channel", "k": 5}
    yield "ask_guidance", {"question": "how should I run a develop account <!channel>?"}
    yield "reassign_commitment", {"commitment": "C002", "to": "U01"}
    yield "snooze_commitment", {"commitment": "C002", "days": 2}
    yield "complete_commitment", {"commitment": "C001"}
    note = "Met Dana Whitfield at Acme today <!channel> [x](https://evil.example/md) PIPE|CELL\n# INJECTED heading; " \
           "I'll send the <@U123> deck by Friday"
    yield "log_note", {"text": note, "account": "A001"}
    yield "confirm_note", {}
    yield "undo_note", {}
    yield "log_note", {"text": note, "account": "A001"}
    yield "cancel_note", {}


def test_hostile_data_comes_out_of_every_renderer_inert(hostile: Runtime) -> None:
    rt = hostile
    problems: list[str] = []
    called: set[str] = set()
    for name, args in _calls(rt):
        with rt.db.write() as session:
            ctx = rt.context(session, session.get(User, "U01"), AS_OF, thread_id="render-test")
            result: ToolResult = call_tool(ctx, name, args)
        called.add(name)
        data = result.as_json()
        markdown = result.as_markdown()
        problems += _markdown_problems(f"{name} markdown", markdown)
        problems += _slack_problems(f"{name} blocks", result_blocks(name, data))  # [] where the reply is shown
        call = [{"name": name, "args": args, "ok": True, "result": data}]
        for offline in (True, False):
            problems += _slack_problems(f"{name} reply (offline={offline})",
                                        reply_blocks(markdown, call, offline=offline), fallback_text(markdown))
    assert called == set(all_tools()), f"tools not exercised: {set(all_tools()) - called}"
    nudges = plan_nudges(rt, AS_OF + dt.timedelta(days=30))
    assert nudges, "no nudge to render"
    for nudge in nudges:
        problems += _slack_problems(f"nudge to {nudge.recipient_id}", nudge.blocks(), fallback_text(nudge.title()))
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems)"
