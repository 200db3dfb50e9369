"""The message-kind classifier: a note, a request, a reply to the thread or small talk, decided before a tool.

The model ships as a file built from the generated corpus; the held-out corpus has another seed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agent.planner.router import NOTE_CONFIDENCE, ThreadMemory, ToolDecision, decide
from agent.understanding.corpus import KINDS, generate
from agent.understanding.features import structural
from agent.understanding.message_kind import (
    HELD_OUT_SEED,
    MODEL_PATH,
    TRAIN_SEED,
    classify_message,
    default_classifier,
    fingerprint,
    load,
)
from tests.unit.agent.test_planner import _catalog


def test_the_corpus_is_deterministic_balanced_and_differs_by_seed() -> None:
    first = generate(seed=TRAIN_SEED, per_class=50)
    assert first == generate(seed=TRAIN_SEED, per_class=50)
    assert sorted({k for _, k in first}) == sorted(KINDS)
    assert all(sum(k == kind for _, k in first) == 50 for kind in KINDS)
    assert set(first) != set(generate(seed=HELD_OUT_SEED, per_class=50))


def test_the_shipped_model_is_built_from_the_generator_here() -> None:
    assert load() is not None, "rebuild it: python -m agent.understanding.message_kind --build"


def test_a_stale_or_broken_model_file_is_not_used(tmp_path: Path) -> None:
    with np.load(MODEL_PATH) as shipped:
        arrays = {k: shipped[k] for k in shipped.files}
    stale = tmp_path / "stale.npz"
    meta = zip(arrays["meta_keys"], arrays["meta_values"], strict=True)
    np.savez(stale, **{**arrays, "meta_values": np.array(["0" * 16 if k == "fingerprint" else v for k, v in meta])})
    assert load(stale) is None
    assert load(MODEL_PATH) is not None
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    assert load(broken) is None
    assert len(fingerprint()) == 16


def test_held_out_accuracy_on_a_differently_seeded_corpus() -> None:
    held_out = generate(seed=HELD_OUT_SEED, per_class=150)
    assert default_classifier().accuracy(held_out) >= 0.95


@pytest.mark.parametrize("text", [
    "The QBR with Dunmore went well, Ana was positive about the renewal",
    "Call with Dunmore - no commitments made, they just wanted a roadmap update",
    "Pellham: Rui mentioned a competitor is pitching them, he's wary of the price increase",
    "Account: Pellham Systems\n- Ana happy with the rollout\n- I'll send the terms by Friday",
    "spoke to ana costa at pellham, all good",
    "Gus Moreno has left Pellham, procurement now sits with Ana",
    "Promised to get our CISO on a call by next Wednesday",
    "oh and she's been promoted, she's CEO now",
])
def test_narratives_with_a_tools_word_are_notes(text: str) -> None:
    kind = classify_message(text)
    assert kind.kind == "note" and kind.confidence >= NOTE_CONFIDENCE, kind


@pytest.mark.parametrize(("text", "kind"), [
    ("prep the QBR for Pellham", "request"),
    ("I've got the business review with Pellham on Thursday, prep me", "request"),
    ("what are my open commitments for Pellham?", "request"),
    ("what is white space analysis?", "request"),
    ("after my call with Pellham today, draft an updated account plan", "request"),
    ("I met Ana yesterday, what did she say last time about pricing?", "request"),
    ("ok confirm", "reply"),
    ("change the date to today", "reply"),
    ("drop the second one", "reply"),
    ("thanks!", "small_talk"),
    ("good morning", "small_talk"),
    ("thanks, you've been a great help today!", "small_talk"),  # praise of the assistant is no note
    ("perfect, cheers - that's all for now", "small_talk"),
])
def test_requests_replies_and_small_talk(text: str, kind: str) -> None:
    assert classify_message(text).kind == kind


def test_structure_reads_mood_tense_and_layout() -> None:
    note = structural("Account: Pellham\n- Ana was worried about budget\n- I'll send the deck by Friday")
    ask = structural("can you prep the QBR for Pellham?")
    assert note["header"] and note["bullets"] and note["future"] and note["mood_word"] and not note["ends_question"]
    assert ask["ends_question"] and ask["addressed"] and not ask["past_verbs"]


def test_the_planner_logs_a_narrative_that_carries_a_tools_word() -> None:
    for text in ("The QBR with Acme went well today, Dana was positive about the renewal.",
                 "Acme call - no commitments made, Dana just wanted an update on the roadmap"):
        decision = decide(text, _catalog(), ThreadMemory(), None)
        assert decision == ToolDecision("log_note", {"text": text, "account": "A001"})

