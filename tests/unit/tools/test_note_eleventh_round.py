"""Forms the tuning sets' threads and notes showed the reader and the thread missing, each read by a general
mechanism: a weekday that labels a written-out date is one date ("Friday the eighteenth of December"); in a reply of
several parts, a "she" is the person named just before it, not the draft's first; a due set aside ("11/12 not
10/12") names the promise that moves; an answer to "which Vargas?" may give the title's stem ("the finance one"); a
RAG word or a mood label standing as an item after a person is the writer's rating; "at best" praises nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from store.db import Database
from tests.unit.tools.test_note_drafts import _note, _say, _stored, store  # noqa: F401 (the fixture)
from tools.notes.answers import _choose_person
from tools.notes.extract import OfflineExtractor
from tools.notes.extract.dates import DATE_RE, resolve
from tools.notes.extract.people import scan_people
from tools.notes.extract.rating import ratings
from tools.notes.schema import KnownAccount, KnownPerson, NoteExtraction

WED = dt.date(2026, 12, 9)
ACME = [KnownPerson("S1", "Dana Whitfield", "A1", "CFO"), KnownPerson("S2", "Priya Shah", "A1", "Procurement Lead"),
        KnownPerson("S3", "Ben Okoro", "A1", "Data Engineer"), KnownPerson("S4", "Valentina Gomez", "A1", "Buyer")]
ACCOUNTS = [KnownAccount(id="A1", name="Acme Corp")]


def _extract(text: str) -> NoteExtraction:
    return OfflineExtractor().extract(text, as_of=WED, people=ACME, accounts=ACCOUNTS, account_id="A1",
                                      colleagues=["Jordan Lee"])


def _moods(text: str) -> dict[str, int]:
    return {p.stakeholder_id or p.name: p.sentiment for p in _extract(text).participants}


@pytest.mark.parametrize(("said", "day"), [
    ("by Friday the eighteenth of December, not the eleventh", dt.date(2026, 12, 18)),
    ("on Friday 18 December", dt.date(2026, 12, 18)), ("Fri, 18th Dec", dt.date(2026, 12, 18)),
    ("Friday December 18th", dt.date(2026, 12, 18)),
])
def test_a_weekday_before_a_written_date_labels_it(said: str, day: dt.date) -> None:
    first = DATE_RE.search(said)
    assert first is not None and resolve(first.group(0), WED, prefer="future") == day


def test_a_weekday_alone_is_still_the_next_one() -> None:
    found = [m.group(0) for m in DATE_RE.finditer("I'll send it on Friday. December is busy.")]
    assert found[0] == "Friday" and resolve(found[0], WED, prefer="future") == dt.date(2026, 12, 11)


def test_a_reply_moves_a_due_to_a_weekday_and_written_date(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield at Acme today. Dana will return the order form by Friday.")
    moved = _say(store, "The order form is to be returned by Friday the twenty-seventh of November, not the 20th.")
    assert moved is not None and moved.pending is not None
    assert [c["due"] for c in moved.pending["commitments"]] == ["2026-11-27"]


def test_she_in_a_later_part_of_a_reply_is_the_person_named_before_it(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield and Priya Shah at Acme today. Dana was delighted, Priya said little.")
    edited = _say(store, "Tom Becker has since told me that Priya Shah was in fact rather hostile on the pricing; "
                         "she should be recorded as negative.")
    assert edited is not None and edited.pending is not None
    moods = {p["name"]: p["sentiment"] for p in edited.pending["participants"]}
    assert moods["Priya Shah"] < 0 and moods["Dana Whitfield"] > 0


def test_a_due_set_aside_names_the_promise_that_moves(store: Database) -> None:  # noqa: F811
    _note(store, "Acme call today with Dana Whitfield. Dana to send the budget envelope by 20/11. I owe Dana the "
                 "extension paper by 27/11.")
    moved = _say(store, "oh and Dana said 24/11 not 20/11")
    assert moved is not None and moved.pending is not None
    assert [c["due"] for c in moved.pending["commitments"]] == ["2026-11-24", "2026-11-27"]
    assert _say(store, "confirm") is not None
    assert sorted(str(c.due) for c in _stored(store)[2]) == ["2026-11-24", "2026-11-27"]


@pytest.mark.parametrize(("answer", "chosen"), [("the finance one", "S1"), ("the information one", "S2"),
                                               ("the procuring one", "S3")])
def test_an_answer_may_give_the_stem_of_a_title(answer: str, chosen: str) -> None:
    candidates = [KnownPerson("S1", "Isaac Vargas", "A1", "Chief Financial Officer"),
                  KnownPerson("S2", "Aisha Vargas", "A1", "Chief Information Officer"),
                  KnownPerson("S3", "Leo Vargas", "A1", "Procurement Manager")]
    person = _choose_person(answer, candidates, skip="Vargas")
    assert person is not None and person.id == chosen


def test_a_title_word_that_shares_no_stem_chooses_no_one() -> None:
    candidates = [KnownPerson("S1", "Isaac Vargas", "A1", "Chief Financial Officer"),
                  KnownPerson("S2", "Aisha Vargas", "A1", "Chief Information Officer")]
    assert _choose_person("the chief one", candidates, skip="Vargas") is None  # both are chiefs


def test_departures_told_the_irish_way_or_as_a_move_to_a_rival_are_one_change() -> None:
    x = _extract("Acme call Monday with Dana Whitfield. Valentina Gomez is after leaving them, she went over to a "
                 "competitor at the end of last month.")
    assert [(c.stakeholder_id, c.kind) for c in x.changes] == [("S4", "left_company")]
    assert "S4" not in {p.stakeholder_id for p in x.participants}
    y = _extract("Acme call Monday with Dana Whitfield. Ben Okoro went over to a rival in November.")
    assert [(c.stakeholder_id, c.kind) for c in y.changes] == [("S3", "left_company")]


@pytest.mark.parametrize(("text", "moods"), [
    ("Acme QBR Thursday. Dana Whitfield, CFO, green: wants the phase two quote. Priya Shah was red, wants a cut. "
     "Ben Okoro - amber - questions only.", {"S1": 1, "S2": -1, "S3": 0}),
    ("Acme call Wed.\n- Dana Whitfield: agreed to the three-year term, positive\n- Priya Shah: fine on the tech, "
     "worried about cutover. Neutral.\n- Ben Okoro - negative - hates the dashboards", {"S1": 1, "S2": 0, "S3": -1}),
])
def test_a_rag_word_or_mood_label_standing_after_a_person_is_the_writers_rating(text: str,
                                                                                moods: dict[str, int]) -> None:
    assert _moods(text) == moods


@pytest.mark.parametrize("text", ["Acme call Wed. Dana Whitfield raised red tape issues with the green energy audit.",
                                  "Acme call Wed. Dana Whitfield painted it red, then gave the green light."])
def test_red_and_green_inside_a_phrase_rate_no_one(text: str) -> None:
    assert ratings(text, scan_people(text, ACME)) == []


def test_at_best_praises_nothing_and_heated_is_negative() -> None:
    moods = _moods("acme call wed w dana whitfield + priya shah. dana was lowkey heated, said support has been 'mid "
                   "at best' since the new sla. priya only asked about the credit note.")
    assert moods == {"S1": -1, "S2": 0}


MON = dt.date(2026, 12, 14)


@pytest.mark.parametrize(("said", "prefer", "day"), [
    ("I send it in week 51.", "future", dt.date(2026, 12, 18)),  # no weekday: the week's Friday
    ("met them on Friday week 50 in their office", "past", dt.date(2026, 12, 11)),
    ("QBR on Wednesday week 50, at their office", "past", dt.date(2026, 12, 9)),
    ("his counts on Tuesday in week 52.", "future", dt.date(2026, 12, 22)),
    ("latest end of week 51", "future", dt.date(2026, 12, 18)), ("by KW 2", "future", dt.date(2027, 1, 15)),
    ("start of week 2", "future", dt.date(2027, 1, 11)),
])
def test_a_week_number_is_a_day_of_that_iso_week(said: str, prefer: str, day: dt.date) -> None:
    found = DATE_RE.search(said)
    assert found is not None and resolve(found.group(0), MON, prefer=prefer) == day  # type: ignore[arg-type]


def test_a_week_of_something_else_is_no_date() -> None:
    assert DATE_RE.search("we are in week 3 of the pilot") is None


def test_promises_due_in_a_week_number() -> None:
    x = OfflineExtractor().extract(
        "We have had a good meeting with Acme on Friday week 50. Dana Whitfield is very content. I send Dana the "
        "cost breakdown in week 51. Priya Shah sends us the store list latest Tuesday in week 52.", as_of=MON,
        people=ACME, accounts=ACCOUNTS, account_id="A1", colleagues=[])
    assert x.date is not None and x.date.value == dt.date(2026, 12, 11)
    assert sorted((c.side, c.due) for c in x.commitments) == [("customer", dt.date(2026, 12, 22)),
                                                              ("ours", dt.date(2026, 12, 18))]


@pytest.mark.parametrize(("typed", "words"), [
    ("Aisha. s/Thursday/Wednesday/", "Aisha. Wednesday, not Thursday."),
    ("+ mikael berg, integration architect, neutral", "add mikael berg, integration architect, neutral"),
    ("-Irene, she was on leave.", "remove Irene, she was on leave."),
    ("Grace owns the board pack, not me. kind=qbr", "Grace owns the board pack, not me. It was a qbr"),
    ("- Dana: happy", "- Dana: happy"),  # a bullet, with its space, is no edit
])
def test_terse_edits_are_read_in_words(typed: str, words: str) -> None:
    from tools.notes.reply_wording import spelled_out
    assert spelled_out(typed) == words


def test_terse_edits_change_the_draft(store: Database) -> None:  # noqa: F811
    _note(store, "Acme call Monday with Dana Whitfield, Ben Okoro and Priya Shah. Dana leaned in and took the pen. "
                 "I'll send Dana the sprint plan by Friday.")
    edited = _say(store, "-Ben. s/Friday/Monday/ kind=qbr")
    assert edited is not None and edited.pending is not None
    assert {p["name"] for p in edited.pending["participants"]} == {"Dana Whitfield", "Priya Shah"}
    assert [c["due"] for c in edited.pending["commitments"]] == ["2026-11-23"]
    assert edited.pending["kind"] == "qbr"


@pytest.mark.parametrize("kept", ["Dana stays +. no change.", "Priya stays neutral, no changes needed."])
def test_a_person_said_to_stay_as_they_are_keeps_the_draft(store: Database, kept: str) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield and Priya Shah at Acme today, Dana was delighted. I'll send the deck by "
                 "Friday.")
    said = _say(store, kept)
    assert said is not None and said.pending is not None and "Kept as it is" in said.reply


def test_a_departure_of_someone_not_in_the_draft_amends_it(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield and Priya Shah at Acme on Monday. Dana was delighted. I'll send Dana the "
                 "plan by Friday.")
    said = _say(store, "Priya was not there, she was only in cc of the invitation. Remove her. And Ben Okoro has "
                       "left Acme per 1 November, Dana told me.")
    assert said is not None and said.pending is not None
    assert {p["name"] for p in said.pending["participants"]} == {"Dana Whitfield"}
    assert [(c["stakeholder_id"], c["kind"]) for c in said.pending["changes"]] == [("S4", "left_company")]
    stored = _say(store, "So, now it is right. Store it please.")
    assert stored is not None and "Stored" in stored.reply
    assert [p.stakeholder_id for p in _stored(store)[1]] == ["S1"]  # the draft, not the reply, was stored


def test_that_was_x_not_y_puts_one_person_in_the_others_place(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield at Acme today, she was delighted. I'll send the deck by Friday.")
    _say(store, "Add Ben Okoro, he was there for the first half and cool on the whole thing.")
    swapped = _say(store, "My mistake, that was Hannah Cole, not Ben. Ben wasn't there.")
    assert swapped is not None and swapped.pending is not None
    moods = {p["name"]: p["sentiment"] for p in swapped.pending["participants"]}
    assert moods.keys() == {"Dana Whitfield", "Hannah Cole"} and moods["Hannah Cole"] < 0 < moods["Dana Whitfield"]


def test_a_first_name_two_people_share_is_the_one_in_the_draft(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield, Ben Okoro and Priya Shah at Acme on Friday. Dana was happy.")
    off = _say(store, "Ag, take Priya off, she wasn't on Friday's call.")
    assert off is not None and off.pending is not None
    assert {p["name"] for p in off.pending["participants"]} == {"Dana Whitfield", "Ben Okoro"}
    back = _say(store, "Eish no, sorry, put her back. It was Hannah who missed it.")
    assert back is not None and back.pending is not None
    assert {p["name"] for p in back.pending["participants"]} == {"Dana Whitfield", "Ben Okoro", "Priya Shah"}


def test_wrong_way_round_with_a_colleague_sending_makes_the_promise_theirs(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield at Acme on Friday. Dana will send the audit requirements by Tuesday.")
    moved = _say(store, "Wrong way round: Tom sends Dana the audit requirements, not her. Same date.")
    assert moved is not None and moved.pending is not None
    assert [(c["side"], c["owner_id"], c["due"]) for c in moved.pending["commitments"]] == [
        ("ours", "U2", "2026-11-24")]
    done = _say(store, "Thank you, that's everything. Please save it under Tom.")
    assert done is not None and "Stored" in done.reply


@pytest.mark.parametrize(("text", "moods"), [
    ("Acme, Wednesday, their office. Dana Whitfield leaned in and took the pen when we got to the plan. Priya Shah "
     "had her arms folded the whole hour and walked out before the pricing slide. Ben Okoro typed the minutes.",
     {"S1": 1, "S2": -1, "S3": 0}),
    ("Acme QBR Thursday. Dana Whitfield nodded through the scorecard and signed the renewal before the coffee "
     "arrived. Priya Shah cut across me on slide four. Ben Okoro answered in single words.",
     {"S1": 1, "S2": -1, "S3": -1}),
    ("Acme offsite Tuesday. Dana Whitfield stayed on twenty minutes past the slot. Priya Shah was a hard pass on "
     "budget for this year.", {"S1": 1, "S2": -1}),
])
def test_behaviour_in_the_room_is_a_stance(text: str, moods: dict[str, int]) -> None:
    assert _moods(text) == moods


@pytest.mark.parametrize(("said", "sign"), [("was lekker", 1), ("was kif with the numbers", 1),
                                            ("was hectic about the freight charges", -1), ("was not lekker", -1)])
def test_south_african_moods(said: str, sign: int) -> None:
    assert _moods(f"Acme call Monday. Dana Whitfield {said}.") == {"S1": sign}


@pytest.mark.parametrize(("text", "moods"), [
    ("Acme meeting log, Thursday.\n14:00 opened, present: Dana Whitfield, Priya Shah.\n14:08 Ms Whitfield said the "
     "portal is 'exactly what the council needed' and asked to add the permits module.\n14:20 Ms Shah read out her "
     "email: 'We cannot extend the framework without a competitive exercise.'", {"S1": 1, "S2": -1}),
    ("Acme QBR Tuesday with Dana Whitfield and Priya Shah. Dana Whitfield said the platform had 'paid for itself in "
     "one quarter'. Priya Shah announced a tender for 2027.", {"S1": 1, "S2": -1}),
])
def test_praise_and_refusal_in_the_buyers_words(text: str, moods: dict[str, int]) -> None:
    assert _moods(text) == moods


@pytest.mark.parametrize("absent", ["Ben Okoro was on the invite, never joined.", "Ben Okoro had sent apologies.",
                                    "Ben Okoro was OOO.", "It was Ben Okoro who missed it."])
def test_people_who_were_not_there_in_more_words(absent: str) -> None:
    assert _moods(f"Acme call Monday. Dana Whitfield was happy. {absent}") == {"S1": 1}


def test_someone_who_has_left_is_no_participant_however_the_departure_is_told() -> None:
    x = _extract("Acme call Thursday. Dana Whitfield was happy. Ben Okoro has gone: his out-of-office says he left "
                 "Acme on 30 November.")
    assert {p.stakeholder_id for p in x.participants} == {"S1"}
    assert [(c.stakeholder_id, c.kind) for c in x.changes] == [("S3", "left_company")]


@pytest.mark.parametrize("text", [
    "Acme call Monday. Priya Shah wants the whole rate card redone before she'll approve anything else.",
    "Acme call Monday. Priya Shah asked us to cut the price by 10%; I told her no ways, not this year.",
])
def test_a_condition_or_an_ask_turned_down_is_no_promise(text: str) -> None:
    assert _extract(text).commitments == []


def test_a_newcomer_typed_in_lower_case_after_there_was_a_new_guy(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield at Acme on Friday. Dana was happy. I'll send Dana the plan by Friday.")
    added = _say(store, "And there was a new guy, thabo nkosi, their dealer network manager, only asked about logins.")
    assert added is not None and added.pending is not None
    new = [p for p in added.pending["participants"] if p.get("stakeholder_id") is None]
    assert [(p["name"], p["title"]) for p in new] == [("Thabo Nkosi", "dealer network manager")]


def test_an_amendment_preface_is_no_company(store: Database) -> None:  # noqa: F811
    _note(store, "Call log, Acme Corp, Monday.\n11:00 present: Dana Whitfield, Priya Shah.\n11:05 Ms Whitfield said "
                 "the project was 'a model for the group'.\n11:15 Ms Shah asked about the survey tool only.")
    said = _say(store, "Amendment: at 11:15 Ms Shah also said she 'would not recommend us'; please record her as "
                       "negative.")
    assert said is not None and said.pending is not None
    assert {p["name"]: p["sentiment"] for p in said.pending["participants"]}["Priya Shah"] == -1


def test_a_promise_said_not_made_is_dropped_when_other_items_share_its_words(store: Database) -> None:  # noqa: F811
    _note(store, "Call this morning with Acme. Dana Whitfield was not so positive. Priya Shah was very content with "
                 "the portal. Dana sends us the budget figures latest Friday. I send Priya the portal roadmap by "
                 "Monday.")
    said = _say(store, "Dana did not promise the figures, she said 'maybe, if finance agrees'. Remove that. And Ben "
                       "Okoro was also positive, he said 'the portal saves my team hours'.")
    assert said is not None and said.pending is not None
    assert [c["description"] for c in said.pending["commitments"]] == ["send Priya the portal roadmap"]
    moods = {p["name"]: p["sentiment"] for p in said.pending["participants"]}
    assert moods["Dana Whitfield"] < 0 and moods["Ben Okoro"] == 1  # "if finance agrees" is no stance


@pytest.mark.parametrize(("phrase", "title"), [("dealer network manager", True), ("head of fleet technology", True),
                                                ("good manager", False), ("their manager", False)])
def test_a_lower_case_title_ends_in_a_role(phrase: str, title: bool) -> None:
    from tools.notes.extract.text import is_title
    assert is_title(phrase) is title


def test_the_meetings_day_after_an_unknown_company_is_no_part_of_its_name() -> None:
    x = OfflineExtractor().extract("Onsite w/ Lakeshore Foods Thursday. Dana Whitfield was fully bought in.",
                                   as_of=MON, people=ACME, accounts=ACCOUNTS, account_id=None, colleagues=[])
    assert x.questions == ["I don't know Lakeshore Foods — which account, or should I leave it?"]
    assert x.date is not None and x.date.value == dt.date(2026, 12, 10)


def test_a_present_label_inside_a_line_gives_the_roster() -> None:
    x = _extract("Call log, Acme Corp, Friday.\n16:00 call opened at Ms Whitfield's request, present: Dana Whitfield, "
                 "Priya Shah, Ben Okoro.\n16:03 Ms Whitfield said the invoice was 'wrong for the third month "
                 "running'.\n16:20 Mr Okoro took the action list, no comments.")
    assert {p.stakeholder_id for p in x.participants} == {"S1", "S2", "S3"}


def test_a_quote_after_called_or_described_as_is_the_speakers() -> None:
    moods = _moods("Meeting log, Acme Corp, Thursday.\n09:10 Ms Whitfield confirmed that the data platform passed "
                   "their audit and described it as 'first class'.\n09:20 Ms Shah presented the quality scores, called "
                   "our cleansing 'a big step up' and asked for more.")
    assert moods == {"S1": 1, "S2": 1}


@pytest.mark.parametrize(("text", "kind"), [
    ("Acme meeting Thursday. Dana Whitfield called our cleansing 'a big step up'.", "meeting"),
    ("Acme workshop Thursday. Dana Whitfield called it a game changer.", "meeting"),
    ("Acme: Dana Whitfield called us yesterday, happy.", "call"),
])
def test_called_for_naming_something_is_no_call(text: str, kind: str) -> None:
    x = _extract(text)
    assert (x.kind.value if x.kind else "meeting") == kind
