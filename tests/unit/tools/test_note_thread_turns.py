"""Replies that talk to a pending draft the way a rep does in Slack (fifth round): a long correction that names no
account and nobody new is about the draft, not a new note ("wait that was monday not today, just writing it up
now", "Dana wasnt worried tbh, ..."); a promise added with "..., add that" (and "first thing Monday" is no
"first one"); a due moved with the day it sets aside and a reason after it; an answer to "Which ...?" followed by
an edit in the same message; an answer that names the other candidate as absent."""

from __future__ import annotations

from typing import Any

import pytest

from store.db import Database
from tests.unit.tools.test_note_drafts import NOTE, _note, _say, _stored, store  # noqa: F401 (the fixture)


def _after(store: Database, correction: str) -> dict[str, Any]:  # noqa: F811
    assert _note(store, NOTE)["status"] == "pending"
    handled = _say(store, correction)
    assert handled is not None and handled.pending is not None, correction
    assert handled.reply.startswith("Revised:"), handled.reply
    return handled.pending


@pytest.mark.parametrize(("correction", "check"), [
    ("wait that was monday not today, just writing it up now", lambda p: p["interaction_date"] == "2026-11-16"
     and [c["due"] for c in p["commitments"]] == ["2026-11-20", "2026-12-04"]),
    ("Dana wasnt worried tbh, she was pretty positive about the budget in the end",
     lambda p: [(x["stakeholder_id"], x["sentiment"]) for x in p["participants"]] == [("S1", 1)]),
    ("oh and Dana promised to nominate a test clinic first thing Monday, add that",
     lambda p: [(c["side"], c["description"], c["due"]) for c in p["commitments"]] == [
         ("ours", "send the ROI deck", "2026-11-20"), ("ours", "book a workshop", "2026-12-04"),
         ("customer", "nominate a test clinic", "2026-11-23")]),
    # a mood set outright outweighs what the reply says of her
    ("actually Dana wasn't really worried, she was just polite. put her neutral",
     lambda p: [(x["stakeholder_id"], x["sentiment"]) for x in p["participants"]] == [("S1", 0)]),
    # a due and a mood in one sentence: both
    ("Correction: the deck is due Thursday, and Dana should be neutral, she only asked questions.",
     lambda p: [c["due"] for c in p["commitments"]] == ["2026-11-19", "2026-12-04"]
     and [(x["stakeholder_id"], x["sentiment"]) for x in p["participants"]] == [("S1", 0)]),
    ("the deck is due Thursday, not Friday - Dana has her board on Friday",
     lambda p: [c["due"] for c in p["commitments"]] == ["2026-11-19", "2026-12-04"]),
])
def test_a_long_correction_of_the_draft_is_no_new_note(store: Database, correction: str,  # noqa: F811
                                                       check: Any) -> None:
    revised = _after(store, correction)
    assert check(revised), revised
    done = _say(store, "yes save it")
    assert done is not None and done.record["result"]["status"] == "stored"


@pytest.mark.parametrize(("answer", "chosen"), [
    ("Liam Wells. Also Ben Okoro joined for the last 10 minutes, didn't say much", ["S6", "S4"]),
    ("liam, the isl. emma wasnt on it", ["S6"]),  # the title's initials; the one said to be absent is not meant
    # the other named with her title, then said to be absent with a pronoun: that sentence points at no one
    ("Liam. Emma is the controller, she wasn't there", ["S6"]),
])
def test_an_answer_with_more_in_it(store: Database, answer: str, chosen: list[str]) -> None:  # noqa: F811
    asked = _note(store, "Call with Wells at Acme today, he was worried about the audit.")
    assert asked["status"] == "question"
    filled = _say(store, answer)
    assert filled is not None and filled.pending is not None and filled.pending["questions"] == []
    assert [p["stakeholder_id"] for p in filled.pending["participants"]] == chosen
    assert filled.pending["participants"][0]["sentiment"] == -1
    done = _say(store, "ok confirm")
    assert done is not None and done.record["result"]["status"] == "stored"
    _, people, _ = _stored(store)
    assert sorted(p.stakeholder_id for p in people) == sorted(chosen)


def test_a_day_that_disagrees_is_asked_and_a_bare_date_answers_it(store: Database) -> None:  # noqa: F811
    asked = _note(store, "acme mtg last thurs 11/26 w dana whitfield, she was happy. ill send the deck by dec 1")
    assert asked["status"] == "question" and any("still to come" in q for q in asked["questions"])
    filled = _say(store, "11/12 obviously lol")
    assert filled is not None and filled.pending is not None and filled.pending["questions"] == []
    assert filled.pending["interaction_date"] == "2026-11-12"
    # a day the answer gives stays, whatever else the message says of another day
    done = _say(store, "yes save it")
    assert done is not None and done.record["result"]["status"] == "stored"


def test_an_unknown_first_name_in_a_meeting_list_is_asked_and_a_nickname_answered(store: Database) -> None:  # noqa: F811
    asked = _note(store, "Acme mtg Mon w Dana and Raj. Both v positive. I'll send Raj the pricing by Fri.")
    assert asked["status"] == "question" and any(q.startswith("Who is Raj?") for q in asked["questions"])
    filled = _say(store, "Raj = Rajiv Menon, their new Head of Procurement")
    assert filled is not None and filled.pending is not None and filled.pending["questions"] == []
    people = {(p["stakeholder_id"] or p["name"]): p["sentiment"] for p in filled.pending["participants"]}
    assert people == {"S1": 2, "Rajiv Menon": 2}
