"""Forms an outsider set in new registers showed the reader and the thread missing (wild18: Irish English, notes
written as tables, Singaporean English, sarcasm, a manager pasting a rep's Slack, formal reported speech), each
read by a general mechanism: a table's rows are sentences and its score or RAG status the writer's rating; a future
told in reported speech ("it was agreed that Jordan would provide ...") is a promise; the day a note was passed on
("rang me this morning") is not the meeting's; a company named with a company word as the meeting's place is asked
about; and in the thread, "remove that" after naming a promise removes the promise, not the draft."""

from __future__ import annotations

import datetime as dt

import pytest

from store.db import Database
from tests.unit.tools.test_note_drafts import _note, _say, _stored, store  # noqa: F401 (the fixture)
from tools.notes.extract import OfflineExtractor
from tools.notes.extract.tables import untable
from tools.notes.schema import KnownAccount, KnownPerson, NoteExtraction
from tools.notes.validate import validate

WED = dt.date(2026, 12, 9)
ACME = [KnownPerson("S1", "Dana Whitfield", "A1", "CFO"), KnownPerson("S2", "Priya Shah", "A1", "Procurement Lead"),
        KnownPerson("S3", "Ben Okoro", "A1", "Data Engineer")]
ACCOUNTS = [KnownAccount(id="A1", name="Acme Corp"), KnownAccount(id="A2", name="Sequoia Medical Devices"),
            KnownAccount(id="A3", name="Keystone Mutual Insurance")]


def _extract(text: str, account_id: str | None = "A1") -> NoteExtraction:
    return OfflineExtractor().extract(text, as_of=WED, people=ACME, accounts=ACCOUNTS, account_id=account_id,
                                      colleagues=["Jordan Lee", "Rae Rep"])


TABLE = """Acme review, Tue 8/12.

| Name | Role | Score /10 | Notes |
|---|---|---|---|
| Dana Whitfield | CFO | 9 | already signed off the phase two budget |
| Priya Shah | Procurement | 2 | 'your rates went up, your service didn't' |
| Ben Okoro | Data Eng | 5 | asked about the export format |
| Nora Quinn | Head of Data (new) | 8 | wants the API docs |

I'll send Priya the rate benchmark by Fri."""


def test_a_tables_rows_are_read_as_sentences_and_its_scores_as_ratings() -> None:
    x = _extract(TABLE)
    moods = {p.stakeholder_id or p.name: p.sentiment for p in x.participants}
    assert moods == {"S1": 1, "S2": -1, "S3": 0, "Nora Quinn": 1}
    assert next(p for p in x.participants if p.is_new).title == "Head of Data"  # "(new)": a newcomer, with a title
    assert [(c.side, c.due) for c in x.commitments] == [("ours", dt.date(2026, 12, 11))]
    checked, dropped = validate(x, text=TABLE, as_of=WED, people=ACME, accounts=ACCOUNTS, account_id="A1")
    assert dropped == [] and checked.participants == x.participants  # every span is the note's own row


@pytest.mark.parametrize(("status", "sign"), [("green", 1), ("amber", 0), ("red", -1)])
def test_a_rag_status_without_a_header_is_a_rating(status: str, sign: int) -> None:
    x = _extract(f"Acme call Tue.\nDana Whitfield | CFO | {status} | budget talk\nPriya Shah | Proc | amber | fine")
    assert {p.stakeholder_id: p.sentiment for p in x.participants}["S1"] == sign


def test_pipes_on_one_line_or_rows_of_other_widths_are_no_table() -> None:
    assert untable("Acct: Acme | Type: call | Date: 18/11\nDana happy") is None
    assert untable("a | b | c\nd | e") is None


def test_a_future_told_in_reported_speech_is_a_promise() -> None:
    x = _extract("Jordan Lee reported that a call was held with Acme Corp on Monday the seventh of December. It was "
                 "agreed that Jordan Lee would send Ms Shah the revised terms by Friday the eleventh of December. I "
                 "informed Ms Shah that I would arrange a security review by Thursday the tenth of December. It was "
                 "agreed that Mr Okoro would circulate the minutes. Ms Whitfield would love a case study one day.")
    assert sorted(((c.side, c.owner_name, c.due) for c in x.commitments), key=str) == [
        ("customer", "Ben Okoro", None), ("ours", "Jordan Lee", dt.date(2026, 12, 11)),
        ("ours", None, dt.date(2026, 12, 10))]  # a wish ("would love") is no promise


@pytest.mark.parametrize(("text", "day"), [
    ("Jordan Lee telephoned me from the airport this morning with an account of the Acme meeting held at their "
     "offices on Monday the seventh of December. Ms Whitfield was most supportive.", dt.date(2026, 12, 7)),
    ("Jordan's message below, sent this morning from the airport.\n\n> Acme onsite Monday, Dana Whitfield happy.",
     dt.date(2026, 12, 7)),
    ("Jordan Lee rang me on Tuesday evening to report on his meeting at Acme. Dana Whitfield was happy.",
     dt.date(2026, 12, 8)),  # no other day given: the day it was passed on
])
def test_the_day_a_note_was_passed_on_is_not_the_meetings(text: str, day: dt.date) -> None:
    x = _extract(text)
    assert x.date is not None and x.date.value == day


def test_a_relay_by_phone_is_not_the_meetings_kind() -> None:
    relayed = _extract("Jordan Lee rang me on Tuesday evening to report on a meeting at Acme. Dana was happy.")
    assert relayed.kind is not None and relayed.kind.value == "meeting"
    rang = _extract("Dana Whitfield phoned me this morning, she was quite short with me.")
    assert rang.kind is not None and rang.kind.value == "call"


def test_a_meeting_date_months_back_in_one_order_is_read_in_the_other() -> None:
    x = _extract("Acme contract call, 03/12. Dana Whitfield happy.")
    assert x.date is not None and x.date.value == dt.date(2026, 12, 3)  # a week ago, not the 12th of March


@pytest.mark.parametrize("text", [
    "Monday I go Tanjong Medical Devices for intro meeting. Dr Lim very friendly. They want same setup like Sequoia.",
    "Jordan Lee rang me to report on a meeting held at the offices of Northgate Insurance. Mr Achterberg was keen.",
])
def test_a_company_with_a_company_word_as_the_meetings_place_is_asked_about(text: str) -> None:
    x = _extract(text, account_id=None)
    assert x.account is None and len(x.questions) == 1 and "I don't know" in x.questions[0]


def test_remove_that_after_naming_a_promise_removes_the_promise(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield at Acme today. Dana said she will send the user list by Friday. "
                        "I'll send the audit report to Dana by Friday.")["status"] == "pending"
    edited = _say(store, "Dana never said she will send the user list, she said maybe. Remove that.")
    assert edited is not None and edited.pending is not None  # the draft is still there
    assert [c["description"].lower() for c in edited.pending["commitments"]] == ["send the audit report to dana"]
    _say(store, "confirm")
    assert [c.description.lower() for c in _stored(store)[2]] == ["send the audit report to dana"]


@pytest.mark.parametrize(("phrase", "day"), [
    ("last week Thursday", dt.date(2026, 12, 3)), ("day before yesterday", dt.date(2026, 12, 7)),
    ("last week", dt.date(2026, 12, 2)),
])
def test_the_day_of_last_week_and_the_day_before_yesterday(phrase: str, day: dt.date) -> None:
    from tools.notes.extract.dates import DATE_RE, resolve
    found = DATE_RE.search(f"{phrase} call with Acme")
    assert found is not None and found.group(0) == phrase and resolve(phrase, WED, prefer="past") == day


def test_a_meeting_named_after_its_day_with_the_company_between() -> None:
    x = _extract("Jordan's message from last Thursday's Acme QBR, posting it for him:\n> Dana Whitfield happy.")
    assert x.date is not None and x.date.value == dt.date(2026, 12, 3)


def test_put_him_back_restores_the_person_taken_off(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield, Ben Okoro and Priya Shah at Acme today, Dana was delighted.")[
        "status"] == "pending"
    _say(store, "Take Ben off, he was on the earlier call.")
    back = _say(store, "Ach no, put him back, I'm thinking of someone else.")
    assert back is not None and back.pending is not None
    assert {p["name"] for p in back.pending["participants"]} == {"Dana Whitfield", "Ben Okoro", "Priya Shah"}
    assert next(p for p in back.pending["participants"] if p["name"] == "Dana Whitfield")["sentiment"] > 0


def test_it_is_them_sending_us_turns_a_promise_theirs(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield and Ben Okoro at Acme today. I'll send the data-mapping sheet by Friday.")
    moved = _say(store, "No, wait: it's Ben Okoro sending us the data-mapping sheet, not the other way round.")
    assert moved is not None and moved.pending is not None
    assert [(c["side"], c["owner_name"]) for c in moved.pending["commitments"]] == [("customer", "Ben Okoro")]


@pytest.mark.parametrize("closing", ["The record is now correct. Kindly file it.", "Grand job, that's it. In you go.",
                                     "Good. Save it on Tom's behalf."])
def test_a_plain_closing_in_any_shape_stores_the_draft(store: Database, closing: str) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield at Acme today, she was happy. I'll send the deck by Friday.")
    done = _say(store, closing)
    assert done is not None and "Stored" in done.reply


def test_something_said_to_be_right_and_left_is_no_cancel(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield at Acme today, she was happy. I'll send the deck by Friday.")
    kept = _say(store, "Dana positive is right, leave it.")
    assert kept is not None and kept.pending is not None and "Discarded" not in kept.reply


def _promises(text: str) -> list[tuple[str, str, dt.date | None]]:
    return [(c.side, c.description, c.due) for c in _extract(text).commitments]


def test_a_promise_taken_back_in_its_sentence_is_none() -> None:
    assert _promises("Call with Dana Whitfield at Acme today. She asked us to put an engineer on site for January; "
                     "I said I'd take it away and never agreed to it. Priya wants a discount; I said I'd pass it up "
                     "the chain, nothing more.") == []


def test_an_ask_answered_by_a_promise_is_one_promise() -> None:
    assert _promises("Call with Dana Whitfield at Acme today. She asked us to price the analytics module. I'll get "
                     "the pricing for the module to Dana by Monday.") == [
        ("ours", "get the pricing for the module to Dana", dt.date(2026, 12, 14))]


def test_coming_back_with_the_answer_ends_the_same_promise() -> None:
    assert [(s, d) for s, _, d in _promises("Call with Dana Whitfield at Acme today. I will check the feed timing "
                                            "with our ops team and revert by Friday.")] == [
        ("ours", dt.date(2026, 12, 11))]


def test_an_apostrophe_s_to_and_a_had_are_read_as_such() -> None:
    assert _promises("Call with Dana Whitfield at Acme today. Dana's to send over the site list by the 18th. Priya "
                     "said 'absolutely not' before we'd shown a single slide.") == [
        ("customer", "send over the site list", dt.date(2026, 12, 18))]


def test_before_christmas_is_the_eve_and_before_the_holidays_the_last_friday() -> None:
    assert [d for _, _, d in _promises("Call with Dana Whitfield at Acme today. I'll send Dana the deck before "
                                       "Christmas and I'll call Priya before the holidays.")] == [
        dt.date(2026, 12, 24), dt.date(2026, 12, 18)]


def test_a_score_out_of_ten_is_a_rating_not_a_date(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield and Ben Okoro at Acme today, Dana was happy.")
    rated = _say(store, "And Ben was more like 8/10, he offered to host the pilot.")
    assert rated is not None and rated.pending is not None and "date" not in rated.reply.split("Revised:")[1][:80]
    assert next(p for p in rated.pending["participants"] if p["name"] == "Ben Okoro")["sentiment"] == 1


@pytest.mark.parametrize(("said", "sign"), [("was giving out about the invoice", -1), ("was scunnered", -1),
                                            ("was in great form", 1), ("was grand, technical questions only", 0)])
def test_irish_english_moods(said: str, sign: int) -> None:
    x = _extract(f"Call with Dana Whitfield and Priya Shah at Acme today. Dana {said}. Priya took notes.")
    assert {p.stakeholder_id: p.sentiment for p in x.participants}["S1"] == sign


def test_a_newcomer_typed_in_lower_case_with_a_title_is_added(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield at Acme today, she was happy. I'll send the deck by Friday.")
    added = _say(store, "also add nora quinn, head of fleet technology, she was on the whole time.")
    assert added is not None and added.pending is not None
    assert "Nora Quinn" in {p["name"] for p in added.pending["participants"]}


def test_a_day_turned_down_after_it_is_named_is_not_the_new_due(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield at Acme today, she was happy. I'll send the deck by Wednesday.")
    moved = _say(store, "make the deck thursday, friday's too late apparently")
    assert moved is not None and moved.pending is not None
    assert [c["due"] for c in moved.pending["commitments"]] == ["2026-11-19"]  # Thursday, seen from Wed 18 Nov


def test_a_weekday_that_fits_only_the_other_order_than_the_notes_is_asked_about() -> None:
    x = _extract("Acme plant visit, thurs 12/11. Dana Whitfield was cross. I'll send Dana the logs by 12/15.")
    assert x.date is None and x.questions == [
        "When was the meeting? 'thurs 12/11' does not match the calendar (2026-12-11 is a Friday); give the date."]


def test_remove_her_removes_the_person_not_a_promise_sharing_a_word(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield and Ben Okoro at Acme today. I'll send Dana the test plan by Friday.")
    edited = _say(store, "Ben actually never joined, he was only on the email about the test. Remove him please.")
    assert edited is not None and edited.pending is not None
    assert [p["name"] for p in edited.pending["participants"]] == ["Dana Whitfield"]
    assert len(edited.pending["commitments"]) == 1


def test_a_question_about_the_draft_said_to_be_right_shows_it_again(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield and Priya Shah at Acme today, Dana was happy.")
    shown = _say(store, "Is Priya down as neutral? Good, that's right so.")
    assert shown is not None and shown.pending is not None


def test_did_not_in_fact_attend_takes_them_off(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield and Priya Shah at Acme today, Dana was happy.")
    edited = _say(store, "It should be noted that Ms Shah did not, in fact, attend; she was merely copied.")
    assert edited is not None and edited.pending is not None
    assert [p["name"] for p in edited.pending["participants"]] == ["Dana Whitfield"]


def test_a_promise_said_never_to_have_been_made_is_dropped_and_owned_by_nobody(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield at Acme today. Dana said she will send the user list by Friday. I'll send "
                 "Dana the audit report by Monday.")
    edited = _say(store, "Dana never said she will send the user list, she said maybe. Remove that.")
    assert edited is not None and edited.pending is not None
    assert [(c["side"], c["description"].lower()) for c in edited.pending["commitments"]] == [
        ("ours", "send dana the audit report")]


def test_an_at_sign_before_two_capitalised_words_is_read_not_crashed_on() -> None:
    x = _extract("Acme Corp @ InsurTech Summit (Wed)\n1. Ran into Dana Whitfield (CFO) - warm, asked about the pilot")
    assert x.account is not None and x.account.id == "A1" and [p.stakeholder_id for p in x.participants] == ["S1"]
