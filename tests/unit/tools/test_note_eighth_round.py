"""Forms an outsider set in new registers (wild16: sales jargon, British understatement, Indian English, phone typing,
a manager's sit-in write-ups, a template of labelled fields) showed the reader and the thread missing, each read by a
general mechanism: "tomorrow EOD", "Friday week", "fri next wk", "Thu 10.12."; a template's "What we owe:" / "What
they owe:"; "used to be our loudest advocate"; and in the thread: an edit asked as a question ("Could you take him
off?"), an edit's opening at any length ("forgot one: ..."), the draft's own account named in a correction, a due
date that is no meeting day, and an appraisal that approves ("That'll do nicely")."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from store.db import Database
from store.models import Interaction
from tests.unit.tools.test_note_drafts import _note, _say, _stored, store  # noqa: F401 (the fixture)
from tools.notes.extract import OfflineExtractor
from tools.notes.extract.dates import DATE_RE
from tools.notes.extract.dues import due_in
from tools.notes.schema import KnownAccount, KnownPerson

THU = dt.date(2026, 12, 3)
CROWN = [KnownPerson("S20", "Laura Hoffmann", "A9", "Plant Manager"),
         KnownPerson("S21", "James Murphy", "A9", "Controller"),
         KnownPerson("S22", "Kevin Lopez", "A9", "Head of IT")]


def _crown(text: str):  # noqa: ANN202 (the extraction)
    return OfflineExtractor().extract(text, as_of=THU, people=CROWN,
                                     accounts=[KnownAccount(id="A9", name="Crown Point Manufacturing")],
                                     account_id="A9")


@pytest.mark.parametrize(("phrase", "day"), [
    ("by tomorrow EOD", dt.date(2026, 12, 4)), ("tmrw eod", dt.date(2026, 12, 4)),
    ("by Friday week", dt.date(2026, 12, 11)),  # a week after the coming Friday
    ("fri next wk", dt.date(2026, 12, 11)), ("monday next week", dt.date(2026, 12, 7)),
    ("monday week", dt.date(2026, 12, 14)), ("by Friday", dt.date(2026, 12, 4)),
    ("by the close of next week", dt.date(2026, 12, 11)),
])
def test_a_due_said_with_its_hour_or_its_week(phrase: str, day: dt.date) -> None:
    questions: list[str] = []
    assert due_in(phrase, 0, len(phrase), THU, questions)[0] == day
    assert questions == []


def test_a_weekday_before_a_dotted_date_is_one_phrase() -> None:
    assert [m.group(0) for m in DATE_RE.finditer("release schedule - Thu 10.12. (Sam)")] == ["Thu", "10.12."]
    assert [m.group(0) for m in DATE_RE.finditer("call monday 30. then")] == ["monday 30"]


def test_a_templates_owe_lines_are_promises_on_each_side() -> None:
    x = _crown("Account: Crown Point Manufacturing\nDate: Wed 2 Dec\nWho was there: Laura Hoffmann, James Murphy\n"
               "What we owe: comparison sheet - 9.12.\nWhat they owe: n/a\nOther: -")
    assert [(c.side, c.description, c.due) for c in x.commitments] == [
        ("ours", "comparison sheet", dt.date(2026, 12, 9))]
    x = _crown("Account: Crown Point Manufacturing\nDate: Wed 2 Dec\nWho was there: Laura Hoffmann, James Murphy\n"
               "What we owe: n/a\nWhat they owe: Laura - budget decision by 18.12.\nOther:")
    assert [(c.side, c.owner_name, c.description, c.due) for c in x.commitments] == [
        ("customer", "Laura Hoffmann", "budget decision", dt.date(2026, 12, 18))]


@pytest.mark.parametrize(("said", "value"), [
    ("Kevin Lopez used to be our loudest advocate and left before the roadmap section.", -1),
    ("Kevin Lopez used to be Jordan's strongest ally, now answers in single sentences.", -1),
    ("Kevin Lopez used to be sceptical but now he is on board.", 1),
    ("Kevin Lopez was our loudest advocate.", 1),
])
def test_what_someone_used_to_be_they_are_no_more(said: str, value: int) -> None:
    x = _crown(f"Call with James Murphy today. {said}")
    assert {p.stakeholder_id: (p.sentiment > 0) - (p.sentiment < 0) for p in x.participants}["S22"] == value


def test_an_edit_asked_as_a_question_is_made(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield and Ben Okoro at Acme today, Dana was happy.")["status"] == "pending"
    dropped = _say(store, "And Ben Okoro wasn't on it after all, I was thinking of the previous call. Could you "
                          "take him off?")
    assert dropped is not None and dropped.pending is not None and dropped.reply.startswith("Revised:")
    assert [p["stakeholder_id"] for p in dropped.pending["participants"]] == ["S1"]


def test_an_edits_opening_holds_at_any_length(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield at Acme today, she was happy. I'll send the deck by Friday.")[
        "status"] == "pending"
    added = _say(store, "forgot one: Hannah Cole from IT hopped on for the last fifteen minutes, she is the one who "
                        "wants the dashboards and she was genuinely excited about the roadmap. put her down as "
                        "positive")
    assert added is not None and added.pending is not None and added.reply.startswith("Revised:")
    assert {p["stakeholder_id"]: p["sentiment"] > 0 for p in added.pending["participants"]} == {"S1": True,
                                                                                                "S7": True}
    assert [c["description"] for c in added.pending["commitments"]] == ["send the deck"]


def test_a_correction_naming_the_drafts_own_account_edits_it(store: Database) -> None:  # noqa: F811
    note = "Call with Dana Whitfield at Acme yesterday, she was happy. Hannah Cole has left Acme, I gather."
    assert _note(store, note)["status"] == "pending"
    fixed = _say(store, "I may have misled you: Hannah hasn't left. She's moved across to Head of Digital, still at "
                        "Acme.")
    assert fixed is not None and fixed.pending is not None and fixed.reply.startswith("Revised:")
    assert [(c["stakeholder_id"], c["kind"]) for c in fixed.pending["changes"]] == [("S7", "title_change")]
    assert [p["stakeholder_id"] for p in fixed.pending["participants"]] == ["S1"]
    assert fixed.pending["interaction_date"] == "2026-11-17"


def test_a_due_date_correction_never_moves_the_meeting(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield at Acme today, she was happy.")["status"] == "pending"
    said = _say(store, "Due for the release schedule is 8.12., not 10.12.")
    pending = said.pending if said is not None else None
    assert pending is None or pending["interaction_date"] == "2026-11-18"


def test_an_appraisal_approves_the_draft(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield at Acme today, she was happy.")["status"] == "pending"
    done = _say(store, "That'll do nicely, thank you.")
    assert done is not None and done.record["result"]["status"] == "stored"
    with store.session() as s:
        assert s.exec(select(Interaction)).first() is not None
    _, stored_people, _ = _stored(store)
    assert [p.stakeholder_id for p in stored_people] == ["S1"]


def test_a_meeting_that_happened_is_dated_by_its_day() -> None:
    x = _crown("Meeting happened with Crown Point on Friday at their office. Laura Hoffmann was not at all happy.")
    assert x.date is not None and x.date.value == dt.date(2026, 11, 27)


@pytest.mark.parametrize(("said", "expected"), [
    ("I'm to send the pilot terms to Laura by the 11th.", ("ours", None, dt.date(2026, 12, 11))),
    ("Laura is meant to let us have the volumes by 14 December.",
     ("customer", "Laura Hoffmann", dt.date(2026, 12, 14))),
])
def test_a_promise_said_as_what_is_to_be_done(said: str, expected: tuple) -> None:
    x = _crown(f"Call with Laura Hoffmann today. {said}")
    assert [(c.side, c.owner_name, c.due) for c in x.commitments] == [expected]


def test_a_colleague_named_in_a_correction_is_no_new_note(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield at Acme today, she was happy. I'll send Dana the deck by Friday.")[
        "status"] == "pending"
    said = _say(store, "Small thing: the deck will come from Tom Becker rather than me, he is the one Dana knows.")
    assert said is not None and said.pending is not None  # the draft answered, not a new note over it
    assert [p["stakeholder_id"] for p in said.pending["participants"]] == ["S1"]
    assert [(c["description"], c["owner_id"]) for c in said.pending["commitments"]] == [("send Dana the deck", "U2")]


def test_a_closing_please_add_adds_what_the_reply_said(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield at Acme today, she was happy.")["status"] == "pending"
    added = _say(store, "What we owe: I send the cost breakdown by Monday. Please add.")
    assert added is not None and added.pending is not None and added.reply.startswith("Revised:")
    assert [(c["side"], c["due"]) for c in added.pending["commitments"]] == [("ours", "2026-11-23")]


@pytest.mark.parametrize(("said", "expected"), [
    ("Laura Hoffmann was having many doubts, not at all convinced. James Murphy - no view.", {"S20": -1, "S21": 0}),
    ("Laura Hoffmann was clearly taken with the figures. James Murphy was rather less taken with it.",
     {"S20": 1, "S21": -1}),
    ("Laura Hoffmann is cent percent with us and has already blocked budget for phase two. James Murphy - no view.",
     {"S20": 1, "S21": 0}),
    ("Laura Hoffmann volunteered her own team for the UAT. James Murphy - no view.", {"S20": 1, "S21": 0}),
    ("Laura Hoffmann is our well-wisher. James Murphy was, I think, not best pleased about the invoice.",
     {"S20": 1, "S21": -1}),
    ("Laura Hoffmann still sore abt the migration weekend. James Murphy didnt even pretend to be nice.",
     {"S20": -1, "S21": -1}),
    ('Laura Hoffmann - "we\'re not ready to expand, full stop". James Murphy - "we\'re ready to expand".',
     {"S20": -1, "S21": 1}),
    ("James Murphy ok. Laura Hoffmann showed us her own poc built on our api, pretty cool.", {"S20": 0, "S21": 0}),
])
def test_moods_in_the_words_of_sit_ins_and_templates(said: str, expected: dict[str, int]) -> None:
    x = _crown(f"Call today. {said}")
    assert {p.stakeholder_id: (p.sentiment > 0) - (p.sentiment < 0) for p in x.participants} == expected


def test_a_departure_at_a_lines_end_is_no_participant() -> None:
    x = _crown("Account: Crown Point Manufacturing\nDate: Wed 2 Dec\nWho was there: Laura Hoffmann\n"
               "Anything changed on their side?: Kevin Lopez left\nWhat we owe: n/a")
    assert [p.stakeholder_id for p in x.participants] == ["S20"]
    assert [(c.stakeholder_id, c.kind) for c in x.changes] == [("S22", "left_company")]


@pytest.mark.parametrize(("said", "value"), [
    ("Laura Hoffmann said the rollout went smoothly.", 1),
    ("Laura Hoffmann said the new release is a big improvement.", 1),
    ("Laura Hoffmann told us the dashboards are a hit with her team.", 1),
    ("Laura Hoffmann said support has been slow.", -1),
    ("Laura Hoffmann said the migration was a nightmare.", -1),
    ("Laura Hoffmann said support isnt slow any more.", 1),
    ("Laura Hoffmann said the rollout went smoothly but support is slow.", 0),  # mixed: neither
    ("Laura Hoffmann said she'd send the useful doc by Friday.", 0),  # a promise, not a judgement
])
def test_a_reported_judgement_of_how_things_go_is_the_speakers(said: str, value: int) -> None:
    x = _crown(f"Call today. {said}")
    assert {p.stakeholder_id: (p.sentiment > 0) - (p.sentiment < 0) for p in x.participants} == {"S20": value}


def test_a_promise_ends_where_a_clause_with_its_own_subject_begins() -> None:
    x = _crown("Visit today with Laura Hoffmann. Actions: I send Laura two references by 12/9, and James's team gets "
               "us updated headcount numbers next week.")
    assert [(c.side, c.description, c.due) for c in x.commitments][:1] == [
        ("ours", "send Laura two references", dt.date(2026, 12, 9))]


def test_add_with_a_capital_adds_the_person(store: Database) -> None:  # noqa: F811
    assert _note(store, "Meeting with Acme on 16.11. with Dana Whitfield and Ben Okoro, both neutral.")[
        "status"] == "pending"
    added = _say(store, "Add Hannah Cole, she was there, no reaction.")
    assert added is not None and added.pending is not None and added.reply.startswith("Revised:")
    assert {p["stakeholder_id"]: p["sentiment"] for p in added.pending["participants"]} == {"S1": 0, "S4": 0, "S7": 0}


@pytest.mark.parametrize(("said", "value", "promises"), [
    ("Laura Hoffmann has agreed to extend the pilot to the call centre.", 1, []),
    ("Laura Hoffmann is the one pushing our case inside, she will personally take our proposal to the CTO.", 1, []),
    ("Laura Hoffmann will extend the pilot by Friday.", 0, [("customer", dt.date(2026, 12, 4))]),  # a dated step
])
def test_a_decision_for_the_deal_without_a_day_is_a_stance(said: str, value: int, promises: list) -> None:
    x = _crown(f"Call today. {said}")
    assert {p.stakeholder_id: (p.sentiment > 0) - (p.sentiment < 0) for p in x.participants} == {"S20": value}
    assert [(c.side, c.due) for c in x.commitments] == promises


def test_a_judgement_of_a_competitors_offer_is_no_praise_of_ours() -> None:
    x = _crown("Call today. Laura Hoffmann said the competitor offers better terms.")
    assert {p.stakeholder_id: p.sentiment for p in x.participants} == {"S20": 0}


@pytest.mark.parametrize(("said", "expected"), [
    ("How did each react?: Laura - agreed to fund the second phase. James - n/a", {"S20": 1, "S21": 0}),
    # haggling is business, however hard (an outsider's gold: wild2 v-n025 "pushed hard on discount" is 0)
    ("Laura Hoffmann confirmed it sits in her plan and she's pushing to get it into Commit this quarter. James Murphy "
     "was on too and pushed hard on the rate card.", {"S20": 1, "S21": 0}),
    ("Laura Hoffmann pushed back on the fees. James Murphy listened.", {"S20": 0, "S21": 0}),
])
def test_a_labelled_reaction_and_haggling(said: str, expected: dict[str, int]) -> None:
    x = _crown(f"Call today with Laura Hoffmann and James Murphy.\n{said}")
    assert {p.stakeholder_id: (p.sentiment > 0) - (p.sentiment < 0) for p in x.participants} == expected


@pytest.mark.parametrize("greeting", ["good morning", "Good night!", "have a good one", "nice weekend?"])
def test_a_greeting_is_no_yes_to_the_draft(store: Database, greeting: str) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield at Acme today, she was happy.")["status"] == "pending"
    said = _say(store, greeting)
    assert said is None or said.record.get("result", {}).get("status") != "stored"
    with store.session() as s:
        assert s.exec(select(Interaction)).first() is None  # still waiting for a yes
    done = _say(store, "Morning! Looks good, save it.")
    assert done is not None and done.record["result"]["status"] == "stored"
