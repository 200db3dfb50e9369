"""Dark stakeholders (SPEC 5.3): windows per quadrant and their boundaries, cooling, sentiment, coverage."""

from __future__ import annotations

import pytest
from scoring_seed import DEFEND, MAINTAIN, TOP, account, ctx_for, days_ago, person, touch, users

from store.db import Database
from tools.compute.stakeholder_flags import AccountFlags, compute_flags
from tools.errors import NotFound
from tools.registry import call_tool


def _flags(result: dict[str, AccountFlags], aid: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in result[aid].flags:
        out.setdefault(f.stakeholder_id, set()).add(f.flag)
    return out


def _seed_windows(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "SG", "Strategic Co", annual_revenue=1000, **TOP)
        account(s, "DF", "Defend Co", annual_revenue=1000, **DEFEND)
        account(s, "UN", "Unscored Co")
        account(s, "ME", "Maintain Co", annual_revenue=1000, **MAINTAIN)
        # Strategic Growth: key 30 days, others 60
        person(s, "K29", "SG", authority="budget")
        person(s, "K30", "SG", influence=4)
        person(s, "O59", "SG", influence=3)
        person(s, "O60", "SG")
        person(s, "NEW", "SG", tag="Champion")
        person(s, "GONE", "SG", authority="veto", left_company=True)
        touch(s, "SG", days_ago(29), "K29")
        touch(s, "SG", days_ago(30), "K30")
        touch(s, "SG", days_ago(59), "O59")
        touch(s, "SG", days_ago(60), "O60")
        touch(s, "SG", days_ago(-3), "NEW")  # after as_of: still never met as of as_of
        # Defend: key 60, others 120
        person(s, "DK59", "DF", authority="approver")
        person(s, "DK60", "DF", is_executive=True)
        person(s, "DO119", "DF")
        person(s, "DO120", "DF")
        touch(s, "DF", days_ago(59), "DK59")
        touch(s, "DF", days_ago(60), "DK60")
        touch(s, "DF", days_ago(119), "DO119")
        touch(s, "DF", days_ago(120), "DO120")
        # Unscored: the Develop windows, key 45, others 90
        person(s, "UK44", "UN", is_executive=True)
        person(s, "UK45", "UN", is_executive=True)
        person(s, "UO89", "UN")
        person(s, "UO90", "UN")
        touch(s, "UN", days_ago(44), "UK44")
        touch(s, "UN", days_ago(45), "UK45")
        touch(s, "UN", days_ago(89), "UO89")
        touch(s, "UN", days_ago(90), "UO90")
        # Maintain/Exit: key 120, others 240
        person(s, "MK119", "ME", influence=5)
        person(s, "MK120", "ME", influence=5)
        person(s, "MO239", "ME")
        person(s, "MO240", "ME")
        touch(s, "ME", days_ago(119), "MK119")
        touch(s, "ME", days_ago(120), "MK120")
        touch(s, "ME", days_ago(239), "MO239")
        touch(s, "ME", days_ago(240), "MO240")


def test_dark_and_unreached_at_each_quadrants_window_boundary(db: Database) -> None:
    _seed_windows(db)
    with db.session() as s:
        result = compute_flags(ctx_for(s, "U1"), ["SG", "DF", "UN", "ME"])
    assert {aid: r.quadrant for aid, r in result.items()} == {
        "SG": "strategic_growth", "DF": "defend", "UN": "unscored", "ME": "maintain_exit"
    }
    dark = {aid: {sid for sid, fl in _flags(result, aid).items() if "dark" in fl} for aid in result}
    assert dark == {"SG": {"K30", "O60"}, "DF": {"DK60", "DO120"}, "UN": {"UK45", "UO90"}, "ME": {"MK120", "MO240"}}
    unreached = [f for f in result["SG"].flags if f.flag == "unreached"]
    assert [(f.stakeholder_id, f.key) for f in unreached] == [("NEW", True)]
    assert all(f.stakeholder_id != "GONE" for r in result.values() for f in r.flags)

    k30 = next(f for f in result["SG"].flags if f.stakeholder_id == "K30")
    assert k30.key is True
    assert k30.evidence["last_touch"] == days_ago(30).isoformat()
    assert k30.evidence["days_since"] == 30 and k30.evidence["window_days"] == 30
    assert "influence 4" in k30.evidence["window"] and "Strategic Growth" in k30.evidence["window"]
    o60 = next(f for f in result["SG"].flags if f.stakeholder_id == "O60")
    assert o60.key is False and o60.evidence["window_days"] == 60
    uk45 = next(f for f in result["UN"].flags if f.stakeholder_id == "UK45")
    assert uk45.evidence["window_days"] == 45
    assert "unscored, so the Develop windows apply" in uk45.evidence["window"]
    assert result["UN"].windows == {"key_days": 45, "other_days": 90, "from_quadrant": "develop",
                                    "why": "the account is unscored, so the Develop windows apply"}


def test_windows_follow_the_scores_given(sqlite_db: Database) -> None:
    _seed_windows(sqlite_db)
    with sqlite_db.session() as s:
        ctx = ctx_for(s, "U1")
        from tools.compute.scoring import compute_scores

        scores = compute_scores(ctx, ["SG"])
        scores["SG"] = scores["SG"].model_copy(update={"quadrant": "maintain_exit"})
        result = compute_flags(ctx, ["SG"], scores=scores)
    assert result["SG"].windows["key_days"] == 120
    assert not any(f.flag == "dark" for f in result["SG"].flags)


def test_cooling_compares_the_last_90_days_with_the_90_before(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A", "Cool Co", annual_revenue=1000, **MAINTAIN)
        for sid in ("C20", "C21", "C10", "C31", "EDGE", "OLD"):
            person(s, sid, "A")
        for day in (100, 150):
            touch(s, "A", days_ago(day), "C20")  # 2 before, 0 recent: cooling
        for day in (5, 100, 150):
            touch(s, "A", days_ago(day), "C21")  # 2 before, 1 recent: not (1 is not fewer than half of 2)
        touch(s, "A", days_ago(100), "C10")  # 1 before: not enough to call it cooling
        for day in (10, 95, 120, 170):
            touch(s, "A", days_ago(day), "C31")  # 3 before, 1 recent: cooling
        for day in (90, 179):
            touch(s, "A", days_ago(day), "EDGE")  # both edges of the previous window: 2 before
        for day in (180, 200):
            touch(s, "A", days_ago(day), "OLD")  # older than both windows
    with db.session() as s:
        result = compute_flags(ctx_for(s, "U1"), ["A"])
    cooling = {f.stakeholder_id: f for f in result["A"].flags if f.flag == "cooling"}
    assert set(cooling) == {"C20", "C31", "EDGE"}
    assert cooling["C31"].evidence["recent_count"] == 1 and cooling["C31"].evidence["previous_count"] == 3
    assert cooling["EDGE"].evidence["previous_window"] == [days_ago(179).isoformat(), days_ago(90).isoformat()]
    assert cooling["EDGE"].evidence["recent_window"] == [days_ago(89).isoformat(), days_ago(0).isoformat()]


def test_sentiment_drop_and_sour_champions(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A", "Mood Co", annual_revenue=1000, **MAINTAIN)
        for sid, tag in (("D2", None), ("D1", None), ("D20", None), ("CH0", "champion"), ("CH1", "Champion"),
                         ("NONE", None)):
            person(s, sid, "A", tag=tag)
        touch(s, "A", days_ago(20), ("D2", 1), ("D1", 1), ("D20", 2), ("CH1", -2), ("NONE", 2))
        touch(s, "A", days_ago(10), ("D2", -1), ("D1", 0), ("D20", 0), ("CH0", 0), ("CH1", 1), ("NONE", None))
        touch(s, "A", days_ago(-1), ("D1", -2))  # after as_of: ignored
    with db.session() as s:
        result = compute_flags(ctx_for(s, "U1"), ["A"])
    drops = {f.stakeholder_id: f for f in result["A"].flags if f.flag == "sentiment_drop"}
    assert set(drops) == {"D2", "D20", "CH0"}
    assert drops["D2"].evidence["latest_sentiment"] == -1 and drops["D2"].evidence["previous_sentiment"] == 1
    assert drops["D2"].evidence["latest_date"] == days_ago(10).isoformat()
    assert "a drop of 2" in drops["D2"].reason
    assert drops["CH0"].key is True and drops["CH0"].evidence["champion"] is True
    assert "champion" in drops["CH0"].reason


def test_sentiment_drop_against_the_highest_touch_in_the_90_days_before_the_latest(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A", "Mood Co", annual_revenue=1000, **MAINTAIN)
        for sid in ("STEP", "EDGE90", "EDGE91", "LONE", "SAMEDAY", "RISE"):
            person(s, sid, "A")
        # +1 -> 0 -> -1 over three touches: each step is 1, the fall from the peak is 2
        touch(s, "A", days_ago(40), ("STEP", 1))
        touch(s, "A", days_ago(25), ("STEP", 0))
        touch(s, "A", days_ago(10), ("STEP", -1))
        # the window runs from the latest day minus 90 (included) to the day before it
        touch(s, "A", days_ago(100), ("EDGE90", 2), ("EDGE91", 2))
        touch(s, "A", days_ago(10), ("EDGE90", 0))
        touch(s, "A", days_ago(9), ("EDGE91", 0))
        # a lone -1 a year after a +1 is not a drop
        touch(s, "A", days_ago(380), ("LONE", 1))
        touch(s, "A", days_ago(15), ("LONE", -1))
        # another touch on the latest day does not count as earlier
        touch(s, "A", days_ago(5), ("SAMEDAY", 2))
        touch(s, "A", days_ago(5), ("SAMEDAY", 0))
        touch(s, "A", days_ago(30), ("RISE", -2))
        touch(s, "A", days_ago(3), ("RISE", 0))
    with db.session() as s:
        result = compute_flags(ctx_for(s, "U1"), ["A"])
    drops = {f.stakeholder_id: f for f in result["A"].flags if f.flag == "sentiment_drop"}
    assert set(drops) == {"STEP", "EDGE90"}
    step = drops["STEP"].evidence
    assert (step["peak_sentiment"], step["peak_date"]) == (1, days_ago(40).isoformat())
    assert (step["latest_sentiment"], step["previous_sentiment"]) == (-1, 0)
    assert "fell from +1" in drops["STEP"].reason and "a drop of 2" in drops["STEP"].reason
    assert drops["EDGE90"].evidence["peak_date"] == days_ago(100).isoformat()


@pytest.mark.parametrize(
    ("mapped", "engaged", "expected"),
    [
        (3, 1, {"single_threaded", "thin_coverage"}),
        (3, 0, {"single_threaded", "thin_coverage"}),
        (3, 2, set()),  # 67% engaged
        (2, 1, {"thin_coverage"}),  # fewer than 3 mapped: not single-threaded
        (5, 3, set()),  # exactly 60%: not thin
        (5, 2, {"thin_coverage"}),
        (4, 1, {"single_threaded", "thin_coverage"}),
        (0, 0, set()),
    ],
)
def test_single_threaded_and_thin_coverage(sqlite_db: Database, mapped: int, engaged: int, expected: set[str]) -> None:
    with sqlite_db.write() as s:
        users(s)
        account(s, "A", "Thread Co", annual_revenue=1000, **MAINTAIN)
        for i in range(mapped):
            person(s, f"S{i}", "A")
            # engaged ones within 90 days (day 89 is the window's first day); the others on day 90
            touch(s, "A", days_ago(89 if i < engaged else 90), f"S{i}")
    with sqlite_db.session() as s:
        result = compute_flags(ctx_for(s, "U1"), ["A"])
    assert {f.flag for f in result["A"].account_flags} == expected
    assert result["A"].engaged == engaged and result["A"].mapped == mapped
    for f in result["A"].account_flags:
        assert f.evidence["engaged"] == engaged and f.evidence["mapped"] == mapped


def test_as_of_moves_the_windows(sqlite_db: Database) -> None:
    _seed_windows(sqlite_db)
    with sqlite_db.session() as s:
        earlier = compute_flags(ctx_for(s, "U1"), ["SG"], as_of=days_ago(1))
        later = compute_flags(ctx_for(s, "U1"), ["SG"], as_of=days_ago(-3))
    # a day earlier K30 was 29 days back and O60 59: nobody dark yet
    assert _flags(earlier, "SG") == {"NEW": {"unreached"}}
    # three days later everyone is past the window, and NEW was met that day
    assert _flags(later, "SG") == {"K29": {"dark"}, "K30": {"dark"}, "O59": {"dark"}, "O60": {"dark"}}


def test_the_tool_covers_the_users_scope_or_one_account(db: Database) -> None:
    _seed_windows(db)
    with db.write() as s:
        account(s, "OTHER", "Other Rep Co", owner="U3")
        person(s, "OX", "OTHER")
    with db.session() as s:
        ctx = ctx_for(s, "U1")
        everything = call_tool(ctx, "flag_dark_stakeholders", {})
        one = call_tool(ctx, "flag_dark_stakeholders", {"account": "defend co"})
        with pytest.raises(NotFound):
            call_tool(ctx, "flag_dark_stakeholders", {"account": "Other Rep Co"})
    assert everything.accounts_checked == 4
    assert {f.account_id for f in everything.flags} == {"SG", "DF", "UN", "ME"}
    assert one.accounts_checked == 1 and {f.stakeholder_id for f in one.flags} == {"DK60", "DO120"}
    data = one.as_json()
    first = data["flags"][0]
    assert {"account_id", "stakeholder_id", "flag", "evidence"} <= set(first)
    assert first["stakeholder_id"] == "DK60"  # key stakeholders first
    assert data["counts"]["dark"] == 2
    md = one.as_markdown()
    assert "Defend Co (DF)" in md and "gone dark" in md and "key stakeholders 60 days, others 120 days" in md
    assert everything.counts["unreached"] == 1


def test_no_flags_reads_well(sqlite_db: Database) -> None:
    with sqlite_db.write() as s:
        users(s)
        account(s, "A", "Calm Co", annual_revenue=1000, **TOP)
        person(s, "S", "A", authority="budget")
        touch(s, "A", days_ago(1), ("S", 1))
    with sqlite_db.session() as s:
        result = call_tool(ctx_for(s, "U1"), "flag_dark_stakeholders", {"account": "calm"})
    assert result.flags == [] and result.account_flags == []
    assert "No flags" in result.as_markdown()
