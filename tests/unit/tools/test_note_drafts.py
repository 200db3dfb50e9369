"""A note proposal is a draft the thread edits in ordinary words: answers, corrections, confirm and cancel
(tools/notes/draft.py, edits.py, replies.py), on SQLite and PostgreSQL. The message kind comes from the real
classifier, as the chat routes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from draft_seed import AS_OF, seed
from sqlmodel import select

from agent.understanding.message_kind import classify_message
from store.db import Database
from store.models import Commitment, Interaction, Participant, PendingAction, Stakeholder, User
from tools.context import ToolContext
from tools.notes.extract import OfflineExtractor
from tools.notes.log import log_note
from tools.notes.replies import HandledReply, respond
from tools.runner import AlreadyProcessed

NOTE = ("Met Dana Whitfield at Acme today, she is worried about the budget. I'll send the ROI deck by Friday "
        "and I'll book a workshop by 2026-12-04.")


@contextmanager
def _ctx(db: Database, thread: str = "t-1") -> Iterator[ToolContext]:
    with db.write() as session:
        user = session.get(User, "U1")
        assert user is not None
        yield ToolContext(session=session, as_of=AS_OF, user=user, db=db, extractor=OfflineExtractor(),
                          thread_id=thread)


def _note(db: Database, text: str, thread: str = "t-1") -> dict[str, Any]:
    with _ctx(db, thread) as ctx:
        return log_note(ctx, text=text).as_json()


def _say(db: Database, text: str, thread: str = "t-1") -> HandledReply | None:
    """A message in the thread as the chat routes it (``agent.chat``): the classifier's reading, then the draft."""
    kind = classify_message(text)
    sure = kind.confidence >= (0.8 if kind.kind == "request" else 0.5)
    with _ctx(db, thread) as ctx:
        return respond(ctx, text, reads_as=kind.kind if sure else "unsure")


def _stored(db: Database) -> tuple[Interaction, list[Participant], list[Commitment]]:
    with db.session() as s:
        interaction = s.exec(select(Interaction)).one()
        people = list(s.exec(select(Participant).where(Participant.interaction_id == interaction.id)))
        commitments = list(s.exec(select(Commitment).where(Commitment.source_interaction_id == interaction.id)))
    return interaction, people, commitments


@pytest.fixture
def store(db: Database) -> Database:
    seed(db)
    return db


@pytest.mark.parametrize(("note", "answer", "chosen"), [
    ("Met Priya at Acme yesterday, she was happy with the rollout. I'll send the deck by Friday.", "Priya Raman", "S2"),
    ("Met Priya at Acme yesterday, she was happy with the rollout. I'll send the deck by Friday.",
     "the procurement one", "S3"),
    ("Call with Wells at Acme today, he was worried about the audit.", "Liam", "S6"),
])
def test_an_answer_fills_the_question_and_the_filled_proposal_is_stored(store: Database, note: str, answer: str,
                                                                         chosen: str) -> None:
    asked = _note(store, note)
    assert asked["status"] == "question" and asked["participants"] == []
    filled = _say(store, answer)
    assert filled is not None and filled.pending is not None
    assert [p["stakeholder_id"] for p in filled.pending["participants"]] == [chosen]
    assert filled.pending["questions"] == [] and "Revised" in filled.reply
    done = _say(store, "confirm")
    assert done is not None and done.record["result"]["status"] == "stored"
    _, people, _ = _stored(store)
    assert [p.stakeholder_id for p in people] == [chosen]


def test_an_account_answer_reads_the_note_on_that_account(store: Database) -> None:
    asked = _note(store, "Lunch with Alice O'Brien yesterday, all positive. She will send the contract by Friday.")
    assert asked["status"] == "question"
    filled = _say(store, "the Apex one")
    assert filled is not None and filled.pending is not None
    assert filled.pending["account_id"] == "A3"
    assert [(p["stakeholder_id"], p["sentiment"]) for p in filled.pending["participants"]] == [("S9", 1)]
    assert [(c["side"], c["due"]) for c in filled.pending["commitments"]] == [("customer", "2026-11-20")]


def _revised(store: Database, correction: str) -> dict[str, Any]:
    first = _note(store, NOTE)
    assert first["status"] == "pending" and len(first["commitments"]) == 2
    handled = _say(store, correction)
    assert handled is not None and handled.pending is not None, correction
    assert handled.reply.startswith("Revised:")
    return handled.pending


@pytest.mark.parametrize(("correction", "check"), [
    ("the meeting was on monday actually", lambda p: p["interaction_date"] == "2026-11-16"),
    ("change the date to yesterday", lambda p: p["interaction_date"] == "2026-11-17"),
    ("it was yesterday", lambda p: p["interaction_date"] == "2026-11-17"),
    ("the owner is Tom", lambda p: [c["owner_id"] for c in p["commitments"]] == ["U2", "U2"]),
    ("Tom will do the second one", lambda p: [c["owner_id"] for c in p["commitments"]] == ["U1", "U2"]),
    ("drop the second commitment", lambda p: [c["due"] for c in p["commitments"]] == ["2026-11-20"]),
    ("remove the one about the workshop", lambda p: [c["description"] for c in p["commitments"]] == [
        "send the ROI deck"]),
    ("the first one is due 2026-11-25", lambda p: [c["due"] for c in p["commitments"]] == ["2026-11-25",
                                                                                         "2026-12-04"]),
    ("Ben was there too", lambda p: {x["stakeholder_id"] for x in p["participants"]} == {"S1", "S4"}),
    ("also she promised to send the usage data by Friday",
     lambda p: [(c["side"], c["owner_stakeholder_id"], c["due"]) for c in p["commitments"]][-1] == (
         "customer", "S1", "2026-11-20")),
    ("Hannah is the new Head of IT", lambda p: [(c["stakeholder_id"], c["kind"], c["new_title"])
                                                for c in p["changes"]] == [("S7", "title_change", "Head of IT")]),
    ("Dana was actually quite positive", lambda p: [x["sentiment"] for x in p["participants"]] == [1]),
    ("nah, it was last Monday", lambda p: p["interaction_date"] == "2026-11-16" and [
        c["due"] for c in p["commitments"]] == ["2026-11-20", "2026-12-04"]),  # a day, not "the last one"
    ("actually it was a call", lambda p: p["kind"] == "call"),
    ("push the workshop to 2026-12-11", lambda p: [c["due"] for c in p["commitments"]] == ["2026-11-20",
                                                                                          "2026-12-11"]),
    ("no commitments", lambda p: p["commitments"] == []),
    ("the first one is due next Wed", lambda p: [c["due"] for c in p["commitments"]] == ["2026-11-25",
                                                                                        "2026-12-04"]),
    ("Tom's taking the deck", lambda p: [c["owner_id"] for c in p["commitments"]] == ["U2", "U1"]),
    ("Dana wasn't there", lambda p: p["participants"] == []),
    ("that one's theirs", lambda p: {c["side"] for c in p["commitments"]} == {"customer"}),
    # a person named, then a pronoun: "take her out"; a bare "drop <name>"
    ("Dana wasn't actually at the meeting, take her out", lambda p: p["participants"] == []),
    ("drop Dana", lambda p: p["participants"] == []),
    ("take Dana off, she never joined in the end", lambda p: p["participants"] == []),  # the object between
    # "was not" says how she was, not where; the preface is no promise of ours
    ("Sorry, I must correct: Dana was not so worried in reality, she was quite positive", lambda p: [
        (x["stakeholder_id"], x["sentiment"]) for x in p["participants"]] == [("S1", 1)] and len(
        p["commitments"]) == 2),
    # away for a time to come is why the date moves, not absence from the meeting
    ("the first one is due Dec 4 actually, Dana's out till then", lambda p: [
        c["due"] for c in p["commitments"]] == ["2026-12-04", "2026-12-04"] and [
        x["stakeholder_id"] for x in p["participants"]] == ["S1"]),
    # the day a reply sets aside is not the one it sets
    ("the first one is due Dec 4, not Friday", lambda p: [c["due"] for c in p["commitments"]] == ["2026-12-04",
                                                                                                "2026-12-04"]),
    # a long reply that opens with an edit is about this draft, not a new note
    ("remove the workshop one, I already booked it with their team this morning",
     lambda p: [c["description"] for c in p["commitments"]] == ["send the ROI deck"]),
    # a drop reaches to the end of its own clause: the person added after it stays
    ("Ben was there too, he was neutral. drop Dana, she wasn't there. and add that Ben will send the usage data "
     "by Friday", lambda p: [x["stakeholder_id"] for x in p["participants"]] == ["S4"]),
    ("add Ben Okoro too, he was neutral", lambda p: {x["stakeholder_id"] for x in p["participants"]} == {"S1", "S4"}),
    # a request to add what it says ("please add it") is about this draft, not a new note
    ("And also I need to send her the pricing sheet until Friday, please add it.",
     lambda p: [c["description"] for c in p["commitments"]] == ["send the ROI deck", "book a workshop",
                                                                "send her the pricing sheet"]),
    ("forgot one: I'll send the pricing sheet by Friday", lambda p: [c["description"] for c in p["commitments"]] == [
        "send the ROI deck", "book a workshop", "send the pricing sheet"]),
])
def test_a_correction_shows_the_revised_proposal_and_confirm_stores_it(store: Database, correction: str,
                                                                        check: Any) -> None:
    revised = _revised(store, correction)
    assert check(revised), revised
    done = _say(store, "looks good")
    assert done is not None and done.record["result"]["status"] == "stored"
    interaction, people, commitments = _stored(store)
    assert interaction.date.isoformat() == revised["interaction_date"]
    assert sorted((p.stakeholder_id, p.sentiment) for p in people) == sorted(
        (x["stakeholder_id"], x["sentiment"]) for x in revised["participants"])
    assert sorted((c.side, c.owner_id or "", c.due.isoformat() if c.due else "") for c in commitments) == sorted(
        (c["side"], c["owner_id"] or "", c["due"] or "") for c in revised["commitments"])


def test_her_new_title_corrects_the_promotion(store: Database) -> None:
    first = _note(store, "Met Hannah Cole at Acme today, she's been promoted to VP Technology.")
    assert [c["new_title"] for c in first["changes"]] == ["VP Technology"]
    handled = _say(store, "sorry, her new title is Chief Technology Officer")
    assert handled is not None and handled.pending is not None
    assert [(c["stakeholder_id"], c["new_title"]) for c in handled.pending["changes"]] == [
        ("S7", "Chief Technology Officer")]


def test_a_departure_corrected_into_a_promotion(store: Database) -> None:
    first = _note(store, "Met Dana Whitfield at Acme today. Hannah Cole has left the company.")
    assert [c["kind"] for c in first["changes"]] == ["left_company"]
    revised = _say(store, "no, Hannah didn't leave, she was promoted to CTO")
    assert revised is not None and revised.pending is not None
    assert [(c["stakeholder_id"], c["kind"], c["new_title"]) for c in revised.pending["changes"]] == [
        ("S7", "title_change", "CTO")]
    assert _say(store, "yes, save it") is not None
    with store.session() as s:
        hannah = s.get(Stakeholder, "S7")
        assert hannah is not None and not hannah.left_company and hannah.title == "CTO"


@pytest.mark.parametrize("reply", ["ok confirm", "yes, save it", "yep save it", "looks right", "looks good",
                                   "go ahead", "👍", "ship it", "perfect, log it",
                                   # the other languages reps mix in, and a polite one that names the account
                                   "Passt, bitte speichern.", "Sí, así está bien. Guardar.", "Oui, enregistre",
                                   "Confirmed, thanks - that matches my notes, please save it to Acme."])
def test_confirm_in_ordinary_words(store: Database, reply: str) -> None:
    _note(store, NOTE)
    handled = _say(store, reply)
    assert handled is not None and handled.record["result"]["status"] == "stored", reply
    assert handled.pending is None
    _, _, commitments = _stored(store)
    assert len(commitments) == 2


@pytest.mark.parametrize("reply", ["scrap that", "never mind", "cancel", "don't save it", "no, drop it",
                                   "nah scrap that not worth logging",
                                   "Never mind, I'll log it later with the details.", "nein, abbrechen"])
def test_cancel_in_ordinary_words(store: Database, reply: str) -> None:
    _note(store, NOTE)
    handled = _say(store, reply)
    assert handled is not None and handled.record["result"]["status"] == "cancelled", reply
    with store.session() as s:
        assert s.exec(select(Interaction)).all() == []
        assert {a.status for a in s.exec(select(PendingAction))} == {"cancelled"}


@pytest.mark.parametrize("message", ["and what quadrant is it in?", "show my overdue commitments",
                                     "what did Dana say about pricing last month?"])
def test_a_new_request_leaves_the_draft_pending(store: Database, message: str) -> None:
    _note(store, NOTE)
    assert _say(store, message) is None  # the agent answers it
    with store.session() as s:
        assert [a.status for a in s.exec(select(PendingAction))] == ["pending"]
    assert _say(store, "confirm") is not None
    assert len(_stored(store)[2]) == 2


@pytest.mark.parametrize("reply", ["hmm", "wait", "hold on", "not sure", "make it next week",
                                   "it was with the other team", "take him off"])
def test_a_hesitation_or_an_unread_correction_is_never_a_confirm(store: Database, reply: str) -> None:
    _note(store, NOTE)
    handled = _say(store, reply)
    assert handled is not None and handled.pending is not None, reply  # the proposal is shown again, unchanged
    assert len(handled.pending["commitments"]) == 2
    with store.session() as s:
        assert s.exec(select(Interaction)).all() == []
        assert [a.status for a in s.exec(select(PendingAction))] == ["pending"]


def test_a_new_note_is_not_read_as_a_reply(store: Database) -> None:
    _note(store, NOTE)
    assert _say(store, "Met Erik Thornton at Globex yesterday, he liked the pilot and wants a quote.") is None


def test_confirm_while_a_question_is_open_asks_it_again(store: Database) -> None:
    _note(store, "Met Priya at Acme yesterday, she was happy with the rollout.")
    handled = _say(store, "confirm")
    assert handled is not None and handled.pending is None
    assert "Which Priya" in handled.reply
    with store.session() as s:
        assert s.exec(select(Interaction)).all() == []


def test_edits_stay_in_the_thread_they_were_made_in(store: Database) -> None:
    _note(store, NOTE, thread="t-1")
    assert _say(store, "drop the second commitment", thread="t-2") is None  # no draft there
    with store.session() as s:
        (action,) = s.exec(select(PendingAction)).all()
        assert len(action.payload["commitments"]) == 2


def test_the_proposal_json_keeps_its_field_names(store: Database) -> None:
    """Clients read ``pending_confirmation``: participants with stakeholder_id (or name when new) and sentiment;
    commitments with side, owner_id, description, due; changes with stakeholder_id and kind."""
    _note(store, "Met Dana Whitfield and Zoe Marsh (Head of Data) at Acme today. Hannah Cole has left the company. "
                 "I'll send the ROI deck by Friday.")
    revised = _say(store, "also she promised to send the usage data by Friday")
    assert revised is not None and revised.pending is not None
    pending = revised.pending
    assert {"status", "pending_id", "account_id", "interaction_date", "participants", "commitments", "changes",
            "questions"} <= set(pending)
    for person in pending["participants"]:
        assert {"stakeholder_id", "name", "sentiment"} <= set(person)
        assert person["stakeholder_id"] or person["name"]
    assert any(p["stakeholder_id"] is None and p["name"] == "Zoe Marsh" for p in pending["participants"])
    for commitment in pending["commitments"]:
        assert {"side", "owner_id", "description", "due"} <= set(commitment)
    assert {c["side"] for c in pending["commitments"]} == {"ours", "customer"}
    for change in pending["changes"]:
        assert {"stakeholder_id", "kind"} <= set(change) and change["kind"] in ("left_company", "title_change")
    assert pending["status"] == "pending" and pending["pending_id"].startswith("P-")
    assert dt.date.fromisoformat(pending["interaction_date"]) == AS_OF


def test_a_redelivered_edit_is_applied_once(store: Database) -> None:
    """A Slack retry of "drop the first commitment" (same event key) must not drop the second one too."""
    _note(store, NOTE)
    with _ctx(store) as ctx:
        first = respond(ctx, "drop the first commitment", reads_as="reply", event_key="slack:E1")
    assert first is not None and first.pending is not None and len(first.pending["commitments"]) == 1
    with pytest.raises(AlreadyProcessed), _ctx(store) as ctx:
        respond(ctx, "drop the first commitment", reads_as="reply", event_key="slack:E1")
    with store.session() as s:
        (action,) = s.exec(select(PendingAction)).all()
        assert len(action.payload["commitments"]) == 1


def test_a_confirm_is_a_confirm_when_a_commitment_shares_its_word(store: Database) -> None:
    _note(store, "Met Dana Whitfield at Acme today. I'll confirm the budget figures by Friday.")
    handled = _say(store, "confirm")
    assert handled is not None and handled.record["result"]["status"] == "stored"


@pytest.mark.parametrize("answer", ["Alice O'Brien, at Apex, the procurement one", "the Apex one"])
def test_which_person_answered_by_name_or_account_settles_both(store: Database, answer: str) -> None:
    asked = _note(store, "call w/ Alice today, she wants the SSO fix prioritised")
    assert asked["status"] == "question" and asked["account_id"] is None
    filled = _say(store, answer)
    assert filled is not None and filled.pending is not None and "Revised" in filled.reply
    assert filled.pending["account_id"] == "A3"
    assert [p["stakeholder_id"] for p in filled.pending["participants"]] == ["S9"]


def test_a_name_in_a_commitment_is_no_reference_to_it(store: Database) -> None:
    _note(store, "Met Dana Whitfield at Acme today. I'll send Dana the ROI deck by Friday.")
    revised = _say(store, "also Dana said she'd send us the usage data by Dec 4")
    assert revised is not None and revised.pending is not None
    assert sorted((c["side"], c["due"]) for c in revised.pending["commitments"]) == [
        ("customer", "2026-12-04"), ("ours", "2026-11-20")]


def test_a_title_given_later_goes_to_the_new_person_named_last(store: Database) -> None:
    _note(store, "Met Dana Whitfield at Acme today, she introduced me to Zoe Marsh who just joined them.")
    revised = _say(store, "oh and she's their Head of Data I think, forgot to say")
    assert revised is not None and revised.pending is not None and revised.reply.startswith("Revised:")
    assert [(p["stakeholder_id"], p["name"], p.get("title")) for p in revised.pending["participants"]
            if p["stakeholder_id"] is None] == [(None, "Zoe Marsh", "Head of Data")]
    assert _say(store, "yes save") is not None
    with store.session() as s:
        (zoe,) = s.exec(select(Stakeholder).where(Stakeholder.name == "Zoe Marsh")).all()
        assert zoe.title == "Head of Data"


def test_a_colleagues_promise_is_theirs_when_they_can_see_the_account(store: Database) -> None:
    result = _note(store, "Met Dana Whitfield at Acme today. Mara will send the exec summary by Friday. "
                          "Becker to send the pricing by Friday. I'll book the workshop by 2026-12-04.")
    owners = {c["description"]: (c["owner_id"], c["owner_name"]) for c in result["commitments"]}
    assert owners["send the exec summary"] == ("M1", "Mara Manager")  # Rae's manager sees Acme
    assert owners["send the pricing"] == ("U1", "Rae Rep")  # Tom Becker does not: the writer keeps it
    assert owners["book the workshop"] == ("U1", "Rae Rep")
