"""The demo's answers read like a colleague wrote them (issue 15): each wording slip a reader tripped on, and the
manager's team-wide lists summary first. Run on the demo portfolio as ``kam demo`` builds it, through the runner."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlmodel import select

from integrations.demo_run import prepare_demo_dir, run_demo
from integrations.runtime import Runtime
from store.models import Account
from store.settings import Settings
from tools.commitments import list_commitments
from tools.compute.quadrants import QUADRANT_RANK
from tools.drift import find_drifting_accounts
from tools.matrix import show_matrix
from tools.qbr import prep_qbr
from tools.runner import run_tool
from tools.stakeholders import flag_dark_stakeholders

AS_OF = dt.date(2026, 12, 5)
ONE_THING_PLURAL = re.compile(r"\b1 (?:opportunities|accounts|stakeholders|notes|interactions|commitments|flags|days"
                              r"|touches|deals|people)\b")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    data_dir = prepare_demo_dir(Path(tmp_path_factory.mktemp("answers")) / "demo")
    runtime = Runtime.build(Settings(data_dir=data_dir))
    run_demo(runtime, AS_OF, Console(file=io.StringIO()))
    yield runtime
    runtime.close()


def call(runtime: Runtime, user: str, tool: Any, as_of: dt.date = AS_OF, **args: Any) -> Any:
    done = run_tool(runtime, user, tool, args, as_of=as_of)
    assert done.ok, done.error
    return done.result


def reply(result: Any) -> str:
    """What a person reads: the lead sentence and the markdown, as the CLI and the offline agent print them."""
    return f"{result.lead()}\n\n{result.as_markdown()}"


# ------------------------------------------------------------------------------------------------ wording slips


def test_a_qbr_due_in_the_future_is_not_said_to_have_been_due(demo: Runtime) -> None:
    qbr = call(demo, "U02", prep_qbr, account="A001")
    assert qbr.qbr_due is not None and qbr.qbr_due > AS_OF  # the demo's Acme QBR is coming up
    days = (qbr.qbr_due - AS_OF).days
    assert f"this QBR is due {qbr.qbr_due.isoformat()}, in {days} days" in qbr.markdown
    assert "was due" not in qbr.markdown
    late = qbr.qbr_due + dt.timedelta(days=3)  # the same account three days after the due date
    overdue = call(demo, "U02", prep_qbr, as_of=late, account="A001")
    assert f"this QBR was due {overdue.qbr_due.isoformat()} (3 days late)" in overdue.markdown


def test_sentiment_says_which_scale(demo: Runtime) -> None:
    qbr = call(demo, "U02", prep_qbr, account="A001")
    [row] = [line for line in qbr.markdown.splitlines() if line.startswith("| Sentiment")]
    now = qbr.markdown.split("| Sentiment")[1]
    assert "on the -2..+2 scale" in row and "on the 1-5 scale" in row
    assert not re.search(r", \+3\s*\|", row), now  # no bare "+3"


def test_evidence_quotes_are_newest_first_and_carry_no_search_tags(demo: Runtime) -> None:
    qbr = call(demo, "U02", prep_qbr, account="A001")
    evidence = qbr.markdown.split("## Evidence from call notes", 1)[1]
    citations = [line for line in evidence.splitlines() if line.startswith("— ")]
    assert len(citations) >= 3
    assert not [c for c in citations if re.search(r"\[[^\]]*\]\s*$", c)]  # "[budget pricing cost]" is gone
    dates = [dt.date.fromisoformat(c[2:12]) for c in citations]
    assert dates == sorted(dates, reverse=True)
    assert [e.date for e in qbr.sections.evidence] == dates  # the JSON reads in the same order


def test_drift_lines_print_only_what_changed(demo: Runtime) -> None:
    for day in (AS_OF, AS_OF - dt.timedelta(days=10)):
        drift = call(demo, "U01", find_drifting_accounts, as_of=day, scope="team")
        assert drift.accounts
        text = reply(drift)
        assert not re.search(r"quadrant ([A-Za-z/ ]+) -> \1\b", text), text
        assert not re.search(r"Health (\d\.\d\d) -> \1\b", text), text
        for a in drift.accounts:
            line = next(x for x in text.splitlines() if x.startswith(("Health ", "Health still")) and
                        text.index(x) > text.index(f"### {a.name}"))
            if a.quadrant_before == a.quadrant_now:
                assert "quadrant still" in line
            if round(a.health_before or 0, 2) == round(a.health_now or 0, 2):
                assert line.startswith("Health still")


def test_no_one_thing_in_the_plural(demo: Runtime) -> None:
    texts = [reply(call(demo, user, tool, **args)) for user, tool, args in (
        ("U02", show_matrix, {}), ("U01", find_drifting_accounts, {"scope": "team"}),
        ("U01", flag_dark_stakeholders, {}), ("U02", flag_dark_stakeholders, {"account": "A001"}),
        ("U01", list_commitments, {"scope": "team", "status": "open"}))]
    with demo.db.session() as s:
        ids = list(s.exec(select(Account.id).where(Account.owner_id == "U02")).all())
    assert len(ids) >= 5
    texts += [reply(call(demo, "U02", prep_qbr, account=a)) for a in ids]  # every QBR brief of Sam's book
    found = [m.group(0) for t in texts for m in ONE_THING_PLURAL.finditer(t)]
    assert found == []
    assert any("(1 opportunity)" in t for t in texts)  # the singular is there where the count is one


def test_acme_risk_register_has_the_cfos_pricing_pushback(demo: Runtime) -> None:
    qbr = call(demo, "U02", prep_qbr, account="A001")
    pushback = [r for r in qbr.sections.risks if r.kind == "commercial_pushback"]
    assert pushback, [r.kind for r in qbr.sections.risks]
    [dana] = [r for r in pushback if "Dana Whitfield" in r.detail]
    assert dana.severity == "high" and "Chief Financial Officer" in dana.detail and "budget authority" in dana.detail
    quotes = " ".join(n["quote"] for n in dana.evidence["notes"])
    assert "pushed back on the 7% uplift" in quotes  # the renewal pricing review, the story's point
    with demo.db.session() as s:
        from store.models import Interaction

        for note in dana.evidence["notes"]:
            stored = s.get(Interaction, note["interaction_id"])
            assert stored is not None and note["quote"].rstrip("…") in " ".join(stored.text.split())
    assert "commercial pushback" in qbr.markdown


# ------------------------------------------------------------------------------------------------ summary first


def test_team_wide_dark_list_fits_one_screen_and_leads_with_what_matters(demo: Runtime) -> None:
    result = call(demo, "U01", flag_dark_stakeholders)
    text = reply(result)
    lines = text.splitlines()
    assert len(lines) <= 40, text
    assert len(result.flags) > 60  # the full list is far longer ...
    assert re.search(r"\.\.\. and \d+ more stakeholder flags, \d+ more accounts not shown", lines[-1])
    assert "/ui/accounts/" in lines[-1] and "--json" in lines[-1]  # ... and says how to see it all
    headings = [line for line in lines if line.startswith("**")]
    named = [re.search(r"\((A\d+)\)", h).group(1) for h in headings]  # type: ignore[union-attr]
    assert len(named) == len(set(named)) >= 4  # grouped by account, each once
    ranking = [a.id for a in result.ranking]
    assert named == ranking[: len(named)]  # in the summary's order ...
    rank = {a.id: (QUADRANT_RANK.get(a.quadrant, 9), -(a.annual_revenue or 0)) for a in result.ranking}
    assert [rank[i] for i in ranking] == sorted(rank[i] for i in ranking)  # ... by quadrant, then revenue
    for block in text.split("\n\n")[2:-1]:  # key people first within each account
        people = [line for line in block.splitlines() if line.startswith("- ") and not line.startswith(
            ("- account:", "- and "))]
        keys = ["(key)" in p for p in people]
        assert keys == sorted(keys, reverse=True), block
    assert "Dana Whitfield" in text  # the executive who matters most is on the first screen


def test_one_account_still_lists_every_flag(demo: Runtime) -> None:
    result = call(demo, "U02", flag_dark_stakeholders, account="A001")
    text = result.as_markdown()
    assert all(f.stakeholder_name in text for f in result.flags)
    assert "more stakeholder flag" not in text


def test_a_long_commitment_list_leads_with_its_counts(demo: Runtime) -> None:
    result = call(demo, "U01", list_commitments, scope="team", status="open")
    text = reply(result)
    assert len(result.commitments) > 40 and len(text.splitlines()) <= 40
    overdue = sum(c.status == "overdue" for c in result.commitments)
    assert f"{len(result.commitments)} commitments on " in text and f"{overdue} overdue" in text
    listed = re.findall(r"^- \*\*(C\d+)\*\*", text, re.MULTILINE)
    assert listed == [c.id for c in result.commitments[: len(listed)]]  # the most pressing first
    assert re.search(rf"\.\.\. and {len(result.commitments) - len(listed)} more commitments", text)


def test_slack_shows_the_summary_then_every_flag(demo: Runtime) -> None:
    from integrations.slack.blocks import reply_blocks, split_messages

    result = call(demo, "U01", flag_dark_stakeholders)
    record = {"name": "flag_dark_stakeholders", "args": {}, "ok": True, "result": result.as_json()}
    blocks = reply_blocks(reply(result), [record], offline=True)
    texts = [b.get("text", {}).get("text", "") if isinstance(b.get("text"), dict) else "" for b in blocks]
    full_at = texts.index("Every flag, by account")
    summary, full = "\n".join(texts[:full_at]), "\n".join(texts[full_at:])
    assert "more stakeholder flag" in summary  # the summary leads ...
    for f in result.flags:  # ... and the full list follows, every flag under its account
        assert f"{f.stakeholder_name}" in full, f.stakeholder_name
    order = [re.search(r"\((A\d+)\)", t).group(1) for t in texts[full_at:] if re.match(r"^\*.+\(A\d+\)", t)]
    assert order == [a.id for a in result.ranking]
    assert all(len(m) <= 50 for m in split_messages(blocks)) and all(len(t) <= 3000 for t in texts)
