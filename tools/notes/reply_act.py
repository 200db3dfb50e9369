"""What a reply with nothing to edit does to the draft: assent (store it), refuse (discard it) or hold (not yet).

A small learned model, not a list of phrases: a logistic regression over character n-grams (within words: typos
and run-together words still read) and word n-grams, trained on replies composed from their parts -- an
interjection, an appraisal, an act on the note, a courtesy -- so that a combination never seen ("yeah fine, file
it") reads like its parts. Negation is structure the model learns from the composition: a refusal negates the act
("don't log it"), a hold hedges it ("not yet", "not sure"). Trained once per process in a fraction of a second.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

ACTS = ("assent", "refuse", "hold")
_SEED = 7
_PER_ACT = 800

# The parts replies are made of.
_YES = ("ok", "okay", "k", "yes", "yep", "yeah", "yup", "sure", "right", "alright", "fine", "cool", "great", "perfect",
        "nice", "good", "excellent", "brilliant", "sounds good", "looks good", "looks right", "looks fine", "all good",
        "that's right", "that's correct", "correct", "spot on", "exactly", "lgtm", "agreed", "absolutely", "👍", "✅",
        "👌", "yes please", "sounds right", "works for me", "that works", "bang on",
        # idioms of "fine by me", however they start: "no worries", "no dramas", "sorted", "bet"
        "no worries", "no problem", "no probs", "no dramas", "cheers", "sweet", "sorted", "deal", "bet",
        "happy with that", "accurate", "all in order", "in order", "signed off",
        # the other languages reps mix in (as the notes' day words: Spanish, German, French, Italian)
        "sí", "si", "vale", "claro", "perfecto", "correcto", "así está bien", "está bien", "ja", "passt", "genau",
        "stimmt", "alles gut", "richtig", "oui", "d'accord", "parfait", "c'est bon", "va bene", "perfetto", "certo")
_ACT = ("save it", "save", "log it", "store it", "record it", "file it", "confirm", "confirmed", "go ahead", "do it",
        "ship it", "submit", "commit it", "keep it", "go for it", "push it through", "put it in", "log that",
        "save that", "book it", "approve", "approved", "that's it", "done", "send it", "make it so", "proceed",
        # a closing said to a draft waiting: nothing more to add, so keep it
        "that's everything", "that's all", "that's all for now", "nothing else", "nothing to add", "all done",
        "guárdalo", "guardalo", "guardar", "regístralo", "speichern", "bitte speichern", "speicher es", "eintragen",
        "enregistre", "enregistrer", "salva", "salvalo", "registra")
# An act said in parts: a verb of putting the note on record, what is recorded, where, and how it is asked for,
# so that "go ahead and write it to the account" or "pop it in the CRM" reads like "save it".
_VERB = ("save", "log", "store", "record", "file", "submit", "commit", "keep", "write", "post", "register", "enter",
         "add", "put", "push", "send", "lock", "pop", "stick", "upload", "sync", "book", "ship", "confirm", "approve",
         "write down", "note down", "take down", "jot down", "finalise", "finalize")
_OBJECT = ("it", "it", "it", "this", "that", "the note", "the record", "this one", "the entry", "it all", "the draft")
_WHERE = ("", "", "", "", " in", " in the system", " into the CRM", " to the account", " on the account", " away",
          " through", " for me", " up", " as is", " now", " as it stands")
_ASKED = ("", "", "", "", "please ", "you can ", "go ahead and ", "feel free to ", "now you can ", "can you ",
          "just ", "you may ", "ok to ")
_NOT = ("don't", "do not", "dont", "please don't", "no need to", "never", "better not", "let's not")
_NO = ("no", "nope", "nah", "cancel", "cancel it", "cancel that", "never mind", "nevermind", "forget it",
       "forget that", "scrap that", "scrap it", "discard", "discard it", "drop it", "bin it", "delete that",
       "throw it away", "leave it", "abort", "ignore that", "ignore it", "kill it", "skip it", "no thanks",
       "not needed", "wrong note", "cancela", "olvídalo", "nein", "abbrechen", "vergiss es", "annule",
       "laisse tomber", "annulla", "lascia stare", "withdraw it", "throw it out", "scratch that", "delete it")
_NEGATED_ACT = ("don't save it", "do not save it", "don't log it", "don't log that", "don't store it",
                "do not log this", "don't record it", "don't keep it", "dont save", "don't bother", "no need to log it",
                "no need to save it", "not worth logging")
_HOLD = ("hmm", "hm", "hmmm", "wait", "hold on", "hang on", "one sec", "one second", "just a sec", "give me a minute",
         "let me think", "let me check", "not sure", "not yet", "not now", "maybe", "uh", "erm", "um", "let me look",
         "not so fast", "wait a moment", "hold it", "I'll come back to it", "later", "let me double check",
         "thinking", "hmm not sure", "hold off", "not yet please",
         "give me a moment", "wait, let me check", "give me a sec", "stand by", "hold that thought",
         "espera", "un momento", "warte", "moment", "attends", "aspetta",
         # the draft is wrong somewhere, not yet said where: neither keep it nor throw it away
         "that's wrong", "that's not right", "not right", "wrong", "that's all wrong", "incorrect", "not quite",
         "that's not what I said", "no that's wrong", "that's off")
_LEAD = ("", "", "", "", "", "", "ok ", "oh ", "actually ", "um ", "right, ", "hey, ", "ok now ", "now ", "so ")
_TAIL = ("", "", "", "", " please", " thanks", " pls", "!", ".", " 🙂", " mate", " then")


def compose(rng: random.Random, act: str, *, parts: bool = True) -> str:
    """One reply of ``act`` made from its parts ("yeah fine, file it", "That's correct. Store it."); ``parts``: acts
    said in their parts too ("go ahead and write it to the account"), else only as listed (the message-kind corpus,
    where a reply is told from a note by its shape, and "on the account" would blur it)."""
    pick = rng.choice
    if act == "assent":
        form = rng.random()
        act_said = pick(_ACT) if not parts or rng.random() < 0.5 else (
            f"{pick(_ASKED)}{pick(_VERB)} {pick(_OBJECT)}{pick(_WHERE)}")
        text = (pick(_YES) if form < 0.3 else act_said if form < 0.6
                else f"{pick(_YES)}{pick((', ', ' ', ' - ', '. '))}{act_said}")
    elif act == "refuse":
        form = rng.random()
        negated = (pick(_NEGATED_ACT) if not parts or rng.random() < 0.5
                   else f"{pick(_NOT)} {pick(_VERB)} {pick(_OBJECT)}{pick(_WHERE)}")
        text = (pick(_NO) if form < 0.45 else negated if form < 0.75
                else f"{pick(('no', 'nah', 'nope', 'actually no', 'no,'))} {pick(_NO + _NEGATED_ACT)}")
    else:
        text = pick(_HOLD) if rng.random() < 0.7 else f"{pick(_HOLD)}{pick((', ', ' ', '... '))}{pick(_HOLD)}"
    text = pick(_LEAD) + text + pick(_TAIL)
    if rng.random() < 0.2:
        text = text.capitalize()
    if rng.random() < 0.1 and len(text) > 4:  # a typo: two letters swapped
        i = rng.randrange(len(text) - 1)
        text = text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text


def examples(seed: int = _SEED, per_act: int = _PER_ACT) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [(compose(rng, act), act) for act in ACTS for _ in range(per_act)]


@dataclass(frozen=True)
class ReplyAct:
    act: str
    confidence: float


class ReplyActModel:
    def __init__(self) -> None:
        features = FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), lowercase=True, sublinear_tf=True)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True,
                                      token_pattern=r"[\w'’]+|[^\w\s]")),
        ])
        self._model = Pipeline([("features", features), ("lr", LogisticRegression(C=6.0, max_iter=400))])
        texts, acts = zip(*examples(), strict=True)
        with threadpool_limits(limits=1):
            self._model.fit(list(texts), list(acts))

    def read(self, text: str) -> ReplyAct:
        with threadpool_limits(limits=1):
            row = self._model.predict_proba([text])[0]
        best = int(np.argmax(row))
        return ReplyAct(str(self._model.classes_[best]), float(row[best]))


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> ReplyActModel:
    return ReplyActModel()


def reply_act(text: str) -> ReplyAct:
    """Assent, refuse or hold, and how sure."""
    with _LOCK:
        model = _model()
    return model.read(text)
