"""A learned reading of someone's mood, for the people the worded cues say nothing about.

The cues of ``sentiment.py`` (mood words, stances, quotes, ratings, emoji) name the words that carry a mood; when
none of them is about a participant, the note may still tell which way they lean in words no list holds ("I already
told my team to start cleaning the plant data", "said the rollout is behind where we wanted"). This model reads the
stretches of the note about that person (``about``) and gives a sign only when it is sure of it (``CONFIDENT``);
otherwise the participant stays neutral, as before.

It is a logistic regression over character and word n-grams, trained with scikit-learn on the signed participants of
the project's tuning note sets (``evals/mood_training.py``; never the blind sets, nor a set kept out for scoring).
Its weights ship beside this module as plain arrays (``mood_model.npz``) and are applied with numpy
(``knowledge.linear_text``). ``python -m evals.mood_training --build`` rebuilds them; without the file the
extractor reads cues only. Nothing is downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.linear_text import LinearTextModel
from tools.notes.extract.text import sentences

MODEL_PATH = Path(__file__).with_name("mood_model.npz")
CONFIDENT = 0.7  # the least probability of a sign that the model's reading is taken at
_MAX_CHARS = 600  # a person's stretches together, at most: the model reads what is said of them, not the note
# What may come before the name in a stretch about someone: a bullet, a time stamp, an honorific; nothing else
_OPENS = re.compile(r"[\W\d_]*(?:(?:and|but|also|then|so)\s+)?(?:(?:mr|mrs|ms|dr|prof)\.?\s+)?$", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_LEAST_WORDS = 5  # with the name: a shorter stretch says too little for the model ("Tom Baker, all good" is the cues')
_WORDS_ONLY: ContextVar[bool] = ContextVar("mood_words_only", default=False)
_PRONOUN_LEAD = re.compile(r"^\W*(?:(?:and|but|so|then|also)\s+)?(?:she|he)\b", re.IGNORECASE)


@dataclass(frozen=True)
class LearnedMood:
    sign: int
    probability: float
    words: str  # the first stretch it read, as the note has it: the evidence shown with the sign


def about(text: str, marks: Sequence[tuple[int, str]], key: str) -> list[str]:
    """The stretches of ``text`` about the person ``key``: from each place they are named (``marks``: where each
    person is named, as (position, key)) to the next place another person is named in the same sentence, when they
    open it (the subject: "Dana has already ...", "[14:02] Emma Bauer: ...", "Ms Kaur indicated ..."; not "Lunch
    with Dana"), and a following sentence that opens with "she" / "he" and names nobody."""
    ordered = sorted(marks)
    out: list[str] = []
    pieces = sentences(text)
    for i, sentence in enumerate(pieces):
        inside = [(pos, k) for pos, k in ordered if sentence.start <= pos < sentence.end]
        for j, (pos, k) in enumerate(inside):
            if k != key:
                continue
            others_before = any(k2 != key for _, k2 in inside[:j])
            start = pos if others_before else sentence.start
            if not _OPENS.match(text, start, pos):
                continue  # "Lunch with Dana": named, but nothing is said of them
            end = next((p for p, k2 in inside[j + 1 :] if k2 != key), sentence.end)
            if len(_WORD.findall(text, start, end)) < _LEAST_WORDS:
                continue  # "Dana and", "Tom Baker - good": too little said for the model to read
            out.append(text[start:end].strip(" ,;:-–—"))
            if end == sentence.end and i + 1 < len(pieces):
                following = pieces[i + 1]
                named = any(following.start <= p < following.end for p, _ in ordered)
                if not named and _PRONOUN_LEAD.match(following.text):
                    out.append(following.text.strip())
    return [s for s in dict.fromkeys(out) if s]


def joined(stretches: Sequence[str]) -> str:
    """A person's stretches as the one text the model reads."""
    return " | ".join(stretches)[:_MAX_CHARS]


@contextmanager
def words_only() -> Iterator[None]:
    """Within this, no learned reading: a reply to a draft ("Monica and Ivan both look right to me") changes a
    mood only by saying so, and its words are not a note about the people it names."""
    token = _WORDS_ONLY.set(True)
    try:
        yield
    finally:
        _WORDS_ONLY.reset(token)


@lru_cache(maxsize=1)
def _model() -> LinearTextModel | None:
    return LinearTextModel.load(MODEL_PATH) if MODEL_PATH.exists() else None


def learned_moods(text: str, marks: Sequence[tuple[int, str]], keys: Sequence[str],
                  worded: Callable[[str], bool] = lambda _: False) -> dict[str, LearnedMood]:
    """The sign the model is sure of for each person of ``keys`` the note says something about; the others are
    left out (neutral). A person with a stretch ``worded`` (holding a word the cues read) is left to the cues: when
    they gave no mood, that was their reading ("'oh great, another workaround'" is irony, not praise)."""
    model = _model()
    if model is None or not keys or _WORDS_ONLY.get():
        return {}
    stretches = {key: about(text, marks, key) for key in keys}
    asked = [key for key in keys if stretches[key] and not any(worded(s) for s in stretches[key])]
    if not asked:
        return {}
    probabilities = model.predict_proba([joined(stretches[key]) for key in asked])
    classes = [int(c) for c in model.classes]
    out: dict[str, LearnedMood] = {}
    for key, row in zip(asked, probabilities, strict=True):
        best = max(range(len(classes)), key=lambda i: row[i])
        if classes[best] != 0 and row[best] >= CONFIDENT:
            out[key] = LearnedMood(classes[best], float(row[best]), stretches[key][0])
    return out
