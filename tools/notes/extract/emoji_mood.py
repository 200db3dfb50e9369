"""A person's mood shown by an emoji: "Dana 👍", "→ Beatriz 🔥🔥 wants it in all plants", "→ james asked why ... 😤".

An emoji's valence is the one it has in chat: VADER (``vaderSentiment``) names every emoji ("grimacing face",
"smiling face with smiling eyes") and its lexicon scores that name; where the chat meaning differs from the picture's
name ("fire" is praise, "thumbs up" and "raised hands" are approval, "face with steam from nose" is anger, a waving
hand is a greeting, "ice" is a cold shoulder) ``_CHAT`` says so. Pictures of things (📞 ✉️ 🏭 ✅ ⚠️) carry no mood.

An emoji is about the person it follows, with only spaces, symbols or other emoji between ("Dana 👍, Tom 👎"; not the
last of a list: "Met Dana and Tom 😊" is the meeting's mood), else
the person heading its sentence or line unless someone else opens the emoji's clause ("→ Sandra stopped by our
booth 😊"; not "teresa 🔥, george not convinced 😬"), else the subject of its clause
(``stance.subject``); "both" / "all" opening a sentence is each of the people the sentence before names
("call w/ Matt + Tobias -> both 👍"). Like a stance, it tells which way a person leans, not how strongly.

Slack sends emoji as shortcodes (":fire:", ":grimacing:", ":+1:"): ``from_shortcodes`` turns the ones the
``emoji`` package knows into the pictures, so a note pasted from Slack reads as one typed with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import emoji

from tools.notes.extract.lexicon import analyzer
from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.stance import subject
from tools.notes.extract.text import Piece, clauses, sentences

# Chat meanings that differ from what VADER reads in the emoji's name (+1 for us, -1 against, 0 no mood).
_CHAT = {
    **dict.fromkeys("👍🙌💪👏💯🔥🤩🙏🤝🚀⭐🌟💚💙💜🥰", 1),
    **dict.fromkeys("👎😤😡🙄😒🤬🥶🧊😾💢😑😖😣", -1),
    **dict.fromkeys("👋🤷🤔😐😶⚠✅☑✔❌❗❓📞📧✉🏭🎪", 0),
}
_CLEAR = 0.25  # VADER's score of an emoji's name this far from 0 is a mood
_SYMBOL_GAP = re.compile(r"^[^\w]*$")
_ARROW_AFTER = re.compile(r"[^\w\n]*(?:->|→|➡️?|>>)\s*")  # a name, then an arrow to what they said or did
# A sentence opened by the people just named, together ("both 👍", "all of them 🙌"), before its emoji.
_COLLECTIVE = re.compile(r"[^\w\n]*(?:both|all|everyone|everybody|the\s+two|all\s+of\s+them|both\s+of\s+them)"
                         r"(?:\s+(?:of\s+them|very|really|super|clearly))?[^\w\n]*(?:\s+on\b[^\n]*)?$",
                         re.IGNORECASE)
# Emoticons as the emoji chat clients turn them into (a nose "-" aside).
_EMOTICONS = {":)": "🙂", ":]": "🙂", "=)": "🙂", ":D": "😀", ";)": "😉", ":(": "🙁", "=(": "🙁", ":'(": "😢"}
_EMOTICON = re.compile(r"(?<!\S)(?::-?\)|:\]|=\)|:-?D|;-?\)|:-?\(|=\(|:'\()(?=$|[\s.,;!?])", re.MULTILINE)
_JOINED = re.compile(r"\s*(?:,|&|\+|/|and)\s*|\s+and\s+", re.IGNORECASE)


@dataclass(frozen=True)
class EmojiMood:
    person: Mention
    value: int  # +1 / -1
    start: int
    end: int


def from_shortcodes(text: str) -> str:
    """``text`` with Slack's emoji shortcodes (":rage:", ":thumbsup:") as the emoji themselves; an unknown
    ":word:" and times ("10:30:") stay as written. A smiley typed as an emoticon (":)", ":-(", ":D", ";)") standing
    alone is the emoji Slack shows for it; "10:30)" and "http://" are no smileys."""
    if ":" not in text and ";" not in text and "=" not in text:
        return text
    text = _EMOTICON.sub(lambda m: _EMOTICONS[m.group(0).replace("-", "")], text)
    return emoji.emojize(text, language="alias") if ":" in text else text


@lru_cache(maxsize=512)
def emoji_value(char: str) -> int:
    """+1 / -1 for an emoji that shows a mood for / against, 0 for one that does not (or is no emoji)."""
    if char in _CHAT:
        return _CHAT[char]
    name = analyzer().emojis.get(char)
    if not name:
        return 0
    score = float(analyzer().polarity_scores(name)["compound"])
    return 0 if abs(score) < _CLEAR else (1 if score > 0 else -1)


def emoji_moods(text: str, scan: PeopleScan, skip: list[tuple[int, int]] = ()) -> list[EmojiMood]:
    """Every emoji in ``text`` that shows a person's mood, with the person it is about."""
    out: list[EmojiMood] = []
    previous: Piece | None = None
    for sentence in sentences(text):
        parts = clauses(sentence)
        for pos in range(sentence.start, sentence.end):
            value = emoji_value(text[pos])
            if value == 0 or any(a <= pos < b for a, b in skip) or _aside(text, scan, sentence, pos):
                continue
            together = _together(text, scan, previous, sentence, pos)
            if together:  # "call w/ Matt + Tobias -> both 👍": each of them
                out.extend(EmojiMood(m, value, pos, pos + 1) for m in together)
                continue
            person = _about(text, scan, sentence, parts, pos)
            if person is not None and not person.ambiguous:
                out.append(EmojiMood(person, value, pos, pos + 1))
        previous = sentence
    return out


def _aside(text: str, scan: PeopleScan, sentence: Piece, pos: int) -> bool:
    """Whether the emoji at ``pos`` is in a bracketed aside that names no one ("he's moving on (joining a competitor
    😬)"): the writer's reaction to the news, not the person's mood."""
    opened = text.rfind("(", sentence.start, pos)
    closed = text.find(")", pos, sentence.end)
    return (opened != -1 and closed != -1 and ")" not in text[opened:pos]
            and not scan.at(opened, closed))


def _about(text: str, scan: PeopleScan, sentence: Piece, parts: list[Piece], pos: int) -> Mention | None:
    before = [m for m in scan.at(sentence.start, pos) if m.end <= pos]
    if before and _SYMBOL_GAP.match(text[before[-1].end : pos]):
        if len(before) > 1 and _JOINED.fullmatch(text, before[-2].end, before[-1].start):
            return None  # "Met Dana and Tom 😊": the meeting's mood, not the last name's
        return before[-1]  # "Dana 👍", "Beatriz 🔥🔥"
    clause = next((c for c in parts if c.start <= pos < c.end), None)
    if before and _SYMBOL_GAP.match(text[sentence.start : before[0].start]) and not _other_heads(
            text, before, clause):
        return before[0]  # "→ james asked bluntly why ... 😤" (not "teresa keen, george not convinced 😬")
    if clause is None:
        return None
    found = subject(text, scan, sentence, clause, pos)
    if len(found) == 1:
        return found[0]
    arrowed = [m for m in scan.at(max(0, sentence.start - 60), sentence.start)
               if _ARROW_AFTER.fullmatch(text, m.end, sentence.start)]
    if not scan.at(sentence.start, pos) and arrowed and not arrowed[-1].ambiguous:
        return arrowed[-1]  # "Patrick Bishop → renewal looks straightforward, wants multi-year 👍": his line
    return None


def _other_heads(text: str, before: list[Mention], clause: Piece | None) -> bool:
    """Whether someone other than the sentence's first person opens the emoji's own clause ("..., george not
    convinced 😬"); a person named further into it ("'we'll see' when Sandra mentioned it 😬") does not."""
    if clause is None:
        return False
    return any(m.key != before[0].key and m.start >= clause.start and _SYMBOL_GAP.match(text[clause.start : m.start])
               for m in before)


def _together(text: str, scan: PeopleScan, previous: Piece | None, sentence: Piece, pos: int) -> list[Mention]:
    """The people the sentence before names, when this one opens with "both" / "all" before the emoji."""
    if previous is None or not _COLLECTIVE.match(text, sentence.start, pos):
        return []
    named = {m.key: m for m in scan.at(previous.start, previous.end) if not m.ambiguous}
    return list(named.values()) if len(named) >= 2 else []
