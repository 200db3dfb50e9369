"""How the meeting went, as the mood of the people in it.

A verdict on the meeting is the mood of those met in it, unless their own words say otherwise (``sentiment.py``
lets a person's own cue outweigh it):

- said of a meeting with several people, only a verdict on the meeting itself: "Sync w/ Dana + Marcus. Went well.",
  "Great call with the Acme team - Dana, Marcus and Helen joined", "productive session", "Tone was positive
  throughout", "Vibe: good", "Sentiment: positive", "tense meeting". "The rollout went well" is the rollout's, "will
  be a tough conversation" a forecast, "Nicole really warm" Nicole's; someone the note says was quiet, neutral or only
  present ("said little", "just listened", "joined by phone") takes no mood from the room;
- of a note about one person met, also the weaker words: "vanessa called, all good", "Email from Ana: contract
  clauses approved" (when that person reached out to us), "Call with Ana, positive.", "tone: frosty", "relationship
  strong".
"""

from __future__ import annotations

import re

from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.presence import presence

_MEETING = (r"(?:call|meeting|chat|session|catch-?up|conversation|discussion|qbr|sync|visit|lunch|workshop|"
            r"check-?in|review|demo|exchange|talk|dialogue|onsite|zoom)")
_GOOD_WORD = (r"(?:good|great|positive|warm|friendly|excellent|upbeat|constructive|productive|fantastic|brilliant|"
              r"lovely)")
_BAD_WORD = r"(?:cold|frosty|tense|negative|bad|poor|hostile|difficult|awkward|rough|tough)"
_NOT_A_CHOICE = r"(?!\s+(?:on\s+(?:our|my|your|his|her|their)|by\s+(?:me|us|him|her)))"  # "good call on our side"
_TONE = r"(?:tone|vibes?|mood|atmosphere|sentiment|energy|feel)"
_TONE_LINK = (r"\s*(?::|=|-|–|—|was|is|were|felt|remained|overall)?\s*"
              r"(?:(?:very|really|super|quite|pretty|generally|overall)\s+)?")
_RELATIONSHIP_GOOD = r"(?:strong|good|great|solid|healthy|excellent|warm)"
_RELATIONSHIP_BAD = r"(?:strained|rocky|cold|difficult|poor|bad|damaged|frosty)"
_MEETING_MOOD = re.compile(
    r"\b(?:(?P<good>(?P<went>went\s+(?:really\s+|very\s+|super\s+)?(?:well|great))|(?P<weak>all\s+good)|"
    r"(?P<rated>(?:really\s+|very\s+)?" + _GOOD_WORD + r"\s+" + _MEETING + _NOT_A_CHOICE + r")|"
    r"(?P<tone>" + _TONE + _TONE_LINK + _GOOD_WORD + r")|"
    r"(?:great|good|strong|solid|healthy|excellent|warm)\s+relationship|"
    r"relationship\s+(?:(?:is|remains|feels|still|very|really)\s+)*" + _RELATIONSHIP_GOOD + r"|"
    r"(?P<alone>productive|positive|friendly|warm|constructive|upbeat))|(?P<done>approved|signed\s+off|"
    # their side pleased, in their own message: "email from Ana: their customers are happy with the new portal"
    r"their\s+(?:\w+\s+)?(?:customers|users|staff|team|people|members|teams)\s+(?:are|were|is)\s+"
    r"(?:really\s+|very\s+|so\s+)?(?:happy|pleased|delighted|satisfied|thrilled)|"
    # "they're happy with the pilot results", "we'd like to go ahead": their side, in their own message
    r"(?:they|we)(?:['’]re|\s+are|\s+were)\s+(?:really\s+|very\s+|so\s+)?(?:happy|pleased|delighted|satisfied|"
    r"thrilled)|(?:they|we)(?:['’]d|\s+would|\s+want|\s+wish)\s+(?:like\s+)?to\s+(?:go\s+ahead|proceed|"
    r"move\s+forward))|"
    r"(?P<bad>(?P<went_bad>went\s+badly)|(?P<rated_bad>(?:really\s+|very\s+)?" + _BAD_WORD + r"\s+" + _MEETING
    + _NOT_A_CHOICE + r")|(?P<tone_bad>" + _TONE + _TONE_LINK + _BAD_WORD + r")|"
    r"relationship\s+(?:(?:is|remains|feels|still|very|really|a\s+bit|quite)\s+)*" + _RELATIONSHIP_BAD + r"|"
    r"(?P<alone_bad>frosty|tense|hostile|cold)))\b",
    re.IGNORECASE,
)
# A mood adjective is the meeting's only standing alone ("Call with Ana, positive.", "tone: frosty"), not when it
# is said of a thing ("the pilot results were positive").
_ALONE_BEFORE = re.compile(r"(?:^|[,.;:(\-–—/|>]|\b(?:tone|vibe|vibes|mood|atmosphere|very|quite|really|overall))"
                           r"\s*$", re.IGNORECASE)
_ALONE_AFTER = re.compile(r"\s*(?:(?:throughout|overall|all\s+round|today|again)\b)?\s*(?:[,.;:!)\n/|]|$)",
                          re.IGNORECASE)
# What went well must be the meeting, said or left out ("Went well.", "the call went really well"), not a thing.
_WENT_SUBJECT = re.compile(r"(?:^|[,.;:!?\n(\-–—])\s*(?:(?:and|but|so|overall|all\s+in\s+all)\s+)?"
                           r"(?:(?:it|everything|all|the\s+" + _MEETING + r"|" + _MEETING + r"|today)\s+)?"
                           r"(?:(?:really|just|overall|generally)\s+)?$", re.IGNORECASE)
_FORECAST = re.compile(r"\b(?:will|would|going\s+to|gonna)\s+be\s+['‘\"“]?(?:an?\s+)?['‘\"“]?$", re.IGNORECASE)
_WITH_SOMEONE = re.compile(r"\s+(?:with|w/)\s+(?!(?:the|their|our|a|an|all|everyone|both)\b)[A-Z]")
# They reached out to us ("vanessa called", "email from Ana"): a weak mood ("all good") of that contact is theirs.
_CONTACTED_US = re.compile(r"\s+(?:called|rang|phoned|emailed|wrote|replied|texted|pinged)\b", re.IGNORECASE)
_CONTACT_FROM = re.compile(r"\b(?:call|email|e-mail|message|note|reply|text|fwd|fw|forwarded)\s+from\s+$",
                           re.IGNORECASE)
# Present, quiet or said to be neutral: no mood of their own, and none from the room ("Marcus was quiet", "Helen
# (CFO) just listened", "Tim neutral", "Mei joined by phone", "Ray dropped off early", "Sean cc'd").
_QUIET = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:[:;\-–—,]\s*)?(?:(?:she|he)\s+)?(?:(?:was|were|is|stayed|kept|mostly|"
                    r"pretty|very|just|fairly|quite|also|only|seemed)\s+)*(?:quiet|silent|said\s+(?:very\s+)?"
                    r"(?:little|nothing)|listen(?:ed|s|ing)?(?:\s+in)?|on\s+the\s+(?:line|call|phone)|took\s+notes|"
                    r"sat\s+in|dial(?:l)?ed\s+in|observ(?:ed|ing)|neutral|reserved|"
                    r"non-?committal|hard\s+to\s+read|joined\s+(?:by\s+phone|late|halfway|briefly|for)|"
                    r"dropped\s+(?:in|off|out)|left\s+early|cc['’]?d|attended|was\s+there)\b", re.IGNORECASE)


def meeting_mood(text: str, scan: PeopleScan, skip: list[tuple[int, int]]) -> list[tuple[Mention, int, str]]:
    """The meeting's mood for each person met: (the person, +1 / -1, the words); none when nothing is said of it."""
    there = presence(text, scan.mentions, scan.relayers)
    met = {m.key: m for m in scan.mentions
           if not m.ambiguous and m.key not in there.absent and m.start not in there.mentioned_only}
    if not met:
        return []
    alone = len(met) == 1
    for m in _MEETING_MOOD.finditer(text):
        if any(a <= m.start() < b for a, b in skip) or re.search(r"\bnot\s+$", text[max(0, m.start() - 5) : m.start()]):
            continue
        if (m.group("alone") or m.group("alone_bad")) and not (
                _ALONE_BEFORE.search(text[max(0, m.start() - 20) : m.start()]) and _ALONE_AFTER.match(text, m.end())):
            continue
        if alone:
            (person,) = met.values()
            if (m.group("weak") or m.group("done")) and not _reached_out(text, scan, person):
                continue  # "spoke to Dana, all good": how things stand, not how Dana was
        elif not _of_the_meeting(text, m):
            continue  # "Nicole really warm, Matthew polite": Nicole's; "the rollout went well": the rollout's
        value = -1 if m.group("bad") else 1
        return [(person, value, m.group(0)) for person in met.values() if not _quiet(text, scan, person)]
    return []


def _of_the_meeting(text: str, found: re.Match[str]) -> bool:
    """Whether a verdict found in a note about several people is said of the meeting itself: it went well or badly
    (with the meeting, or nothing, as what went), a good or tense call, its tone or vibe; not a forecast ("the
    renewal will be a tough conversation")."""
    before = text[max(0, found.start() - 30) : found.start()]
    if found.group("went") or found.group("went_bad"):
        return bool(_WENT_SUBJECT.search(before))
    if found.group("rated") or found.group("rated_bad"):  # "great call with Tom": Tom's (``sentiment.py``)
        return not _FORECAST.search(before) and not _WITH_SOMEONE.match(text, found.end())
    return bool(found.group("tone") or found.group("tone_bad"))


def _reached_out(text: str, scan: PeopleScan, person: Mention) -> bool:
    """Whether the note says ``person`` contacted us ("vanessa called", "email from Ana")."""
    return any(_CONTACTED_US.match(text, m.end) or _CONTACT_FROM.search(text[max(0, m.start - 20) : m.start])
               for m in scan.mentions if m.key == person.key)


def _quiet(text: str, scan: PeopleScan, person: Mention) -> bool:
    """Whether the note says ``person`` was quiet in the meeting ("Marcus was quiet", "Helen (CFO) just listened")."""
    return any(_QUIET.match(text, m.end) for m in scan.mentions if m.key == person.key)
