"""The matrix: quadrant counts, scopes, scope inflation, scorer calibration and account economics."""

from __future__ import annotations

import pytest
from scoring_seed import DEFEND, DEVELOP, MAINTAIN, TOP, account, ctx_for, users
from sqlmodel import Session

from store.db import Database
from tools.compute.scoring import compute_scores
from tools.errors import ToolError
from tools.matrix import MatrixResult, show_matrix
from tools.registry import call_tool


def _judged(s: Session, aid: str, owner: str, value: int, revenue: float = 100.0) -> None:
    account(s, aid, f"Account {aid}", owner=owner, annual_revenue=revenue, growth_potential=value,
            strategic_fit=value, competitive_position=value, propensity_to_partner=value)


def _matrix(db: Database, user: str, scope: str) -> MatrixResult:
    with db.session() as s:
        result = call_tool(ctx_for(s, user), "show_matrix", {"scope": scope})
    assert isinstance(result, MatrixResult)
    return result


def test_quadrants_scopes_and_agreement_with_the_scoring(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "SG1", "Sigma", owner="U1", annual_revenue=900, **TOP)
        account(s, "DV1", "Delta", owner="U1", annual_revenue=800, **DEVELOP)
        account(s, "DF1", "Defendo", owner="U2", annual_revenue=700, **DEFEND)
        account(s, "ME1", "Minor", owner="U2", annual_revenue=600, **MAINTAIN)
        account(s, "UN1", "Unknown", owner="U3")
    mine = _matrix(db, "U1", "mine")
    assert [a.id for a in mine.accounts] == ["SG1", "DV1"]
    team = _matrix(db, "M1", "team")
    assert [a.id for a in team.accounts] == ["SG1", "DV1", "DF1", "ME1"]
    assert team.counts == {"strategic_growth": 1, "develop": 1, "defend": 1, "maintain_exit": 1, "unscored": 0}
    assert _matrix(db, "M1", "mine").accounts == []
    assert _matrix(db, "U1", "team").accounts == mine.accounts  # a rep's team is themself
    everything = _matrix(db, "ADM", "all")
    assert everything.counts["unscored"] == 1 and everything.accounts[-1].id == "UN1"
    with db.session() as s:
        scores = compute_scores(ctx_for(s, "ADM"))
    for row in everything.accounts:
        sc = scores[row.id]
        assert (row.attractiveness, row.strength, row.quadrant) == (sc.attractiveness, sc.strength, sc.quadrant)
    data = everything.as_json()
    assert set(data["accounts"][0]) >= {"id", "name", "attractiveness", "strength", "quadrant"}
    md = everything.as_markdown()
    assert "Strategic Growth: 1" in md and "Unscored: 1." in md and "Sigma (SG1)" in md


def test_a_bad_scope_is_a_tool_error(sqlite_db: Database) -> None:
    with sqlite_db.write() as s:
        users(s)
    with sqlite_db.session() as s:
        ctx = ctx_for(s, "U1")
        with pytest.raises(ToolError, match="scope"):
            call_tool(ctx, "show_matrix", {"scope": "everyone"})
        with pytest.raises(ToolError, match="unknown scope 'everyone'"):
            show_matrix(ctx, scope="everyone")  # type: ignore[arg-type]


@pytest.mark.parametrize(("strategic", "others", "warned"), [(1, 4, False), (2, 3, True), (0, 3, False)])
def test_scope_inflation_above_twenty_percent(sqlite_db: Database, strategic: int, others: int, warned: bool) -> None:
    with sqlite_db.write() as s:
        users(s)
        for i in range(strategic):
            account(s, f"S{i}", f"Top {i}", annual_revenue=100, **TOP)
        for i in range(others):
            account(s, f"M{i}", f"Low {i}", annual_revenue=100, **MAINTAIN)
    result = _matrix(sqlite_db, "U1", "mine")
    inflation = [w for w in result.warnings if w.kind == "scope_inflation"]
    assert bool(inflation) is warned
    if warned:
        assert inflation[0].evidence == {"strategic_growth": strategic, "accounts": strategic + others,
                                         "share": round(strategic / (strategic + others), 4), "limit": 0.2}
        assert "Scope inflation" in result.as_markdown()


def test_calibration_inflation_at_exactly_the_gap_against_the_whole_store(db: Database) -> None:
    with db.write() as s:
        users(s)
        for i in range(5):
            _judged(s, f"X{i}", "U1", 4)  # 20 values of 4
        for i in range(15):
            _judged(s, f"Y{i}", "U3", 3)  # 60 values of 3: portfolio mean (80 + 180) / 80 = 3.25
    mine = _matrix(db, "U1", "mine")
    assert mine.portfolio_judgment_mean == 3.25
    [u1] = mine.calibration
    assert (u1.scorer_id, u1.scorer_name, u1.accounts, u1.values) == ("U1", "Rita Rep", 5, 20)
    assert (u1.mean, u1.gap, u1.flag) == (4.0, 0.75, "inflation")
    assert any(w.kind == "calibration" for w in mine.warnings)
    everyone = {c.scorer_id: c for c in _matrix(db, "ADM", "all").calibration}
    assert everyone["U3"].gap == -0.25 and everyone["U3"].flag is None
    assert everyone["U1"].flag == "inflation"


def test_calibration_deflation_and_the_minimum_number_of_accounts(sqlite_db: Database) -> None:
    with sqlite_db.write() as s:
        users(s)
        for i in range(5):
            _judged(s, f"X{i}", "U1", 2)  # 20 values of 2
        for i in range(15):
            _judged(s, f"Y{i}", "U3", 3)  # mean (40 + 180) / 80 = 2.75
        for i in range(4):
            _judged(s, f"Z{i}", "U2", 5)  # only 4 accounts: never flagged
    with sqlite_db.session() as s:
        result = call_tool(ctx_for(s, "ADM"), "show_matrix", {"scope": "all"})
    by = {c.scorer_id: c for c in result.calibration}
    # with U2's 16 fives the mean is (40 + 180 + 80) / 96 = 3.125
    assert result.portfolio_judgment_mean == round(300 / 96, 2)
    assert by["U1"].gap == round(2 - 300 / 96, 2) == -1.12 and by["U1"].flag == "deflation"
    assert by["U2"].gap == round(5 - 300 / 96, 2) and by["U2"].flag is None  # +1.88 over 4 accounts


def test_economics_and_margin_leakage(db: Database) -> None:
    with db.write() as s:
        users(s)
        for i in range(8):
            account(s, f"S{i}", f"Small {i}", annual_revenue=10.0 + i, gross_margin_pct=50, cost_to_serve=1)
        # 8 of 10 have less revenue: 1 + floor(5 x 8 / 10) = 5 for both big ones (a tie)
        account(s, "LEAK", "Leaky", annual_revenue=1000, gross_margin_pct=15, cost_to_serve=60)  # 90 < 100
        account(s, "EDGE", "Edge", annual_revenue=1000, gross_margin_pct=15, cost_to_serve=50)  # 100: not under
    result = _matrix(db, "U1", "mine")
    rows = {a.id: a for a in result.accounts}
    assert rows["LEAK"].contribution == 90.0 and rows["LEAK"].cost_to_serve_ratio == 0.06
    assert rows["LEAK"].margin_leakage is True
    assert rows["EDGE"].contribution == 100.0 and rows["EDGE"].margin_leakage is False
    assert rows["S0"].contribution == 4.0 and rows["S0"].margin_leakage is False  # 10 x 50% - 1, revenue score 1
    [leak] = [w for w in result.warnings if w.kind == "margin_leakage"]
    assert leak.evidence["accounts"] == ["LEAK"]
    assert result.totals["contribution"] == 90 + 100 + sum((10 + i) * 0.5 - 1 for i in range(8))
    with db.session() as s:
        score = compute_scores(ctx_for(s, "U1"), ["LEAK"])["LEAK"]
    assert score.criteria["revenue"].value == 5
    assert score.economics is not None and score.economics.contribution_share == 0.09
    assert "Margin leakage" in result.as_markdown()
