"""The reply-act model (tools/notes/reply_act.py): assent, refuse or hold, learned from composed replies."""

from __future__ import annotations

import pytest

from tools.notes.reply_act import ACTS, ReplyActModel, examples, reply_act


def test_it_reads_replies_composed_with_another_seed() -> None:
    model = ReplyActModel()
    held_out = examples(seed=12_345, per_act=150)
    right = sum(model.read(text).act == act for text, act in held_out)
    assert right / len(held_out) >= 0.95
    for act in ACTS:
        subset = [(t, a) for t, a in held_out if a == act]
        assert sum(model.read(t).act == a for t, a in subset) / len(subset) >= 0.9, act


@pytest.mark.parametrize(("text", "act"), [
    ("ok confirm", "assent"), ("yes, save it", "assent"), ("yep save it", "assent"), ("looks right", "assent"),
    ("looks good", "assent"), ("go ahead", "assent"), ("👍", "assent"), ("ship it", "assent"),
    ("perfect, log it", "assent"), ("yeah fine, file it", "assent"), ("lgtm, ship it", "assent"),
    ("scrap that", "refuse"), ("never mind", "refuse"), ("cancel", "refuse"), ("don't save it", "refuse"),
    ("nope, bin it", "refuse"), ("nah leave it", "refuse"),
    ("hmm", "hold"), ("not sure", "hold"), ("hang on a sec", "hold"), ("wait", "hold"),
])
def test_ordinary_replies(text: str, act: str) -> None:
    assert reply_act(text).act == act
