"""Scoring (SPEC 5.1), hand-computed: every band edge, the weights, missing criteria, ties and the threshold."""

from __future__ import annotations

import pytest
from scoring_seed import AS_OF, TOP, account, ctx_for, days_ago, person, touch, users
from sqlmodel import select

from store.db import Database
from store.models import Account, AuditLog, ScoreRecord
from tools.compute.score_rules import axis_score, depth_score, quadrant_for, revenue_quintile, round_axis
from tools.compute.scoring import compute_scores
from tools.errors import NotFound
from tools.registry import call_tool
from tools.rules import Rules, Scoring

RULES = Rules()


@pytest.mark.parametrize(
    ("margin", "score"),
    [(0, 1), (9.99, 1), (10, 2), (19.99, 2), (20, 3), (29.99, 3), (30, 4), (39.99, 4), (40, 5), (95, 5)],
)
def test_gross_margin_bands(margin: float, score: int) -> None:
    assert RULES.scoring.gross_margin_bands.score(margin) == score


@pytest.mark.parametrize(
    ("revenue", "wallet", "score"),
    [(99, 1000, 1), (100, 1000, 2), (199, 1000, 2), (200, 1000, 3), (349, 1000, 3), (350, 1000, 4),
     (499, 1000, 4), (500, 1000, 5), (2000, 1000, 5)],
)
def test_share_of_wallet_bands(sqlite_db: Database, revenue: float, wallet: float, score: int) -> None:
    with sqlite_db.write() as s:
        users(s)
        account(s, "A1", "Acme", annual_revenue=revenue, wallet_estimate=wallet)
        got = compute_scores(ctx_for(s, "U1"))["A1"].criteria["share_of_wallet"]
    assert got.value == score
    assert got.evidence["ratio"] == round(revenue / wallet, 4)


@pytest.mark.parametrize(
    ("engaged", "mapped", "exec_engaged", "score"),
    [
        (0, 5, True, 1), (1, 10, True, 1),   # below 0.20
        (1, 5, True, 2), (2, 10, True, 2),   # exactly 0.20
        (1, 5, False, 1),                    # 2 minus the executive penalty
        (2, 5, True, 3),                     # 0.40
        (3, 5, True, 4), (3, 5, False, 3),   # exactly 0.60
        (7, 10, True, 5), (7, 10, False, 4),  # exactly 0.70
        (69, 100, True, 4),
        (0, 3, False, 1),                    # 1 minus 1, floored at 1
        (5, 5, False, 4),
    ],
)
def test_relationship_depth_bands_and_exec_penalty(engaged: int, mapped: int, exec_engaged: bool, score: int) -> None:
    assert depth_score(engaged, mapped, exec_engaged, RULES) == score


def test_relationship_depth_needs_mapped_stakeholders() -> None:
    assert depth_score(0, 0, False, RULES) is None


@pytest.mark.parametrize(("lower", "n", "q"), [(0, 5, 1), (1, 5, 2), (4, 5, 5), (0, 1, 1), (9, 10, 5), (1, 10, 1),
                                                (2, 10, 2), (3, 10, 2)])
def test_revenue_quintile_formula(lower: int, n: int, q: int) -> None:
    assert revenue_quintile(lower, n) == q


def test_weighted_means_and_an_axis_exactly_at_the_threshold() -> None:
    # revenue 5 x 0.3 + margin 2 x 0.2 + growth 3 x 0.3 + fit 1 x 0.2 = 3.00 (2.9999999999999996 in binary)
    axis = axis_score({"revenue": 5, "gross_margin": 2, "growth_potential": 3, "strategic_fit": 1},
                      RULES.scoring.attractiveness_weights, RULES)
    assert axis.score == 3.0 and axis.high is True
    assert quadrant_for(3.0, 3.0, 3.0) == "strategic_growth"
    assert quadrant_for(3.0, 2.99, 3.0) == "develop"
    assert quadrant_for(2.99, 3.0, 3.0) == "defend"
    assert quadrant_for(2.99, 2.99, 3.0) == "maintain_exit"
    assert quadrant_for(None, 4.0, 3.0) == "unscored"
    # strength: depth 4 x .3 + competitive 2 x .25 + wallet 3 x .25 + propensity 1 x .2 = 2.65
    strength = axis_score({"relationship_depth": 4, "competitive_position": 2, "share_of_wallet": 3,
                           "propensity_to_partner": 1}, RULES.scoring.strength_weights, RULES)
    assert strength.score == 2.65 and strength.high is False


def test_rounding_to_two_decimals_and_the_rounded_value_meets_the_threshold() -> None:
    assert round_axis(2.995) == 3.0
    assert round_axis(2.9949) == 2.99
    assert round_axis(3.004999) == 3.0
    rules = Rules(scoring=Scoring(attractiveness_weights={"revenue": 0.995, "gross_margin": 0.005}))
    # 3 x 0.995 + 2 x 0.005 = 2.995 -> 3.00: high
    axis = axis_score({"revenue": 3, "gross_margin": 2}, rules.scoring.attractiveness_weights, rules)
    assert axis.score == 3.0 and axis.high is True and axis.raw_mean == pytest.approx(2.995)
    # 3 x 0.994 + 2 x 0.006 = 2.994 -> 2.99: low
    rules = Rules(scoring=Scoring(attractiveness_weights={"revenue": 0.994, "gross_margin": 0.006}))
    axis = axis_score({"revenue": 3, "gross_margin": 2}, rules.scoring.attractiveness_weights, rules)
    assert axis.score == 2.99 and axis.high is False


def test_half_the_weight_scores_less_is_unscored() -> None:
    w = RULES.scoring.attractiveness_weights
    half = axis_score({"revenue": 5, "strategic_fit": 2}, w, RULES)  # 0.30 + 0.20 = exactly half
    assert half.score == round((5 * 0.3 + 2 * 0.2) / 0.5, 2) == 3.8
    assert half.missing == ["gross_margin", "growth_potential"]
    less = axis_score({"revenue": 5}, w, RULES)  # 0.30 only
    assert less.score is None and less.high is None
    assert less.missing == ["gross_margin", "growth_potential", "strategic_fit"]
    s = RULES.scoring.strength_weights
    assert axis_score({"competitive_position": 4, "share_of_wallet": 2}, s, RULES).score == 3.0  # 0.25 + 0.25
    assert axis_score({"propensity_to_partner": 4, "share_of_wallet": 2}, s, RULES).score is None  # 0.45


def test_revenue_ties_share_a_quintile_and_the_portfolio_is_every_account(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A1", "One", owner="U1", annual_revenue=100)
        account(s, "A2", "Two", owner="U1", annual_revenue=200)
        account(s, "A3", "Three", owner="U3", annual_revenue=200)
        account(s, "A4", "Four", owner="U3", annual_revenue=300)
        account(s, "A5", "Five", owner="U3", annual_revenue=400)
        account(s, "A6", "Unknown", owner="U1")
    with db.session() as s:
        # U1 sees only A1, A2 and A6, yet the quintile is over every account in the store
        scores = compute_scores(ctx_for(s, "U1"))
        rep_view = compute_scores(ctx_for(s, "U1"), ["A2"])
        admin_view = compute_scores(ctx_for(s, "ADM"), ["A2"])
    got = {aid: sc.criteria["revenue"].value for aid, sc in scores.items()}
    assert got == {"A1": 1, "A2": 2, "A3": 2, "A4": 4, "A5": 5, "A6": None}
    assert scores["A3"].criteria["revenue"].evidence == {
        "annual_revenue": 200, "accounts_with_lower_revenue": 1, "accounts_with_revenue": 5
    }
    assert rep_view["A2"] == admin_view["A2"]
    assert "revenue" in scores["A6"].missing


def test_relationship_depth_window_exec_and_left_company(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A1", "Acme", annual_revenue=1000, **TOP)
        for i in range(1, 6):
            person(s, f"S{i}", "A1", is_executive=(i == 5))
        person(s, "S9", "A1", left_company=True)
        touch(s, "A1", days_ago(89), "S1", "S9")  # first day of the 90-day window: engaged
        touch(s, "A1", days_ago(90), "S2")  # the day before the window: not engaged
        touch(s, "A1", days_ago(-1), "S3")  # after as_of: not counted
        touch(s, "A1", days_ago(200), "S5")  # the executive, long ago
    with db.session() as s:
        ctx = ctx_for(s, "U1")
        depth = compute_scores(ctx)["A1"].criteria["relationship_depth"]
        later = compute_scores(ctx, as_of=days_ago(-1))["A1"].criteria["relationship_depth"]
        early = compute_scores(ctx, as_of=days_ago(150))["A1"].criteria["relationship_depth"]
    # 1 of 5 mapped (S9 left) = 0.20 -> 2, no executive engaged -> 1
    assert depth.value == 1
    assert depth.evidence["engaged"] == 1 and depth.evidence["mapped"] == 5
    assert depth.evidence["band_score"] == 2 and depth.evidence["executive_penalty"] == 1
    assert depth.evidence["executive_engaged"] is False
    assert depth.evidence["window_start"] == days_ago(89).isoformat()
    # a day later: S1 (day 89 -> 90, out), S2 out, S3 in: 1 of 5 again
    assert later.evidence["engaged"] == 1
    # 150 days earlier: the executive's touch (50 days before) counts: 1 of 5 with an exec -> 2
    assert early.value == 2 and early.evidence["executive_engaged"] is True


def test_missing_criteria_are_named_and_unscored(db: Database) -> None:
    with db.write() as s:
        users(s)
        # attractiveness: revenue + strategic_fit (exactly half); strength: competitive + wallet (exactly half)
        account(s, "A1", "Half", annual_revenue=100, wallet_estimate=1000, strategic_fit=4, competitive_position=4,
                growth_potential=None)
        # attractiveness: revenue only (0.30 of 1.00)
        account(s, "A2", "Thin", annual_revenue=100, competitive_position=4, propensity_to_partner=4,
                wallet_estimate=1000)
    with db.session() as s:
        scores = compute_scores(ctx_for(s, "U1"))
    half = scores["A1"]
    # both accounts have a revenue of 100: none is strictly lower -> 1
    assert half.criteria["revenue"].value == 1
    assert half.attractiveness == round((1 * 0.3 + 4 * 0.2) / 0.5, 2) == 2.2
    # share of wallet 100 / 1000 = exactly 0.10 -> 2; (4 x 0.25 + 2 x 0.25) / 0.5 = 3.00: high
    assert half.criteria["share_of_wallet"].value == 2
    assert half.strength == round((4 * 0.25 + 2 * 0.25) / 0.5, 2) == 3.0
    assert half.quadrant == "defend"
    assert half.missing == ["gross_margin", "growth_potential", "relationship_depth", "propensity_to_partner"]
    thin = scores["A2"]
    assert thin.quadrant == "unscored" and thin.attractiveness is None and thin.strength is not None
    assert thin.unscored_reason is not None
    assert "gross_margin, growth_potential, strategic_fit" in thin.unscored_reason


def test_weights_come_from_the_rules(sqlite_db: Database) -> None:
    with sqlite_db.write() as s:
        users(s)
        account(s, "A1", "Acme", annual_revenue=100, gross_margin_pct=45, growth_potential=1, strategic_fit=1)
    rules = Rules(scoring=Scoring(attractiveness_weights={"revenue": 0.1, "gross_margin": 0.9}))
    with sqlite_db.session() as s:
        default = compute_scores(ctx_for(s, "U1"))["A1"]
        custom = compute_scores(ctx_for(s, "U1", rules=rules))["A1"]
    assert default.attractiveness == round(1 * 0.3 + 5 * 0.2 + 1 * 0.3 + 1 * 0.2, 2) == 1.8
    assert custom.attractiveness == round(1 * 0.1 + 5 * 0.9, 2) == 4.6


def test_score_account_stores_the_scoring_and_assign_quadrant_says_what_changed(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A1", "Acme Corp", owner="U1", annual_revenue=1000, **TOP)
        person(s, "S1", "A1", is_executive=True)
        touch(s, "A1", days_ago(5), "S1")
    with db.write() as s:
        result = call_tool(ctx_for(s, "M1"), "score_account", {"account": "acme"})
    # the only account: revenue 1; 1 x 0.3 + 5 x 0.2 + 5 x 0.3 + 5 x 0.2 = 3.8
    assert result.quadrant == "strategic_growth" and result.attractiveness == 3.8 and result.strength == 5.0
    assert result.changed is None
    data = result.as_json()
    assert {"criteria", "attractiveness", "strength", "quadrant", "missing"} <= set(data)
    assert data["criteria"]["relationship_depth"]["evidence"]["engaged"] == 1
    md = result.as_markdown()
    assert "Strategic Growth" in md and "1 of 1 mapped stakeholders engaged" in md

    with db.write() as s:
        row = s.get(Account, "A1")
        assert row is not None
        row.growth_potential, row.strategic_fit, row.gross_margin_pct = 1, 1, 5.0
        s.add(row)
    with db.write() as s:  # the same day: the history orders by id within a day
        moved = call_tool(ctx_for(s, "U1"), "assign_quadrant", {"account": "A1"})
    assert moved.quadrant == "defend"
    assert moved.coverage is not None and moved.coverage.key_touch_days == 60
    assert moved.changed is not None
    assert moved.changed.previous_quadrant == "strategic_growth" and moved.changed.direction == "down"
    assert moved.changed.previous_scored_by == "M1"
    changed = {c["criterion"]: (c["before"], c["after"]) for c in moved.changed.criteria_changes}
    assert changed == {"gross_margin": (5, 1), "growth_potential": (5, 1), "strategic_fit": (5, 1)}
    assert "moved down from Strategic Growth" in moved.as_markdown()

    with db.session() as s:
        records = s.exec(select(ScoreRecord).order_by(ScoreRecord.id)).all()
        audits = s.exec(select(AuditLog).where(AuditLog.action == "score")).all()
    assert [(r.quadrant, r.scored_by, r.as_of) for r in records] == [
        ("strategic_growth", "M1", AS_OF), ("defend", "U1", AS_OF)
    ]
    assert records[0].criteria["revenue"] == 1 and records[1].criteria["growth_potential"] == 1
    assert len(audits) == 2


def test_unscored_account_gets_no_coverage_model(sqlite_db: Database) -> None:
    with sqlite_db.write() as s:
        users(s)
        account(s, "A1", "Bare")
    with sqlite_db.write() as s:
        result = call_tool(ctx_for(s, "U1"), "assign_quadrant", {"account": "bare"})
    assert result.quadrant == "unscored" and result.coverage is None
    assert "Develop touch windows (45 days" in result.coverage_note


def test_another_reps_account_is_not_found_like_a_missing_one(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A1", "Acme Corp", owner="U1")
        account(s, "A9", "Secret Holdings", owner="U3")
    with db.write() as s:
        with pytest.raises(NotFound) as hidden:
            call_tool(ctx_for(s, "U1"), "score_account", {"account": "Secret Holdings"})
        with pytest.raises(NotFound) as by_id:
            call_tool(ctx_for(s, "U1"), "score_account", {"account": "A9"})
        assert s.exec(select(ScoreRecord)).all() == []
    with db.write() as s:
        s.delete(s.get(Account, "A9"))
    with db.write() as s, pytest.raises(NotFound) as missing:
        call_tool(ctx_for(s, "U1"), "score_account", {"account": "Secret Holdings"})
    assert hidden.value.message == missing.value.message == "no account named 'Secret Holdings'"
    assert hidden.value.suggestions == missing.value.suggestions
    assert "Secret" not in by_id.value.message.replace("'A9'", "")
