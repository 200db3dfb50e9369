"""The demo portfolio: deterministic, names independent of the day, realistic, the planted stories
present, large books generated on request; ``kam demo`` makes a fresh, marked data dir."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from integrations.cli.main import app
from integrations.demo_run import MARKER, DemoDirError, prepare_demo_dir, run_demo
from integrations.runtime import Runtime
from store.db import Database
from store.demo import DRIFTING_IDS, STORIES, Portfolio, generate_portfolio, write_csvs
from store.importer import import_dir
from store.models import User
from store.settings import Settings
from tools.registry import call_tool

AS_OF = dt.date(2026, 11, 22)
KEY_AUTHORITIES = {"budget", "approver", "veto"}


@pytest.fixture(scope="module")
def demo() -> Portfolio:
    return generate_portfolio(as_of=AS_OF)


def _ago(day: dt.date) -> int:
    return (AS_OF - day).days


def _key(s: dict[str, Any]) -> bool:
    return s["authority"] in KEY_AUTHORITIES or (s["influence"] or 0) >= 4 or s["tag"] == "champion" or s[
        "is_executive"]


def _touches(p: Portfolio) -> dict[str, list[tuple[dt.date, int | None, str]]]:
    """Per stakeholder: (date, sentiment, interaction id), oldest first."""
    dates = {i["id"]: i["date"] for i in p["interactions"]}
    out: dict[str, list[tuple[dt.date, int | None, str]]] = defaultdict(list)
    for row in p["participants"]:
        out[row["stakeholder_id"]].append((dates[row["interaction_id"]], row["sentiment"], row["interaction_id"]))
    for touches in out.values():
        touches.sort(key=lambda t: (t[0], t[2]))  # the order the store uses: date, then interaction id
    return out


def _people(p: Portfolio, account_id: str) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in p["stakeholders"] if s["account_id"] == account_id}


def test_same_seed_and_day_give_the_same_portfolio(demo: Portfolio) -> None:
    assert generate_portfolio(as_of=AS_OF).tables == demo.tables
    other = generate_portfolio(as_of=AS_OF, seed=demo.seed + 1)
    ordinary = lambda p: [a["name"] for a in p["accounts"] if a["id"] not in {s.id for s in STORIES}]  # noqa: E731
    assert ordinary(other) != ordinary(demo)
    assert [a["name"] for a in other["accounts"][:6]] == [s.name for s in STORIES]  # the stories stay put


def test_names_do_not_depend_on_the_day_and_dates_only_shift(demo: Portfolio) -> None:
    later = generate_portfolio(as_of=AS_OF + dt.timedelta(days=137))

    def relative(p: Portfolio) -> dict[str, list[dict[str, Any]]]:
        return {name: [{k: (v - p.as_of).days if isinstance(v, dt.date) else v for k, v in row.items()}
                       for row in rows] for name, rows in p.tables.items()}

    assert relative(later) == relative(demo)
    for table, field in (("users", "name"), ("accounts", "name"), ("stakeholders", "name"), ("products", "name")):
        assert [r[field] for r in later[table]] == [r[field] for r in demo[table]]


def test_cast_and_book_look_real(demo: Portfolio) -> None:
    roles = {u["id"]: (u["role"], u["manager_id"]) for u in demo["users"]}
    assert sorted(r for r, _ in roles.values()) == ["admin", "kam", "manager", "rep", "rep", "rep"]
    manager = next(uid for uid, (role, _) in roles.items() if role == "manager")
    assert all(m == manager for role, m in roles.values() if role in ("rep", "kam"))
    owners = Counter(a["owner_id"] for a in demo["accounts"])
    assert len(demo["accounts"]) == 40 and owners == {"U02": 10, "U03": 10, "U04": 9, "U05": 9, "U01": 2}
    assert all(re.fullmatch(r"A\d{3}", a["id"]) for a in demo["accounts"])
    assert all(re.fullmatch(r"S\d{4}", s["id"]) for s in demo["stakeholders"])
    assert len({a["name"] for a in demo["accounts"]}) == 40
    revenues = [a["annual_revenue"] for a in demo["accounts"]]
    assert len(set(revenues)) == 40 and max(revenues) / min(revenues) > 10  # varied, no ties
    assert len(demo["products"]) == 8
    assert {i["kind"] for i in demo["interactions"]} == {"meeting", "call", "email", "qbr", "demo"}
    assert {"closed_won", "closed_lost", "proposal", "negotiation"} <= {o["stage"] for o in demo["opportunities"]}
    assert {c["status"] for c in demo["commitments"]} >= {"open", "done"}
    assert {c["side"] for c in demo["commitments"]} == {"ours", "customer"}
    days = [_ago(i["date"]) for i in demo["interactions"]]
    assert min(days) >= 0 and max(days) >= 330 and max(days) <= 365  # a year of history up to as_of
    texts = " ".join(i["text"] for i in demo["interactions"])
    for word in ("pricing", "budget", "renewal", "integration", "headcount", "Corvane", "Nimbus Analytics"):
        assert word in texts
    assert {s["tag"] for s in demo["stakeholders"]} == {None, "champion", "blocker"}
    assert sum(s["tag"] == "blocker" for s in demo["stakeholders"]) == 2
    assert all(1 <= s["influence"] <= 5 for s in demo["stakeholders"])
    sentiments = {p["sentiment"] for p in demo["participants"]}
    assert {-2, -1, 0, 1, 2} <= sentiments
    by_id = {s["id"]: s for s in demo["stakeholders"]}
    assert all(by_id[s["reports_to"]]["account_id"] == s["account_id"]
               for s in demo["stakeholders"] if s["reports_to"])


def test_unscored_accounts_and_the_inflating_scorer(demo: Portfolio) -> None:
    criteria = ("growth_potential", "strategic_fit", "competitive_position", "propensity_to_partner")
    unscored = [a["id"] for a in demo["accounts"] if all(a[c] is None for c in criteria)]
    assert unscored == ["A038", "A039"]
    assert all(a["wallet_estimate"] is None and a["scored_by"] is None for a in demo["accounts"] if a["id"] in unscored)
    partly = [a["id"] for a in demo["accounts"] if any(a[c] is None for c in criteria) and a["id"] not in unscored]
    assert partly == ["A015", "A027"]
    values: dict[str, list[int]] = defaultdict(list)
    for a in demo["accounts"]:
        values[a["scored_by"]] += [a[c] for c in criteria if a[c] is not None]
    everyone = [v for vs in values.values() for v in vs]
    tom = values["U05"]
    assert len([a for a in demo["accounts"] if a["scored_by"] == "U05"]) >= 5
    assert sum(tom) / len(tom) - sum(everyone) / len(everyone) >= 0.75


def test_acme_and_dana(demo: Portfolio) -> None:
    acme = next(a for a in demo["accounts"] if a["name"] == "Acme Corp")
    assert acme["id"] == "A001" and acme["owner_id"] == "U02"  # the KAM
    dana = _people(demo, "A001")["Dana Whitfield"]
    assert (dana["title"], dana["authority"], dana["is_executive"]) == ("Chief Financial Officer", "budget", True)
    touches = _touches(demo)[dana["id"]]
    day, sentiment, iid = touches[-1]
    text = next(i["text"] for i in demo["interactions"] if i["id"] == iid)
    assert _ago(day) <= 7 and sentiment is not None and sentiment < 0
    assert "worried about budget" in text and "pricing" in text
    assert any(i["kind"] == "qbr" and 80 <= _ago(i["date"]) <= 90 for i in demo["interactions"]
               if i["account_id"] == "A001")


def test_halcyon_champion_turned_negative(demo: Portfolio) -> None:
    halcyon = next(a for a in demo["accounts"] if a["name"] == "Halcyon Retail Group")
    champion = next(s for s in demo["stakeholders"] if s["account_id"] == halcyon["id"] and s["tag"] == "champion")
    touches = [t for t in _touches(demo)[champion["id"]] if t[1] is not None]
    (day, latest, _), (_, previous, _) = touches[-1], touches[-2]
    assert _ago(day) < 30 and latest <= 0 and previous - latest >= 2


def test_northwind_key_stakeholder_just_past_the_window(demo: Portfolio) -> None:
    touches = _touches(demo)
    last = {s["name"]: _ago(touches[s["id"]][-1][0]) for s in demo["stakeholders"]
            if s["account_id"] == "A003" and _key(s) and touches.get(s["id"])}
    assert 30 < last["Olivia Grant"] <= 45  # dark now under a 30-day window, not 30 days ago
    assert all(days <= 30 for name, days in last.items() if name != "Olivia Grant")


def test_brightwater_commitments_fell_overdue_inside_the_window(demo: Portfolio) -> None:
    ours = [c for c in demo["commitments"] if c["account_id"] == "A004" and c["side"] == "ours"
            and c["status"] == "open"]
    overdue = [c for c in ours if c["due"] < AS_OF]
    assert len(overdue) >= 3 and all(_ago(c["due"]) < 30 for c in overdue)


def test_same_first_name_only_at_acme(demo: Portfolio) -> None:
    doubles = {}
    for account_id in {s["account_id"] for s in demo["stakeholders"]}:
        firsts = Counter(name.split()[0] for name in _people(demo, account_id))
        doubles.update({(account_id, f): n for f, n in firsts.items() if n > 1})
    assert doubles == {("A001", "Priya"): 2}


def test_keystone_is_single_threaded(demo: Portfolio) -> None:
    touches = _touches(demo)
    people = [s for s in demo["stakeholders"] if s["account_id"] == "A005"]
    engaged = [s["name"] for s in people if touches.get(s["id"]) and _ago(touches[s["id"]][-1][0]) < 90]
    assert len(people) == 5 and engaged == ["Gary Whitman"]


def test_every_seller_has_overdue_and_due_soon_commitments(demo: Portfolio) -> None:
    for owner in ("U02", "U03", "U04", "U05"):
        mine = [c for c in demo["commitments"] if c["owner_id"] == owner and c["status"] == "open"]
        assert any(c["due"] < AS_OF for c in mine), owner
        assert any(0 <= (c["due"] - AS_OF).days <= 2 for c in mine), owner


def test_ordinary_accounts_stay_calm(demo: Portfolio) -> None:
    """What keeps the planted drifting accounts the only ones: outside them, key people were touched in
    the last 24 days or more than 215 days ago, no commitment of ours fell due in the last 30 days, no
    deal closed in the last 30 days, and nobody's sentiment fell by 2 between two touches. (Drift does not look at
    sentiment; the SPEC 5.3 drop, held against the best of 90 days, does flag a slow slide such as A010's.)"""
    assert set(DRIFTING_IDS) == {"A002", "A003", "A004"}
    planted = {s.id for s in STORIES}
    touches = _touches(demo)
    for s in demo["stakeholders"]:
        if s["account_id"] in planted or not _key(s) or not touches.get(s["id"]):
            continue
        days = _ago(touches[s["id"]][-1][0])
        assert days <= 24 or days >= 215, (s["id"], days)
        moods = [t[1] for t in touches[s["id"]] if t[1] is not None]
        assert all(b >= a - 1 for a, b in zip(moods, moods[1:], strict=False)), s["id"]
    for c in demo["commitments"]:
        if c["account_id"] not in planted and c["side"] == "ours" and c["status"] == "open":
            assert not 0 < _ago(c["due"]) <= 31, c
    for o in demo["opportunities"]:
        if o["account_id"] not in planted and o["stage"].startswith("closed"):
            assert _ago(o["close_date"]) > 31, o


def test_large_books_on_request(sqlite_db: Database, tmp_path: Path, demo: Portfolio) -> None:
    p = generate_portfolio(as_of=AS_OF, n_accounts=90, stakeholders_per_account=3, interactions_per_account=5)
    assert len(p["accounts"]) == 90 and p["accounts"][-1]["id"] == "A090"
    assert len({a["name"] for a in p["accounts"]}) == 90
    extra = [u for u in p["users"] if u["id"] not in {"U01", "U02", "U03", "U04", "U05", "U06"}]
    assert sorted(u["role"] for u in extra) == ["manager"] + ["rep"] * math.ceil(50 / 25)
    planted = {s.id for s in STORIES}
    per_account = Counter(s["account_id"] for s in p["stakeholders"])
    assert all(n == 3 for aid, n in per_account.items() if aid not in planted)
    touches = Counter(i["account_id"] for i in p["interactions"])
    assert all(touches[a["id"]] >= 5 for a in p["accounts"] if a["id"] not in planted)
    assert p["accounts"][:40] == demo["accounts"]  # the default book is kept as the first 40
    report = import_dir(sqlite_db, write_csvs(p, tmp_path / "big"), actor="tester")
    assert report.ok, [str(e) for e in report.errors][:5]


def test_run_demo_prints_a_summary_that_matches_the_rows(settings: Settings, demo: Portfolio) -> None:
    runtime = Runtime.build(settings)
    out = io.StringIO()
    try:
        result = run_demo(runtime, AS_OF, Console(file=out, width=120))
    finally:
        runtime.close()
    summary = result.summary
    open_ = [c for c in demo["commitments"] if c["status"] == "open"]
    assert summary.accounts == 40 and summary.stakeholders == len(demo["stakeholders"])
    assert summary.interactions == len(demo["interactions"])
    assert summary.open_commitments == len(open_)
    assert summary.overdue_commitments == sum(c["due"] < AS_OF for c in open_)
    assert summary.due_soon_commitments == sum(0 <= (c["due"] - AS_OF).days <= 2 for c in open_)
    pipeline = [o["amount"] for o in demo["opportunities"] if not o["stage"].startswith("closed")]
    assert summary.open_pipeline == sum(pipeline) and summary.open_opportunities == len(pipeline)
    assert ("U02", "Sam Patel", 10) in summary.accounts_by_owner
    text = out.getvalue()
    assert "Sam Patel" in text and f"{sum(pipeline):,.0f}" in text
    assert (settings.data_dir / "demo-csv" / "accounts.csv").is_file()


def test_dark_stakeholders_flag_danas_drop(settings: Settings) -> None:
    """Dana Whitfield went +1 -> 0 -> -1: no single step is 2, the fall from her best in 90 days is."""
    runtime = Runtime.build(settings)
    try:
        run_demo(runtime, AS_OF, Console(file=io.StringIO()))
        with runtime.db.session() as session:
            ctx = runtime.context(session, session.get(User, "U02"), AS_OF)
            result = call_tool(ctx, "flag_dark_stakeholders", {"account": "A001"})
    finally:
        runtime.close()
    drops = [f for f in result.flags if f.flag == "sentiment_drop"]
    dana = next(f for f in drops if f.stakeholder_name == "Dana Whitfield")
    assert dana.evidence["peak_sentiment"] - dana.evidence["latest_sentiment"] >= 2
    assert dana.evidence["latest_sentiment"] < 0 and dana.key
    assert "Dana Whitfield" in result.as_markdown() and "sentiment dropped" in result.as_markdown()


def test_demo_dir_is_fresh_and_never_takes_real_data(tmp_path: Path) -> None:
    fresh = prepare_demo_dir(tmp_path / "new")
    assert (fresh / MARKER).is_file()
    (fresh / "kam.db").write_text("old demo")
    (fresh / "chroma").mkdir()
    again = prepare_demo_dir(fresh)
    assert sorted(p.name for p in again.iterdir()) == [MARKER]
    real = tmp_path / "real"
    real.mkdir()
    (real / "kam.db").write_text("precious")
    with pytest.raises(DemoDirError, match="KAM_DATA_DIR=/some/other/dir kam demo"):
        prepare_demo_dir(real)
    assert (real / "kam.db").read_text() == "precious"


def test_kam_demo_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "demo"
    first = runner.invoke(app, ["demo", "--dir", str(target), "--as-of", "2026-11-22"])
    assert first.exit_code == 0, first.output
    assert "Sam Patel" in first.stdout and re.search(r"accounts\s*│\s*40", first.stdout)
    assert (target / MARKER).is_file() and (target / "kam.db").is_file()
    again = runner.invoke(app, ["demo", "--dir", str(target), "--as-of", "2026-11-22"])
    assert again.exit_code == 0 and re.search(r"accounts\s*│\s*40", again.stdout)  # wiped, not doubled
    real = tmp_path / "real"
    real.mkdir()
    (real / "notes.txt").write_text("mine")
    refused = runner.invoke(app, ["demo", "--dir", str(real), "--as-of", "2026-11-22"])
    assert refused.exit_code == 1 and "KAM_DATA_DIR=/some/other/dir kam demo" in refused.stderr
    assert sorted(p.name for p in real.iterdir()) == ["notes.txt"]
