"""Forms an outsider set in new registers (wild17: pasted call transcripts, Australian English, a Brazilian writer's
English, young people's slang, a manager's numbered lists, an admin relaying voicemails) showed the reader and the
thread missing, each read by a general mechanism: a transcript's "I" is its speaker's; a comparison with before keeps
the mood word's sign ("cooler than in October"); "less" turns a good word round as "not" does; work done before
anyone asked ("had already lined up a site walk") is for us; a weekday tells the order of the numbers after it
("tuesday 01/12"); and in the thread: an answer written as a note, "save it for Jordan", a plain yes the classifier
took for a request. A bare "next week" is due on its Friday (tests in ``test_note_promise_forms.py``)."""

from __future__ import annotations

import datetime as dt

import pytest

from store.db import Database
from tests.unit.tools.test_note_drafts import _note, _say, _stored, store  # noqa: F401 (the fixture)
from tools.notes.extract import OfflineExtractor
from tools.notes.schema import KnownAccount, KnownPerson

MON = dt.date(2026, 12, 7)
ACME = [KnownPerson("S1", "Dana Whitfield", "A1", "CFO"), KnownPerson("S2", "Priya Shah", "A1", "Procurement Lead")]


def _moods(text: str) -> dict[str, int]:
    x = OfflineExtractor().extract(text, as_of=MON, people=ACME, accounts=[KnownAccount(id="A1", name="Acme Corp")],
                                   account_id="A1")
    return {p.name.split()[0]: p.sentiment for p in x.participants}


@pytest.mark.parametrize(("said", "sign"), [
    ("was cooler than in October", -1), ("was way friendlier than last quarter", 1),
    ("was less keen than in October", -1), ("was far more positive than last time", 1),
    ("was warmer than she has been since the summer", 1),
])
def test_a_comparison_with_before_keeps_the_words_sign(said: str, sign: int) -> None:
    assert _moods(f"Call with Dana Whitfield and Priya Shah today. Priya {said}. Dana took notes.")["Priya"] == sign


def test_less_of_a_bad_word_is_no_praise() -> None:
    assert _moods("Call with Dana Whitfield and Priya Shah today. Priya was less hostile than before.")["Priya"] == 0


def _extract(text: str, people: list[KnownPerson] = ACME):  # noqa: ANN202 (the extraction)
    return OfflineExtractor().extract(text, as_of=MON, people=people,
                                      accounts=[KnownAccount(id="A1", name="Acme Corp")], account_id="A1")


@pytest.mark.parametrize(("phrase", "day"), [
    ("tuesday 01/12", dt.date(2026, 12, 1)),  # the 1st of December was a Tuesday; the 12th of January a Monday
    ("fri 11/12", dt.date(2025, 12, 11)),  # neither order is a Friday before Monday 7 December: the note's order
])
def test_a_weekday_before_a_numeric_date_tells_its_order(phrase: str, day: dt.date) -> None:
    from tools.notes.extract.dates import resolve
    assert resolve(phrase, MON, prefer="past", day_first=None if "tue" in phrase else True) == day


def test_a_weekday_that_fits_one_order_of_the_numbers_is_no_conflict() -> None:
    x = _extract("Visit to Acme on tuesday 01/12 with Dana Whitfield. I'll send the price until friday (11/12).")
    assert x.date is not None and x.date.value == dt.date(2026, 12, 1) and x.questions == []


@pytest.mark.parametrize(("spoken", "day"), [("Thursdee", dt.date(2026, 12, 3)), ("Mondee", dt.date(2026, 11, 30))])
def test_a_weekday_spelt_as_it_is_said(spoken: str, day: dt.date) -> None:
    x = _extract(f"Acme meeting {spoken} with Dana Whitfield, all good.")
    assert x.date is not None and x.date.value == day


@pytest.mark.parametrize("said", ["she will consult other suppliers", "she'll get quotes from two other vendors",
                                  "she will talk to other suppliers"])
def test_shopping_around_is_a_stand_not_a_promise(said: str) -> None:
    x = _extract(f"Meeting with Dana Whitfield today. Dana said the renewal price is a surprise and {said}.")
    assert x.commitments == [] and [p.sentiment for p in x.participants] == [-1]


@pytest.mark.parametrize(("text", "act"), [
    ("go ahead and write it to the account", "assent"), ("pop it in the CRM please", "assent"),
    ("no worries, save", "assent"), ("cheers, log it", "assent"), ("you can enter it now", "assent"),
    ("please don't post it", "refuse"), ("no need to enter it", "refuse"),
])
def test_an_act_on_the_note_said_in_its_parts(text: str, act: str) -> None:
    from tools.notes.reply_act import reply_act
    found = reply_act(text)
    assert found.act == act and found.confidence >= 0.6


def test_a_transcripts_i_is_its_speakers() -> None:
    x = _extract("Acme pricing call today, pasting the bit from the recorder.\n\n"
                 "[14:02] Dana Whitfield: I'll be honest, the numbers work for us.\n"
                 "[14:04] Sam Patel: Great. I'll, uh, I'll rework the model and get it to you by Wednesday.\n"
                 "[14:05] Priya Shah: And I'll send you the site list by Tuesday.")
    assert sorted((c.side, c.owner_name, c.due) for c in x.commitments) == [
        ("customer", "Priya Shah", dt.date(2026, 12, 8)), ("ours", None, dt.date(2026, 12, 9))]


def test_minutes_with_labels_are_no_transcript() -> None:
    x = _extract("Acme call today.\nDana Whitfield: keen on the pilot, I'll send her the case study by Friday.\n"
                 "Priya Shah: quiet.")
    assert [(c.side, c.due) for c in x.commitments if "case study" in c.description] == [
        ("ours", dt.date(2026, 12, 11))]


def test_a_pronoun_for_the_promises_own_thing_keeps_it_one_promise() -> None:
    x = _extract("Acme call today with Dana Whitfield, she asked about the invoicing cadence. I'll rework the model "
                 "and get it to you by Wednesday.")
    assert [(c.description, c.due) for c in x.commitments] == [
        ("rework the model and get it to you", dt.date(2026, 12, 9))]


@pytest.mark.parametrize(("said", "sign"), [
    ("had already lined up a site walk for the pilot", 1), ("had even pre-loaded their own data", 1),
    ("drafted the internal memo unprompted", 1), ("has come right round", 1),
    ("spat the dummy over the surcharge", -1), ("wasn't having a bar of it", -1), ("was crook on the pricing", -1),
    ("had already signed with a competitor", 0),
])
def test_deeds_and_idioms_for_and_against(said: str, sign: int) -> None:
    assert _moods(f"Meeting with Dana Whitfield and Priya Shah today. Priya {said}. Dana took notes.").get(
        "Priya", 0) == sign


def test_a_voicemail_left_is_no_departure_and_a_past_31st_is_asked() -> None:
    x = _extract("Jordan left me a voicemail about his Acme meeting on the 3rd with Dana Whitfield, all good.")
    assert x.date is not None and x.date.value == dt.date(2026, 12, 3)
    x = _extract("Jordan left me a voicemail about his Acme meeting on the 31st with Dana Whitfield, all good.")
    assert x.date is None and any("31st" in q for q in x.questions)


def test_a_weekday_ending_a_heading_is_not_the_next_lines_number() -> None:
    x = _extract("Acme, my meeting, Thu.\n1. Dana Whitfield: happy.\n2. Priya Shah: notes only.")
    assert x.date is not None and x.date.value == dt.date(2026, 12, 3) and x.questions == []


def test_actually_is_a_title_is_a_new_title() -> None:
    x = _extract("Call with Dana Whitfield today. Priya Shah actually is Chief Strategy Officer, not Procurement Lead.")
    assert [(c.stakeholder_id, c.new_title) for c in x.changes] == [("S2", "Chief Strategy Officer")]


def test_an_answer_written_as_a_note_answers_the_question(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Wells at Acme on Tuesday, the proposal 'does not pass our security review'. I "
                        "will send the schedule to Dana by Friday.")["status"] == "question"
    answered = _say(store, "Is Liam, the one of the security. And the call was in wednesday 17/11, not tuesday, sorry.")
    assert answered is not None and answered.pending is not None
    assert "Liam Wells" in answered.reply and "2026-11-17" in answered.reply


@pytest.mark.parametrize("yes", ["Is everything right now. Can confirm.", "Thank you, that is correct now - please "
                                 "save it for Tom."])
def test_a_plain_yes_however_it_reads_stores_the_draft(store: Database, yes: str) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield at Acme today, she was happy.")["status"] == "pending"
    said = _say(store, yes)
    assert said is not None and said.pending is None
    interaction, people, _ = _stored(store)
    assert interaction.account_id == "A1" and [p.stakeholder_id for p in people] == ["S1"]


def test_a_departure_from_the_notes_own_account_in_lower_case() -> None:
    x = _extract("Acme call today with Dana Whitfield. oh and priya shah left acme, she dipped last fri")
    assert [(c.stakeholder_id, c.kind) for c in x.changes] == [("S2", "left_company")]


def test_an_owner_handed_over_and_taken_back(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield at Acme today. I'll send the audit report to Dana by Friday.")[
        "status"] == "pending"
    handed = _say(store, "Hand the audit report to Tom, he knows their auditors.")
    assert handed is not None and "owner Tom Becker" in handed.reply
    back = _say(store, "No wait, leave the audit report with me after all.")
    assert back is not None and "is ours (Rae Rep)" in back.reply


def test_two_corrections_in_lower_case_sentences_both_apply(store: Database) -> None:  # noqa: F811
    assert _note(store, "acme call tues w dana whitfield, she was happy. no next steps")["status"] == "pending"
    said = _say(store, "wrong day, it was mon not tues. and add one: i owe dana the credit note breakdown by 11/20")
    assert said is not None and "2026-11-16" in said.reply and "credit note breakdown" in said.reply


def test_scratching_one_person_keeps_the_one_who_relayed_them(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield, Ben Okoro and Priya Shah at Acme today, all fine.")[
        "status"] == "pending"
    said = _say(store, "Scratch Ben, he wasn't on the call - that was Dana passing on what Ben reckons.")
    assert said is not None and "removed Ben Okoro" in said.reply and "removed Dana" not in said.reply


def test_a_new_promise_with_its_day_leaves_the_others_due_alone(store: Database) -> None:  # noqa: F811
    note = ("Acme call this morning with Dana Whitfield and Ben Okoro about the migration. Dana was happy with the "
            "pilot numbers. I'll send Ben a tidier cutover plan by Thursday.")
    assert _note(store, note)["status"] == "pending"
    said = _say(store, "Two things: Ben's actually fine, he rang me after and said he's happy to go with whatever "
                       "cutover plan we land on, so make him neutral. And Dana said she'd get us the meter export by "
                       "Friday week, add that.")  # on 26d0ddc this moved the cutover plan to Friday week
    assert said is not None and "commitment 1 due" not in said.reply and "meter export" in said.reply


def test_a_recorders_layout_with_the_time_after_the_name() -> None:
    x = _extract("Acme deep-dive this morning, from Gong:\n\nPriya Shah  0:12  Look, our own team could build this.\n"
                 "Dana Whitfield  0:40  I've approved the architecture, that's done, we're moving.\n"
                 "Dana Whitfield  1:31  And I'll get you the security questionnaire back within three days.")
    assert _moods_of(x) == {"Dana": 1, "Priya": 0}
    assert [(c.side, c.owner_name, c.due) for c in x.commitments] == [
        ("customer", "Dana Whitfield", dt.date(2026, 12, 10))]


def test_a_speakers_own_refusal() -> None:
    x = _extract("Acme escalation call today. Excerpt:\n\nDana Whitfield [09:14]: Three outages in six weeks. That is "
                 "not what we bought.\nPriya Shah [09:15]: I can't take that to the board.")
    assert _moods_of(x) == {"Dana": -1, "Priya": -1}


def test_apologised_and_absent_in_a_numbered_list_is_absent() -> None:
    x = _extract("Acme QBR, Mon 30 Nov.\n1. Dana Whitfield: happy with the rollout.\n"
                 "2. Priya Shah: apologised, absent.")
    assert _moods_of(x) == {"Dana": 1}


def test_a_numeric_due_the_note_only_guessed_the_order_of_stays_near() -> None:
    x = _extract("Acme QBR with Dana Whitfield, Mon 30 Nov.\n1. Dana: happy.\n"
                 "2. Me: send the fix plan to Dana by 12/10.")
    assert [c.due for c in x.commitments] == [dt.date(2026, 12, 10)]


def _moods_of(x) -> dict[str, int]:  # noqa: ANN001 (the extraction)
    return {p.name.split()[0]: p.sentiment for p in x.participants}


def test_a_meeting_with_a_company_we_do_not_know_is_asked_about_though_an_account_is_named() -> None:
    x = OfflineExtractor().extract(
        "Thursday 03/12 I had a call with Sunrise Grocers, the prospect that the Acme people indicated. I talked "
        "with their director of logistics, very receptive.", as_of=MON, people=ACME,
        accounts=[KnownAccount(id="A1", name="Acme Corp")], account_id=None)
    assert x.account is None and any("Sunrise Grocers" in q for q in x.questions)


def test_a_numeric_meeting_day_before_w_is_read_and_a_day_that_is_none_is_asked() -> None:
    x = _extract("acme mtg 11/31 w dana whitfield, she was happy.")
    assert x.date is None and any("11/31" in q for q in x.questions)


def test_an_offer_without_a_day_is_goodwill_not_a_to_do() -> None:
    x = _extract("Call with Dana Whitfield today. Dana offered to host the adjuster workshop at their site.")
    assert x.commitments == [] and _moods_of(x) == {"Dana": 1}
    x = _extract("Call with Dana Whitfield today. Dana offered to send the usage data by Friday.")
    assert [(c.side, c.due) for c in x.commitments] == [("customer", dt.date(2026, 12, 11))]


def test_agreeing_to_a_term_is_a_decision_not_a_to_do() -> None:
    x = _extract("Call with Dana Whitfield today. Dana agreed to the three-year term on the spot.")
    assert x.commitments == [] and _moods_of(x) == {"Dana": 1}


def test_in_a_transcript_a_label_is_no_action_line_and_a_customers_ask_is_not_our_promise() -> None:
    x = _extract("Acme review this morning. Recorder transcript:\n\nPriya Shah: Send it in our template and we'll "
                 "see.\nDana Whitfield: And I've already booked the pilot group for January.\nSam: Great. I'll get "
                 "the template filled in within a week.")
    assert [(c.side, c.due) for c in x.commitments] == [("ours", dt.date(2026, 12, 14))]


def test_a_look_over_the_drafts_people_shows_the_draft_again(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield and Ben Okoro at Acme today, all fine.")["status"] == "pending"
    said = _say(store, "Just to be sure, both Dana and Ben are on there? Good.")
    assert said is not None and said.pending is not None and "Dana Whitfield" in said.reply
    stored = _say(store, "Yes, this is accurate - please write it to the account.")
    assert stored is not None and stored.pending is None and _stored(store)[0].account_id == "A1"


def test_a_due_corrected_with_the_day_set_aside_and_a_mood_kept(store: Database) -> None:  # noqa: F811
    assert _note(store, "Call with Dana Whitfield at Acme today, she was cross about the price. I'll send the rate "
                        "card by Friday.")["status"] == "pending"
    moved = _say(store, "and the rate card goes out Thursday, not Friday - I'm off Friday")
    assert moved is not None and "due Thu 2026-11-19" in moved.reply
    kept = _say(store, "nvm wait keep dana neutral, i mixed her up w someone else")
    assert kept is not None and "Dana Whitfield: sentiment +0" in kept.reply


def test_talking_to_the_groups_other_companies_is_no_shopping_around() -> None:
    x = _extract("Meeting with Dana Whitfield today. Dana is super enthusiastic, she wants to be our reference and "
                 "she will speak with the other companies of the group.")
    assert _moods_of(x) == {"Dana": 2}


def test_a_hedged_offer_is_no_goodwill() -> None:
    x = _extract("Call with Dana Whitfield today. Dana didn't really say much. Dana sort of offered to send over the "
                 "volumes by next Wednesday, if that's ok.")
    assert _moods_of(x) == {"Dana": 0}
