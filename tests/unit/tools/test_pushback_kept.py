"""Each note's pushback reading kept with the note (``tools.compute.pushback_store``): the brief reads it back and
gives exactly what reading every note again gave, on SQLite and PostgreSQL; a note is read when it is stored,
read again when its text or its account's people change, and a brief never waits for another writer to save."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from scoring_seed import AS_OF, account, days_ago, person, users
from sqlalchemy import text
from sqlmodel import Session, col, select

import tools.compute.account_review as account_review
import tools.compute.pushback_store as pushback_store
from evals.fixtures import DEMO_AS_OF, demo_csv_dir
from store.db import Database
from store.importer import import_dir
from store.models import Account, Interaction, NotePushback, Stakeholder, User
from tools.compute.pushback import Pushback, PushbackNote, commercial_pushback
from tools.compute.pushback_reading import known_people, people_key
from tools.context import ToolContext
from tools.notes.extract.people import PeopleScan, scan_people
from tools.notes.extract.sentiment import sentiment_cues
from tools.notes.extract.text import sentences
from tools.notes.schema import KnownPerson
from tools.registry import call_tool

# ---- the computation before the readings were kept (commit f0d9157), verbatim: every note read on every call

_MONEY = re.compile(
    r"\b(?:price[sd]?|pricing|uplift|quote[sd]?|discounts?|budgets?|spend|spending|costs?|costly|expensive|"
    r"fees?|rates?|invoices?|licen[cs]e fees?|payment terms|commercials?|ROI|TCO|renewal terms)\b",
    re.IGNORECASE,
)
_DECIDES = ("budget", "approver", "veto")
_OBJECTS = re.compile(r"\b(?:push(?:ed|es|ing)?\s+back|pushback|objected|objects|objecting|balked|balks|baulked|"
                      r"resisted|resists|refused|rejected)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(she|he)\s+$", re.IGNORECASE)


def _old_pushback(session: Session, account_id: str, as_of: dt.date, window_days: int = 90,
                  **_ignored: object) -> list[Pushback]:
    people = list(session.exec(select(Stakeholder).where(Stakeholder.account_id == account_id)).all())
    deciders = {p.id: p for p in people if p.authority in _DECIDES or p.is_executive}
    if not deciders:
        return []
    known = [KnownPerson(id=p.id, name=p.name, account_id=account_id, title=p.title) for p in people]
    start = as_of - dt.timedelta(days=window_days - 1)
    notes = session.exec(select(Interaction).where(
        Interaction.account_id == account_id, Interaction.date >= start, Interaction.date <= as_of,
    ).order_by(col(Interaction.date).desc(), col(Interaction.id).desc())).all()
    found: dict[str, list[PushbackNote]] = {}
    for note in notes:
        body = note.text or ""
        if not _MONEY.search(body):
            continue
        scan = scan_people(body, known)
        hits = [(cue.key, _sentence_of(body, cue.span)) for cue in sentiment_cues(body, scan) if cue.value < 0]
        hits += _objections(body, scan)
        for key, sentence in hits:
            if key in deciders and sentence and _MONEY.search(sentence) and all(n.interaction_id != note.id
                                                                                  for n in found.get(key, [])):
                found.setdefault(key, []).append(PushbackNote(note.id, note.date, _quote(sentence)))
    out = [Pushback(pid, deciders[pid].name, deciders[pid].title, deciders[pid].authority,
                    deciders[pid].is_executive, items) for pid, items in found.items()]
    return sorted(out, key=lambda p: (p.notes[0].date, p.notes[0].interaction_id), reverse=True)


def _objections(body: str, scan: PeopleScan) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for piece in sentences(body):
        for verb in _OBJECTS.finditer(body, piece.start, piece.end):
            pronoun = _PRONOUN.search(body, piece.start, verb.start())
            who = scan.before(verb.start(), pronoun.group(1).lower() if pronoun else None)
            if who is not None and not who.ambiguous and (pronoun or who.start >= piece.start):
                out.append((who.key, piece.text.strip()))
    return out


def _sentence_of(body: str, span: str) -> str | None:
    at = body.find(span)
    if at < 0:
        return span or None
    return next((s.text.strip() for s in sentences(body) if s.start <= at < s.end), span)


def _quote(sentence: str) -> str:
    one = " ".join(sentence.split())
    return one if len(one) <= 160 else one[:159].rsplit(" ", 1)[0] + "…"


# ---- helpers


def _no_reading(*_args: object) -> object:
    raise AssertionError("a kept reading was expected, but the note was read again")


def _readings(db: Database) -> dict[str, tuple[str, str]]:
    with db.session() as s:
        return {r.interaction_id: (r.people, r.findings) for r in s.exec(select(NotePushback)).all()}


def _seed(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A1", "Acme Corp", owner="U1")
        person(s, "S1", "A1", name="Fay Fenwick", title="Chief Financial Officer", authority="budget")
        s.add(Interaction(id="N1", account_id="A1", date=days_ago(10),
                          text="Call with Fay Fenwick. Fay objected to the 5% uplift in the renewal quote."))
        s.add(Interaction(id="N2", account_id="A1", date=days_ago(11),
                          text="Pricing review. Dana Diaz pushed back on the licence fees."))


# ---- the demo portfolio: kept readings against the old computation, on both stores


def test_kept_readings_give_the_old_answer_on_the_demo_portfolio(db: Database,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    report = import_dir(db, demo_csv_dir(), actor="test", as_of=DEMO_AS_OF, progress=False)
    assert report.ok, [str(e) for e in report.errors[:5]]
    assert _readings(db) == {}  # an import leaves the reading to the first brief that needs the note
    with db.session() as s:
        ids = list(s.exec(select(Account.id).order_by(col(Account.id))).all())
    days = (DEMO_AS_OF, DEMO_AS_OF - dt.timedelta(days=45))
    with db.session() as s:
        old = {(aid, day): _old_pushback(s, aid, day) for aid in ids for day in days}
        first = {(aid, day): commercial_pushback(s, aid, day, db=db) for aid in ids for day in days}
    assert first == old
    assert sum(len(p.notes) for found in old.values() for p in found) >= 5  # the demo has pushback to find
    kept = _readings(db)
    assert len(kept) > 100 and any(findings != "[]" for _people, findings in kept.values())
    monkeypatch.setattr(pushback_store, "read_note", _no_reading)
    with db.session() as s:
        again = {(aid, day): commercial_pushback(s, aid, day, db=db) for aid in ids for day in days}
    assert again == old


def test_the_qbr_brief_is_the_same_from_kept_readings(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import_dir(db, demo_csv_dir(), actor="test", as_of=DEMO_AS_OF, progress=False)
    with db.session() as s:
        admin = s.exec(select(User).where(User.role == "admin")).first()
        ids = list(s.exec(select(Account.id).order_by(col(Account.id))).all())
    assert admin is not None

    def briefs() -> dict[str, str]:
        out = {}
        with db.session() as s:
            ctx = ToolContext(session=s, as_of=DEMO_AS_OF, user=admin, db=db)
            for aid in ids:
                out[aid] = call_tool(ctx, "prep_qbr", {"account": aid}).markdown
        return out

    with monkeypatch.context() as m:
        m.setattr(account_review, "commercial_pushback", _old_pushback)
        old = briefs()
    assert sum("pushed back" in b or "pushback" in b.lower() for b in old.values()) >= 2
    assert briefs() == old  # the first brief reads the notes and keeps the readings
    monkeypatch.setattr(pushback_store, "read_note", _no_reading)
    assert briefs() == old  # the next ones read the kept readings only


# ---- when a note is read


def test_a_confirmed_note_is_read_when_it_is_stored(db: Database) -> None:
    from tools.notes.extract import OfflineExtractor
    from tools.notes.log import log_note
    from tools.notes.replies import handle_reply

    with db.write() as s:
        users(s)
        account(s, "A1", "Acme Corp", owner="U1")
        person(s, "S1", "A1", name="Dana Whitfield", title="Chief Financial Officer", authority="budget")
    story = "Met Dana (CFO) at Acme today, she's worried about budget; I'll send the ROI deck by Friday"
    for step in ("log", "confirm"):
        with db.write() as s:
            user = s.get(User, "U1")
            assert user is not None
            ctx = ToolContext(session=s, as_of=AS_OF, user=user, db=db, extractor=OfflineExtractor(), thread_id="t")
            if step == "log":
                log_note(ctx, text=story)
            else:
                handled = handle_reply(ctx, kind="confirm")
                assert handled is not None and handled.record["ok"]
                iid = handled.record["result"]["interaction_id"]
    with db.session() as s:
        people = list(s.exec(select(Stakeholder).where(Stakeholder.account_id == "A1")).all())
    people_of, findings = _readings(db)[iid]
    assert people_of == people_key(known_people(people, "A1"))
    assert findings == '[["S1", "Met Dana (CFO) at Acme today, she\'s worried about budget"]]'


def test_a_note_whose_text_changes_or_that_goes_is_read_again(db: Database) -> None:
    _seed(db)
    with db.session() as s:
        [fay] = commercial_pushback(s, "A1", AS_OF, db=db)
    assert [n.interaction_id for n in fay.notes] == ["N1"]
    assert set(_readings(db)) == {"N1", "N2"}
    with db.write() as s:  # any writer, even plain SQL: a trigger drops the stale reading
        s.execute(text("UPDATE interaction SET text = 'Call with Fay Fenwick. Fay balked at the price.' "
                       "WHERE id = 'N2'"))
        s.execute(text("UPDATE interaction SET kind = 'call' WHERE id = 'N1'"))  # the text is the same
    assert set(_readings(db)) == {"N1"}
    with db.session() as s:
        [fay] = commercial_pushback(s, "A1", AS_OF, db=db)
    assert [(n.interaction_id, n.quote) for n in fay.notes] == [
        ("N1", "Fay objected to the 5% uplift in the renewal quote."), ("N2", "Fay balked at the price.")]
    with db.write() as s:
        s.execute(text("DELETE FROM interaction WHERE id = 'N1'"))
    assert set(_readings(db)) == {"N2"}


def test_a_change_of_the_accounts_people_has_its_notes_read_again(db: Database) -> None:
    _seed(db)
    with db.session() as s:
        assert [p.stakeholder_id for p in commercial_pushback(s, "A1", AS_OF, db=db)] == ["S1"]
    with db.write() as s:  # Dana Diaz, unknown when N2 was read, is now the account's budget holder
        person(s, "S2", "A1", name="Dana Diaz", title="VP Procurement", authority="budget")
    with db.session() as s:
        found = commercial_pushback(s, "A1", AS_OF, db=db)
    assert [(p.stakeholder_id, [n.interaction_id for n in p.notes]) for p in found] == [("S1", ["N1"]),
                                                                                         ("S2", ["N2"])]
    with db.session() as s:
        people = list(s.exec(select(Stakeholder).where(Stakeholder.account_id == "A1")).all())
    assert {p for p, _f in _readings(db).values()} == {people_key(known_people(people, "A1"))}


def test_a_brief_without_the_store_reads_but_saves_nothing(db: Database) -> None:
    _seed(db)
    with db.session() as s:
        assert [p.stakeholder_id for p in commercial_pushback(s, "A1", AS_OF)] == ["S1"]
    assert _readings(db) == {}


def test_saving_never_waits_for_another_writer(sqlite_db: Database) -> None:
    _seed(sqlite_db)
    with sqlite_db.engine.connect() as conn:
        waits = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
    assert waits and waits > 0
    with sqlite_db.write() as writer:  # another writer holds the store
        writer.execute(text("UPDATE account SET industry = 'x' WHERE id = 'A1'"))
        assert not pushback_store.save_readings(sqlite_db, "A1", "k", [("N1", "t", [])])
        with sqlite_db.session() as s:  # the brief still answers, from its own reading
            assert [p.stakeholder_id for p in commercial_pushback(s, "A1", AS_OF, db=sqlite_db)] == ["S1"]
    assert _readings(sqlite_db) == {}
    with sqlite_db.engine.connect() as conn:  # the pooled connection waits as before for ordinary writes
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == waits
    with sqlite_db.session() as s:
        commercial_pushback(s, "A1", AS_OF, db=sqlite_db)
    assert set(_readings(sqlite_db)) == {"N1", "N2"}


def test_a_reading_is_saved_only_for_the_text_it_was_made_from(db: Database) -> None:
    _seed(db)
    stale = [("N1", "Some other text", [("S1", "quote")])]
    assert pushback_store.save_readings(db, "A1", "k", stale)  # the write went through, and saved nothing
    assert _readings(db) == {}


def test_a_write_tools_transaction_saves_the_readings_with_its_write(db: Database) -> None:
    _seed(db)
    with pytest.raises(RuntimeError), db.write() as s:  # draft_plan reads the review in its write transaction
        assert [p.stakeholder_id for p in commercial_pushback(s, "A1", AS_OF)] == ["S1"]
        raise RuntimeError("the write fails: its readings go with it")
    assert _readings(db) == {}
    with db.write() as s:
        assert [p.stakeholder_id for p in commercial_pushback(s, "A1", AS_OF)] == ["S1"]
    assert set(_readings(db)) == {"N1", "N2"}
