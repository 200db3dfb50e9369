"""The learned mood reading (``mood_model``): what it reads about a person, when its sign is taken, and that the
shipped weights are the ones the tuning sets train today."""

from __future__ import annotations

import datetime as dt

import pytest

from tools.notes.extract import OfflineExtractor
from tools.notes.extract.mood_model import MODEL_PATH, about, learned_moods, words_only
from tools.notes.schema import KnownAccount, KnownPerson

ACME = [KnownPerson("S1", "Dana Whitfield", "A1", "CFO"), KnownPerson("S2", "Priya Shah", "A1", "Procurement Lead")]
DEED = ("Call with Dana Whitfield and Priya Shah today. Dana has told her team to start cleaning the data for the "
        "pilot. Priya took notes.")


def _marks(text: str) -> list[tuple[int, str]]:
    return [(text.index(word, start), key) for word, key, start in
            [("Dana", "S1", 0), ("Priya", "S2", 0), ("Dana", "S1", text.index(".")), ("Priya", "S2", text.index("."))]
            if word in text[start:]]


def test_a_persons_stretches_run_to_the_next_person_named() -> None:
    text = ("Dana was upbeat about phase two, Priya much less so today. She wants a discount on it. Priya left "
            "early. Lunch with Dana and Priya after.")
    marks = [(0, "S1"), (33, "S2"), (text.index("Priya left"), "S2"), (text.index("Dana and"), "S1"),
             (text.index("Priya after"), "S2")]
    assert about(text, marks, "S1") == ["Dana was upbeat about phase two"]  # not "Lunch with Dana": not said of her
    assert about(text, marks, "S2") == ["Priya much less so today.", "She wants a discount on it."]
    # ("She ..." names nobody: still about Priya; "Priya left early." is too short to read)


def test_a_deed_no_word_list_holds_is_read_as_for_us() -> None:
    x = OfflineExtractor().extract(DEED, as_of=dt.date(2026, 12, 7), people=ACME,
                                   accounts=[KnownAccount(id="A1", name="Acme Corp")], account_id="A1")
    moods = {p.name: (p.sentiment, p.sentiment_span) for p in x.participants}
    assert moods["Dana Whitfield"][0] == 1 and "cleaning the data" in (moods["Dana Whitfield"][1] or "")
    assert moods["Priya Shah"] == (0, None)  # taking notes says nothing either way: no sign is taken


def test_a_reply_to_a_draft_gets_no_learned_reading() -> None:
    assert learned_moods(DEED, _marks(DEED), ["S1"])["S1"].sign == 1
    with words_only():
        assert learned_moods(DEED, _marks(DEED), ["S1"]) == {}
    assert learned_moods(DEED, _marks(DEED), ["S1"])  # and only within it


def test_the_shipped_weights_are_trained_on_todays_tuning_sets() -> None:
    pytest.importorskip("sklearn")
    from evals.mood_training import TRAINING_SETS, examples, fingerprint
    from knowledge.linear_text import LinearTextModel

    assert not {"blind", "blind2", "wild18"} & set(TRAINING_SETS)  # the sets kept out for scoring stay out
    shipped = LinearTextModel.load(MODEL_PATH)
    assert shipped.meta["fingerprint"] == fingerprint(examples()), "run: python -m evals.mood_training --build"
