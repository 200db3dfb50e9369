"""draft_plan: every section, the white-space matrix, the stored version and plan currency (SPEC 5.5)."""

from __future__ import annotations

import pytest
from health_seed import AS_OF, context, days, rich_account, users
from sqlmodel import select

from store.db import Database
from store.models import AccountPlan, AuditLog, Opportunity, Product
from tools.compute.health import compute_health
from tools.compute.opportunities import Mention, opportunity_map, white_space
from tools.errors import NotFound
from tools.plan import draft_plan
from tools.registry import call_tool


def _seed(db: Database) -> None:
    with db.write() as s:
        users(s)
        rich_account(s)


def test_plan_is_stored_as_a_version_and_counts_for_plan_currency(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        first = draft_plan(ctx, account="acme")
        assert (first.version, first.plan_currency_before, first.plan_currency_after) == (1, 1.0, 5.0)
        assert compute_health(ctx, ["A1"])["A1"].dimensions["plan_currency"].score == 5
    with context(db, "U1", as_of=days(100)) as later:
        # 100 days after the plan: 1.11x the 90-day refresh window -> 4; a new draft makes it current again
        assert compute_health(later, ["A1"])["A1"].dimensions["plan_currency"].score == 4
        second = call_tool(later, "draft_plan", {"account": "A1"})
        assert second.version == 2 and second.plan_currency_before == 4 and second.plan_currency_after == 5
    with db.session() as s:
        plans = s.exec(select(AccountPlan).order_by(AccountPlan.id)).all()
        assert [(p.account_id, p.date, p.author_id, p.sections["version"]) for p in plans] == [
            ("A1", AS_OF, "U1", 1), ("A1", days(100), "U1", 2)]
        assert plans[0].markdown == first.markdown and plans[0].sections["white_space"]["counts"]["won"] == 1
        audits = s.exec(select(AuditLog).where(AuditLog.entity == "account_plan")).all()
        assert [(a.actor, a.action, a.entity_id) for a in audits] == [("U1", "create", str(plans[0].id)),
                                                                      ("U1", "create", str(plans[1].id))]


def test_sections_hand_checked(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        plan = draft_plan(ctx, account="Acme Corp")
    md = plan.markdown
    for heading in ("## 1. Situation summary", "## 2. Relationship status", "## 3. Opportunity map",
                    "### White space", "## 4. Stakeholder network", "## 5. Commitments", "## 6. Plays for",
                    "## 7. Risk register", "## Evidence from notes"):
        assert heading in md, heading
    sec = plan.sections
    assert sec.situation["quadrant"] == "strategic_growth" and sec.situation["attractiveness"] == 3.4
    assert sec.situation["health"] == 3.0  # (4 + 4 + 1 + 2 + 4) / 5, before this plan existed
    rel = sec.relationship
    assert (rel["mapped"], rel["engaged"], rel["coverage_pct"]) == (5, 3, 60.0)
    assert rel["unreached"] == ["Gus Ito"] and rel["executives_engaged"] == ["Dana Reyes"]

    # opportunity map: target 200k. O1 300k -> 1.5x -> size 5, negotiation 5, notes mention competitors but not
    # it -> medium (3): (5 + 5 + 3) / 3 = 4.33. O2 (product P2 = Payments, named in the competitor note) -> high.
    got = [(o.id, o.size, o.readiness, o.competitive_risk, o.priority) for o in sec.opportunity_map]
    assert got == [("O1", 5, 5, "medium", 4.33), ("O2", 4, 4, "high", 3.0), ("O6", 1, 1, "medium", 1.67),
                   ("O5", 2, 1, "high", 1.33)]
    assert sec.opportunity_map[1].product == "Payments" and sec.opportunity_map[1].product_id == "P2"
    assert sec.opportunity_map[1].evidence["competitive_risk"]["notes"][0]["interaction_id"] == "I2"

    tree = [(n.id, n.depth, n.reports_to, n.flags) for n in sec.stakeholder_network]
    assert tree == [("S1", 0, None, []), ("S2", 1, "S1", []), ("S3", 2, "S2", ["dark"]),
                    ("S4", 2, "S2", ["unreached"]), ("S5", 1, "S1", ["dark"])]
    assert [c.id for c in sec.commitments] == ["C1", "C2", "C3"]  # C4 done, C5 beyond 90 days
    assert sec.commitments_later == 1 and "1 more open commitment due later" in md
    assert sec.commitments[0].when == "overdue by 3 days" and sec.commitments[0].owner_name == "Rae Rep"
    assert sec.plays.guidance == ["strategic-growth-plays", "plays-by-quadrant"]
    assert any("Re-engage Fay Chen, Hal Ng" in x for x in sec.plays.from_findings)
    kinds = [r.kind for r in sec.risks]
    assert kinds == ["dark_key_stakeholder", "dark_key_stakeholder", "overdue_commitments", "lost_deal",
                     "competitor_mentions"]
    assert sec.risks[3].evidence["opportunity_id"] == "O4"


def test_white_space_matrix(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        grid = draft_plan(ctx, account="A1").sections.white_space
    assert grid.business_units == ["Finance", "Logistics"]  # Marketing only has a deal created after as_of
    assert [p["id"] for p in grid.products] == ["P1", "P2", "P3"]
    cells = {(c.business_unit, c.product_id): (c.state, c.opportunities, c.lost) for c in grid.cells}
    assert cells == {
        ("Finance", "P1"): ("won", ["O3"], []),  # "analytics" matches the catalog name in any case
        ("Finance", "P2"): ("in_pipeline", ["O2"], []),
        ("Finance", "P3"): ("open", [], []),
        ("Logistics", "P1"): ("in_pipeline", ["O1"], []),
        ("Logistics", "P2"): ("in_pipeline", ["O5"], []),
        ("Logistics", "P3"): ("open", [], ["O4"]),  # lost: still white space
    }
    assert grid.counts == {"won": 1, "in_pipeline": 3, "open": 2}
    assert grid.unplaced_opportunities == ["O6"]
    assert "| Finance | won | pipeline | · |" in grid.as_markdown()


def test_white_space_uncatalogued_product_and_past_day() -> None:
    opps = [
        Opportunity(id="X1", account_id="A", name="a", product="Widgets", business_unit="Ops", stage="closed_won",
                    created=days(-50), close_date=days(-10)),
        Opportunity(id="X2", account_id="A", name="b", product="P1", business_unit="Ops", stage="closed_won",
                    created=days(-50), close_date=days(-10)),
    ]
    grid = white_space(opps, [Product(id="P1", name="Analytics")], days(-20))
    cells = {(c.business_unit, c.product_id): c.state for c in grid.cells}
    # twenty days ago both were still open: in pipeline, not won; "Widgets" gets a column of its own
    assert cells == {("Ops", "P1"): "in_pipeline", ("Ops", "Widgets"): "in_pipeline"}


def test_opportunity_map_without_target_and_stale_or_slipped() -> None:
    opps = [
        Opportunity(id="Y1", account_id="A", name="big", amount=100.0, stage="qualification", created=days(-10)),
        Opportunity(id="Y2", account_id="A", name="stale", amount=50.0, stage="proposal", created=days(-181)),
        Opportunity(id="Y3", account_id="A", name="slipped", amount=20.0, stage="negotiation", created=days(-30),
                    close_date=days(-1)),
        Opportunity(id="Y4", account_id="A", name="fresh", amount=None, stage="prospecting", created=days(-180)),
    ]
    items = {o.id: o for o in opportunity_map(opps, None, [], AS_OF)}
    assert (items["Y1"].size, items["Y1"].competitive_risk) == (5, "low")  # the largest: 1.0 of the largest
    assert (items["Y2"].size, items["Y2"].competitive_risk) == (3, "medium")  # 0.5; open 181 days
    assert (items["Y3"].size, items["Y3"].competitive_risk) == (2, "medium")  # 0.2; close date passed
    assert (items["Y4"].size, items["Y4"].competitive_risk) == (1, "low")  # no amount; 180 days is not stale
    named = opportunity_map(opps, 100.0, [Mention(interaction_id="N", date=AS_OF, text="the rival pitched BIG")],
                            AS_OF)
    assert {o.id: o.competitive_risk for o in named}["Y1"] == "high"


def test_evidence_is_cited_and_bounded_by_scope_and_day(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        plan = draft_plan(ctx, account="acme")
    ev = plan.sections.evidence
    assert ev and all(e.account_id == "A1" and e.date <= AS_OF for e in ev)
    assert {e.interaction_id for e in ev} <= {"I1", "I2", "I3", "I4"}  # never I5 (after as_of) or I9 (A2)
    first = ev[0]
    assert first.citation == "2026-06-20, Rae Rep (meeting, I1)" and first.source == "text"
    assert "budget for analytics is approved" in first.excerpt
    assert f"— {first.citation}" in plan.markdown


def test_out_of_scope_account_is_not_found_and_nothing_is_stored(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        with pytest.raises(NotFound) as hidden:
            draft_plan(ctx, account="Hidden Co")
        with pytest.raises(NotFound) as missing:
            draft_plan(ctx, account="Nowhere Ltd")
    assert str(hidden.value).replace("Hidden Co", "X") == str(missing.value).replace("Nowhere Ltd", "X")
    with db.session() as s:
        assert s.exec(select(AccountPlan)).all() == []
    with context(db, "M1") as ctx:
        assert draft_plan(ctx, account="Acme").account_id == "A1"  # a manager plans a report's account
