"""find_drifting_accounts: each reason at its edge, the order, scopes and the window (SPEC 5.4)."""

from __future__ import annotations

import pytest
from health_seed import AS_OF, account, context, days, touch, users

from store.db import Database
from store.models import AccountPlan, Commitment, Opportunity, Stakeholder
from tools.compute.engagement import load_engagement
from tools.compute.history import load_engagement_days
from tools.drift import find_drifting_accounts
from tools.errors import ToolError
from tools.registry import call_tool
from tools.rules import Rules


def _seed(db: Database) -> None:
    """As of AS_OF with the default 30-day window, so "before" is days(-30)."""
    with db.write() as s:
        users(s)
        # OV: pipeline 5 both days; plan 70 days old before (5), 100 now (1.11x -> 4): overall 5.0 -> 4.5
        account(s, "OV", "strategic_growth", growth_target=100.0)
        # OV3: the same plus commitments at 50% (2) both days: 4.0 -> 3.67, a fall of 0.33: not drifting
        account(s, "OV3", "strategic_growth", growth_target=100.0)
        # DD: five dimensions; commitments 0% overdue (5) -> 25% (3): 4.8 -> 4.4, only the dimension fell by 2
        account(s, "DD", "strategic_growth", growth_target=100.0)
        # KD / KD2: key stakeholders last met 45 days ago: not dark before (15 days), dark now (30-day window)
        account(s, "KD", "strategic_growth")
        account(s, "KD2", "strategic_growth")
        # QD: strength 3.00 (high) -> 2.70 (low) as the engaged stakeholder stops being the executive
        account(s, "QD", "strategic_growth", wallet_estimate=4000.0, competitive_position=3,
                propensity_to_partner=3)
        account(s, "OTHER", "strategic_growth", owner_id="U3", growth_target=100.0)  # outside M1's team
        s.flush()
        for aid in ("OV", "OV3", "DD", "OTHER"):
            s.add(Opportunity(id=f"O-{aid}", account_id=aid, name="deal", amount=300.0, stage="proposal"))
        for aid in ("OV", "OV3", "OTHER"):
            s.add(AccountPlan(account_id=aid, date=days(-100)))
        s.add(Commitment(id="OV3-1", account_id="OV3", description="late", due=days(-40)))
        s.add(Commitment(id="OV3-2", account_id="OV3", description="later", due=days(10)))
        s.add(AccountPlan(account_id="DD", date=days(-40)))
        s.add(Commitment(id="DD-1", account_id="DD", description="due in the window", due=days(-10)))
        for i in range(2, 5):
            s.add(Commitment(id=f"DD-{i}", account_id="DD", description="later", due=days(20)))
        people = [
            ("DD-E", "DD", dict(is_executive=True)),
            ("KD-K", "KD", dict(authority="budget")),
            ("KD-OLD", "KD", dict(authority="veto")),  # dark on both days: no reason
            ("KD-N", "KD", dict()),  # not key: no reason
            ("KD2-A", "KD2", dict(authority="approver")),
            ("KD2-B", "KD2", dict(tag="champion")),
            ("QD-E", "QD", dict(is_executive=True)),
            ("QD-O", "QD", dict()),
        ]
        for sid, aid, extra in people:
            s.add(Stakeholder(id=sid, account_id=aid, name=f"Person {sid}", **extra))
        s.flush()
        touch(s, "DD-1", "DD", days(-35), [("DD-E", 1)])
        touch(s, "DD-2", "DD", days(-5), [("DD-E", 1)])
        touch(s, "KD-1", "KD", days(-45), [("KD-K", None), ("KD-N", None)])
        touch(s, "KD-2", "KD", days(-70), [("KD-OLD", None)])
        touch(s, "KD2-1", "KD2", days(-45), [("KD2-A", None), ("KD2-B", None)])
        touch(s, "QD-1", "QD", days(-100), [("QD-E", None)])  # engaged before (70 days), not now (100)
        touch(s, "QD-2", "QD", days(-10), [("QD-O", None)])


def test_each_reason_and_the_order(db: Database) -> None:
    _seed(db)
    with context(db, "M1") as ctx:
        result = find_drifting_accounts(ctx, scope="team")
    assert result.before == days(-30) and result.accounts_checked == 6
    by_id = {a.id: a for a in result.accounts}
    assert [a.id for a in result.accounts] == ["OV", "DD", "QD", "KD2", "KD"]
    kinds = {aid: [r.kind for r in a.reasons] for aid, a in by_id.items()}
    assert kinds == {
        "OV": ["overall_drop"],
        "DD": ["dimension_drop"],
        "QD": ["quadrant_down"],
        "KD2": ["key_stakeholder_dark", "key_stakeholder_dark"],
        "KD": ["key_stakeholder_dark"],
    }
    ov = by_id["OV"]
    assert (ov.health_before, ov.health_now, ov.health_drop) == (5.0, 4.5, 0.5)
    assert ov.reasons[0].evidence["drop"] == 0.5
    dd = by_id["DD"]
    assert (dd.health_before, dd.health_now) == (4.8, 4.4)
    assert dd.reasons[0].evidence["dimension"] == "commitment_health"
    assert (dd.reasons[0].evidence["before"], dd.reasons[0].evidence["now"]) == (5.0, 3.0)
    kd = by_id["KD"].reasons[0]
    assert kd.evidence["stakeholder_id"] == "KD-K" and kd.evidence["last_touch"] == days(-45).isoformat()
    assert kd.evidence["dark_since"] == days(-15).isoformat()
    qd = by_id["QD"]
    assert (qd.quadrant_before, qd.quadrant_now) == ("strategic_growth", "develop")
    assert (qd.dimensions_before["relationship_depth"], qd.dimensions_now["relationship_depth"]) == (3.0, 2.0)
    md = result.as_markdown()
    assert "Strategic Growth -> Develop" in md and "went dark on" in md


def test_scope_window_and_json(db: Database) -> None:
    _seed(db)
    with context(db, "U3") as ctx:
        assert find_drifting_accounts(ctx, scope="mine").accounts_checked == 1
    with context(db, "ADM") as ctx:
        everything = find_drifting_accounts(ctx, scope="all")
        assert everything.accounts_checked == 7 and "OTHER" in [a.id for a in everything.accounts]
        # window 10: before is days(-10). KD's key people were already dark then (35 days); QD was already
        # Develop; OV's and OTHER's plans were exactly 90 days old (5) and are 100 now (4); DD-1 fell due.
        short = find_drifting_accounts(ctx, scope="all", window_days=10)
        assert [a.id for a in short.accounts] == ["OTHER", "OV", "DD"]
        data = call_tool(ctx, "find_drifting_accounts", {"scope": "all"}).as_json()
        first = data["accounts"][0]
        assert {"id", "health_now", "health_before", "reasons"} <= set(first)
        assert {"kind", "detail", "evidence"} <= set(first["reasons"][0])
        with pytest.raises(ToolError, match="window_days"):
            find_drifting_accounts(ctx, window_days=0)
        with pytest.raises(ToolError, match="unknown scope"):
            find_drifting_accounts(ctx, scope="world")


def test_as_of_decides_not_the_calendar(db: Database) -> None:
    _seed(db)
    with context(db, "M1", as_of=days(-60)) as ctx:
        early = find_drifting_accounts(ctx)
    assert early.before == days(-90)
    assert "KD" not in [a.id for a in early.accounts]  # on that day nobody had been met yet
    with context(db, "M1", as_of=AS_OF) as ctx:
        assert find_drifting_accounts(ctx).as_json() == find_drifting_accounts(ctx).as_json()


def test_engagement_for_both_days_in_one_pass_matches(db: Database) -> None:
    _seed(db)
    days_ = [AS_OF, days(-30), days(-75)]
    with db.session() as s:
        together = load_engagement_days(s, None, days_, Rules())
        for day in days_:
            alone = load_engagement(s, None, day, Rules())
            assert {aid: [vars(a) for a in e.stakeholders] for aid, e in together[day].items()} == {
                aid: [vars(a) for a in e.stakeholders] for aid, e in alone.items()}


def test_a_long_drift_list_fits_one_screen_and_counts_the_rest() -> None:
    import datetime as dt

    from tools.compute.health import fmt_score
    from tools.drift import MAX_LINES, DriftingAccount, DriftReason, DriftResult, _fitting

    def drifting(n: int) -> DriftingAccount:
        reasons = [DriftReason(kind="overall_drop", detail=f"overall health fell by {n % 3 + 1}")] * (n % 3 + 1)
        return DriftingAccount(id=f"A{n:03d}", name=f"Account {n}", owner_id="U1", quadrant_now="develop",
                               quadrant_before="strategic_growth" if n % 2 else "develop", health_now=3.0,
                               health_before=4.0 if n % 2 else 3.0, health_drop=1.0, dimensions_now={},
                               dimensions_before={}, reasons=reasons)

    many = [drifting(n) for n in range(30)]
    shown = _fitting(many)
    assert shown is not None and 1 <= shown < 30
    result = DriftResult(scope="team", as_of=dt.date(2026, 6, 30), before=dt.date(2026, 5, 31), window_days=30,
                         accounts_checked=40, thresholds={}, accounts=many, shown=shown, more=30 - shown)
    text = f"{result.lead()}\n\n{result.as_markdown()}"
    assert len(text.splitlines()) <= MAX_LINES
    assert text.count("\n### ") == shown and f"... and {30 - shown} more drifting accounts" in text
    three, four = fmt_score(3.0), fmt_score(4.0)
    assert f"Health still {three} (quadrant still Develop)" in text  # nothing changed is said so, not "3 -> 3"
    assert f"Health {four} -> {three}; quadrant Strategic Growth -> Develop" in text
    assert _fitting(many[:2]) is None  # a short list is listed in full
