"""Pasted emails and markdown minutes: the sender's "I" and "we" are the sender's (mood and promises), the
email's "Sent:" header dates it, a "From:" line, a bold "**Participants:**" or a "### Attendees" heading over a
list gives the roster, and someone "on the invite but a no-show" or "(not present)" took no part."""

from __future__ import annotations

import datetime as dt

from tests.unit.agent.test_extraction import SUN, extract, people

EMAIL = ("FW: pricing\n\nFrom: Dana Whitfield <dana@acme.example>\nSent: Wednesday, 18 November 2026 16:02\n"
         "To: me\nCc: Tom Baker\nSubject: Pricing\n\nHi Casey,\nWe are not happy with the sync delays. I will send the "
         "usage export by Friday.\nDana\n\n-- log it on Acme. I'll send Dana "
         "the reworked numbers by Dec 1.")


def test_a_pasted_email_speaks_in_the_senders_voice() -> None:
    found = extract(EMAIL, as_of=SUN)
    assert people(found) == {"S1": -1}  # Tom is only talked about
    assert found.date is not None and found.date.value == dt.date(2026, 11, 18)  # from "Sent:"
    assert sorted((c.side, c.owner, c.due) for c in found.commitments) == [
        ("customer", "S1", dt.date(2026, 11, 20)), ("ours", None, dt.date(2026, 12, 1))]


def test_markdown_minutes_give_their_roster() -> None:
    heading = ("## Acme — steering meeting (Wed)\n### Attendees\n- Dana Whitfield (CFO)\n- Tom Baker\n"
               "### Takeaways\n- Dana: supportive\n- Tom: pushed back hard, escalated to Sam Ortiz (not present)")
    assert people(extract(heading, as_of=SUN)) == {"S1": 1, "S4": -1}
    bold = ("### Acme | QBR | Fri 20 Nov\n**Participants:** Dana Whitfield, Tom Baker\n"
            "**People:** Sam Ortiz has moved to Chief Data Officer.")
    assert set(people(extract(bold, as_of=SUN))) == {"S1", "S4"}


def test_someone_on_the_invite_who_did_not_show_took_no_part() -> None:
    text = "Acme review Thursday. Present: Dana Whitfield, Tom Baker. Sam Ortiz was on the invite but no-show."
    assert set(people(extract(text, as_of=SUN))) == {"S1", "S4"}


def test_the_date_in_the_first_sentence_after_the_headings_dates_the_meeting() -> None:
    text = "Acme Corp\n\nSituation: dinner (Bankers Forum, Thu evening) with Dana Whitfield. She was warm."
    found = extract(text, as_of=SUN)
    assert found.date is not None and found.date.value == dt.date(2026, 11, 19)


def test_one_line_per_person_minutes_keep_out_who_was_not_there() -> None:
    text = ("Acme - onsite Wed\nDana: keen on phase 2\nTom: sent apologies\nSam Ortiz: cc'd only\n"
            "me: cost model for Dana by the 3rd")
    assert people(extract(text, as_of=SUN)) == {"S1": 1}


def test_people_only_talked_about_or_changing_are_not_participants() -> None:
    text = ("Evening note. We had the Acme steering meeting on Friday. Dana Whitfield was on great form. "
            "Tom Baker has left Acme - Dana mentioned it in passing. Sam Ortiz came up a lot - apparently he's now "
            "interim CFO. Sam Lee, I learned, has been promoted to Chief Information Officer.")
    found = extract(text, as_of=SUN)
    assert set(people(found)) == {"S1"}
    assert sorted((c.stakeholder_id, c.kind) for c in found.changes) == [
        ("S2", "title_change"), ("S3", "title_change"), ("S4", "left_company")]


def test_a_negated_mood_is_neutral_and_outweighs_the_meetings() -> None:
    text = ("Acme QBR Thursday with Dana Whitfield and Tom Baker. Overall it went well. Dana was fine, nothing "
            "negative or positive really. Tom asked sharp questions but nothing hostile.")
    assert people(extract(text, as_of=SUN)) == {"S1": 0, "S4": 0}
