"""prep_qbr: every section of the brief, hand-checked, with cited evidence from text or from the index."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from health_seed import AS_OF, context, days, rich_account, users

from knowledge.records import NoteHit, text_hash
from store.db import Database
from store.models import ScoreRecord
from tools.compute.health import compute_health
from tools.errors import NotFound
from tools.qbr import prep_qbr
from tools.registry import call_tool


def _seed(db: Database) -> None:
    with db.write() as s:
        users(s)
        rich_account(s)


def test_brief_sections_hand_checked(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        brief = prep_qbr(ctx, account="acme")
        now = compute_health(ctx, ["A1"])["A1"]
    sec = brief.sections
    assert brief.last_qbr == days(-200) and brief.qbr_due == days(-110) and brief.next_qbr_due == days(90)
    q = sec.quadrant
    assert (q.reference, q.reference_id, q.before, q.before_source, q.now, q.change) == (
        "qbr", "I4", "strategic_growth", "computed", "strategic_growth", "same")

    assert [(p.label, p.date) for p in sec.health.points] == [
        ("last QBR", days(-200)), ("90 days ago", days(-90)), ("now", AS_OF)]
    assert sec.health.points[-1].overall == now.overall == 3.0
    # at the last QBR: depth 3 (Dana, Eli of 5 = 0.4, an executive), pipeline O5 40k / 200k = 0.2 -> 1 (O3 was
    # still open: 80k + 40k = 0.6 -> 2), plan required and none -> 1, no commitments open then? C1..C5 have no
    # source note, so all but C4 (done later) were open and none overdue -> 5; sentiment (0 + 2) / 2 + 3 = 4
    assert sec.health.points[0].dimensions == {"relationship_depth": 3.0, "pipeline_coverage": 2.0,
                                               "plan_currency": 1.0, "commitment_health": 5.0, "sentiment": 4.0}
    assert sec.health.points[0].overall == 3.0 and sec.health.trend == "flat"

    since = sec.since_last_qbr
    assert since.interactions_by_kind == {"call": 1, "meeting": 2} and since.interactions_total == 3
    ids = {k: [o.id for o in v] for k, v in since.opportunities.items()}
    assert ids == {"opened": ["O1", "O2", "O4", "O6"], "advanced": ["O1", "O2"], "won": ["O3"], "lost": ["O4"]}
    assert [c["id"] for c in since.commitments_done] == ["C4"]
    assert [(c["id"], c["days_overdue"]) for c in since.commitments_overdue] == [("C1", 3)]

    ch = sec.stakeholder_changes
    assert [(n["stakeholder_id"], n["first_interaction"]) for n in ch.new] == [
        ("S5", days(-100).isoformat()), ("S3", days(-40).isoformat())]
    assert sorted(d["stakeholder_id"] for d in ch.dark) == ["S3", "S5"]
    assert ch.unreached_key == []  # Gus Ito was never met but is not key
    assert [(x["stakeholder_id"], x["before"], x["now"]) for x in ch.sentiment_shifts] == [("S2", 2, 1), ("S1", 0, 1)]

    assert [r.kind for r in sec.risks][:3] == ["dark_key_stakeholder", "dark_key_stakeholder", "overdue_commitments"]
    assert [a.title for a in sec.agenda] == ["Customer priorities", "Value delivered", "Scorecard and risks",
                                             "Opportunities", "Commitments", "Close"]
    assert sum(a.minutes for a in sec.agenda) == 60
    assert "Won since the last QBR: Analytics pilot (O3)." in sec.agenda[1].points
    questions = " ".join(sec.questions)
    assert "Fay Chen" in questions and "Hal Ng" in questions and "Support upgrade" in questions
    assert "Which alternatives are being considered for Payments" in questions

    md = brief.markdown
    for heading in ("## Quadrant", "## Health scorecard", "## Since 2025-12-12", "## Stakeholder changes",
                    "## Risks", "## Suggested agenda", "## Questions to ask", "## Evidence from call notes"):
        assert heading in md, heading
    assert "110 days late" in md


def test_evidence_from_text_is_cited_newest_first(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        evidence = prep_qbr(ctx, account="A1").sections.evidence
    assert evidence and all(e.source == "text" for e in evidence)
    assert [e.interaction_id for e in evidence[:3]] == ["I1", "I2", "I3"]  # since the last QBR, by topic
    assert evidence[1].citation == "2026-05-21, Sol Second (call, I2)"
    assert all(e.date <= AS_OF and e.account_id == "A1" for e in evidence)  # never I5 (future) or I9 (A2)


class _FakeIndex:
    """A note index that returns fixed hits: one good, one stale (text changed), one from another account."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.calls: list[dict[str, Any]] = []

    def search_notes(self, query: str, account_ids: list[str], k: int = 5, *, since: dt.date | None = None,
                     until: dt.date | None = None, mode: str | None = None) -> list[NoteHit]:
        self.calls.append({"query": query, "account_ids": list(account_ids), "since": since, "until": until})
        hits = [
            NoteHit(interaction_id="I2", account_id="A1", date=days(-40), author_id="U2", kind="call",
                    excerpt="evaluating a competitor for Payments", score=0.9, text_hash=text_hash(self.texts["I2"])),
            NoteHit(interaction_id="I1", account_id="A1", date=days(-10), author_id="U1", kind="meeting",
                    excerpt="an old copy", score=0.8, text_hash="stale"),
            NoteHit(interaction_id="I9", account_id="A2", date=days(-5), author_id="U3", kind="meeting",
                    excerpt="secret", score=0.7, text_hash=text_hash(self.texts["I9"])),
        ]
        return [h for h in hits if h.account_id in account_ids]


def test_evidence_uses_the_index_when_there_is_one(db: Database) -> None:
    _seed(db)
    texts = {"I2": "Fay is evaluating a competitor for Payments in Finance. We must respond with a better offer.",
             "I9": "Secret pricing talk at Hidden Co."}
    index = _FakeIndex(texts)
    with context(db, "U1", knowledge=index) as ctx:
        evidence = prep_qbr(ctx, account="Acme").sections.evidence
    [from_index] = [e for e in evidence if e.source == "index"]
    assert from_index.interaction_id == "I2"
    assert from_index.citation == "2026-05-21, Sol Second (call, I2)"
    assert [e.date for e in evidence] == sorted((e.date for e in evidence), reverse=True)  # read newest first
    assert [e.interaction_id for e in evidence if e.source == "index"] == ["I2"]  # stale and foreign hits dropped
    assert {e.interaction_id for e in evidence} >= {"I1", "I3"}  # the rest filled from the notes' text
    assert all(c["account_ids"] == ["A1"] and c["until"] == AS_OF for c in index.calls)


def test_quadrant_change_from_score_record_and_cadence_reference(db: Database) -> None:
    _seed(db)
    with db.write() as s:
        s.add(ScoreRecord(account_id="A1", as_of=days(-210), quadrant="develop", attractiveness=3.4, strength=2.9,
                          criteria={}))
    with context(db, "U1") as ctx:
        q = prep_qbr(ctx, account="A1").sections.quadrant
    assert (q.before, q.before_source, q.now, q.change) == ("develop", "score_record", "strategic_growth", "up")
    assert q.evidence["before"]["as_of"] == days(-210).isoformat()
    with context(db, "U1", as_of=days(-205)) as early:  # before the QBR note: the score record is the reference
        brief = prep_qbr(early, account="A1")
    assert (brief.sections.quadrant.reference, brief.last_qbr, brief.qbr_due) == ("score_record", None, None)
    assert brief.sections.quadrant.reference_date == days(-210)


def test_cadence_reference_when_nothing_is_on_record(db: Database) -> None:
    _seed(db)
    with context(db, "U1", as_of=days(-201)) as ctx:
        brief = call_tool(ctx, "prep_qbr", {"account": "acme"})
    q = brief.sections.quadrant
    assert q.reference == "cadence" and q.reference_date == days(-201 - 90)
    labels = [p.label for p in brief.sections.health.points]
    assert labels == ["reference", "now"]  # 90 days ago is the reference day itself
    assert brief.as_json()["sections"]["since_last_qbr"]["interactions_total"] == 0


def test_out_of_scope_is_not_found(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx, pytest.raises(NotFound):
        prep_qbr(ctx, account="Hidden")
    with context(db, "U3") as ctx:
        assert prep_qbr(ctx, account="Hidden").account_id == "A2"
