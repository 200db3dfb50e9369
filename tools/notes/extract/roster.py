"""Who the note says was met: the roster of the meeting, and whether someone outside it took part anyway.

A note usually says up front whom the meeting was with, and then talks about them -- and about others. Once the
note gives that roster, the room is closed: a person named elsewhere took part only if the note shows them doing
something a participant does ("Sean joined halfway", "Amir replied-all", "Ben asked about SSO", "- Martin:
supportive" in minutes), not when they are only talked about ("Emma Wells will decide the budget", "Isaac will
need to approve", "Teresa was mentioned as the one who'll sign", "Victor is on paternity leave").

The roster is read from three shapes:

- an attendee line: "Attendees: A, B, C" / "Present: ..." / "Participants: ..." / "With: ...";
- a meeting word and the run of names that follows it in its sentence: "call w/ helen + ray thu", "call with
  Harborview on Thursday: Ryan, Laura, Patrick", "met Zoe, Kate and Neil", "ran into Ian and Martina", "email from
  Owen Price", "spoke to Dana about Marcus" (Dana, not Marcus: "about" ends the run);
- a sentence that is nothing but two or more names: "Cedar Valley onsite on Wednesday. Beatriz Hughes, Eduardo
  Sato, Aisha Blake."
"""

from __future__ import annotations

import re

from tools.notes.extract.people import Mention, PeopleScan

_ROSTER_LINE = re.compile(r"^[ \t>]*(?:[-*•][ \t]*)?[*_]*(?:attendees|attendance|present|participants|with|met|"
                          r"in\s+the\s+room|on\s+the\s+call|from)[*_]*[ \t]*"
                          r"(?:\((?!\s*(?:us|ours|our\s+side|internal)\s*\))[^()\n]{0,20}\))?[ \t]*:[*_]*",
                          re.IGNORECASE | re.MULTILINE)
# The same label inside a line: "16:00 call opened at Mr Hansen's request, present: A, B, C"
_ROSTER_INLINE = re.compile(r"[,;(–—-][ \t]*(?:attendees|in\s+attendance|present|participants)[ \t]*:", re.IGNORECASE)
# A heading of its own ("### Attendees", "**Present**") over a list, one person per line: the roster, to the
# first line that is not an item.
_ROSTER_HEADING = re.compile(r"^[ \t#*_]*(?:attendees|attendance|present|participants|in\s+the\s+room)[ \t*_]*:?[ \t]*"
                             r"\n(?P<items>(?:[ \t]*(?:[-*•]|\d+[.)])[^\n]*(?:\n|$))+)", re.IGNORECASE | re.MULTILINE)
# A word that opens a meeting and is followed by whom it was with.
_MEETING = re.compile(
    r"(?:\b(?:(?:I|we)\s+(?:called|phoned|rang)|call|phoned|rang|meeting|mtg|met|meet|teams|zoom|video\s+call|onsite|"
    r"on-site|lunch|coffee|dinner|breakfast|drinks|sync|catch-?up|caught\s+up|chat(?:ted)?|spoke|talked|"
    r"visit(?:ed)?|workshop|qbr|review|steering|session|ran\s+into|bumped\s+into|(?:it\s+was|just|only)\s+me|"
    r"email(?:ed)?\s+(?:thread\s+)?(?:from|with)|(?:heard|reply|replies)\s+from)\b|[📞☎✉📧🤝])",
    re.IGNORECASE,
)
# Before the first name of a run, a stretch that turns the sentence elsewhere: "no call this week, but Zoe ...".
_TURN = re.compile(r"\b(?:but|so|because|then|no|not|without|about|re|regarding|on\s+behalf\s+of|for|to\s+discuss)\b",
                   re.IGNORECASE)
# Between two names of one run: a comma, plus, ampersand, slash or "and".
_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\+|&|/|\band\b)?\s*", re.IGNORECASE)
# "Lucia Romano from Halcyon and Owen Price": where one of the run is from, then the next name.
_FROM_SEP = re.compile(r"\s+(?:from|of|at)\s+[\w&.'’-]+(?:\s+[\w&.'’-]+)?\s*(?:,\s*(?:and\s+)?|\+|&|\band\b)\s*",
                       re.IGNORECASE)
_TITLE = re.compile(r"\s*\([^()\n]{1,40}\)")
# A surname's initial after a first name ("Anton, Hugo B, Ryan"): part of the name, not the end of the run.
_INITIAL = re.compile(r"\s+[A-Z]\.?(?=\s*(?:[,+&/;:\n)]|\band\b|$))")
_END = re.compile(r"[.!?;\n]")
# "was mentioned", "was supposed to", "was invited", "was copied": a passive or a plan says nothing of taking part.
_NOT_MOOD = (r"(?:not|never|no|mentioned|informed|invited|copied|cc['’]?d|looped|told|supposed|meant|expected|due|"
             r"named|appointed|promoted|hired|replaced|moved|transferred|based|going|leaving|gone|out|off|away|on|in|"
             r"absent|sick|ill|apparently|there|to|the|a|an|also|still|already|just)\b")
# What a participant does in the meeting, said right after their name ("Sean joined halfway", "Amir Haddad
# replied-all", "she say thank you", "Chloe Nguyen, their architect, joined", "Chloe embarrassed, apologised"): a
# title in brackets or commas, and a few adverbs or participles, may stand between.
_TOOK_PART = re.compile(
    r"\s*(?:\([^()\n]{1,40}\)\s*)?(?:,[^,.;:!?\n]{1,40},)?,?\s*"
    r"(?:(?:also|then|later|briefly|even|just|only|too|finally|actually|really|himself|herself|first|and|"
    r"[a-z]+ly|[a-z]+ed),?\s+){0,2}(?:"
    r"join(?:ed|s)?|dial(?:l?ed)?\s+in|dropped\s+(?:in|by|off)|popped\s+in|stopped\s+by|came\s+(?:over|by|along|in)|"
    r"showed\s+up|turned\s+up|sat\s+in|chimed\s+in|said|says?|ask(?:ed|s)?|repl(?:ied|ies|y)(?:[- ]all)?|"
    r"respond(?:ed|s)?|answer(?:ed|s)?|wrote|emailed|called|rang|phoned|present(?:ed|s)|demo(?:ed|'d)|"
    r"walked\s+(?:us|me|them)\s+through|walked\s+through|show(?:ed|s)\s+(?:us|me)|explain(?:ed|s)?|"
    r"push(?:ed|es)?\s+back|agreed|rais(?:ed|es)|complain(?:ed|s)?|object(?:ed|s)|challeng(?:ed|es)|"
    r"question(?:ed|s)|disput(?:ed|es)|quer(?:ied|ies)|grilled|probed|quizzed|countered|clarified|"
    r"comment(?:ed|s)|remark(?:ed|s)|pointed\s+out|weighed\s+in|piped\s+up|spoke\s+up|reacted|"
    r"thank(?:ed|s)?|prais(?:ed|es)|interrupt(?:ed|s)|apologi[sz](?:ed|es)|nodded|laughed|"
    r"smiled|shrugged|listened|argued|insisted|promised|offered|suggested|proposed|mentioned(?!\s+(?:as|by|in|a\s+few|several|once|twice|earlier))|brought\s+"
    r"(?:him|her|them|along|in)|led|opened|spoke|talked|tell|told|left\s+early|walked\s+out|attended|"
    r"took\s+notes|greeted|introduced|loved|liked|hated|disliked|enjoyed|appreciated|welcomed|warmed\s+up|lit\s+up|"
    r"got\s+(?:excited|angry|annoyed|defensive|upset|heated|emotional)|frowned|sighed|grumbled|groaned|"
    r"(?:stayed|kept|was|were)\s+quiet|(?:didn['’]?t|did\s+not)\s+(?:say|speak|talk|comment)|"
    r"['’]s\s+(?:(?:very|quite|really|so|pretty|clearly)\s+)*(?!" + _NOT_MOOD + r"|been|got)[a-z]+|"
    r"(?:was|were)\s+(?:also\s+)?(?:there|present|on\s+the\s+(?:call|line)|on(?=\s+(?:too|as\s+well)\b)|"
    r"in\s+the\s+(?:room|meeting)|"
    r"at\s+the\s+(?:meeting|call|table|dinner|lunch))|"
    r"(?:was|were|seemed|looked|sounded)\s+(?:(?:very|quite|a\s+bit|a\s+little|pretty|really|rather|so|"
    r"clearly|visibly|also)\s+)*(?!" + _NOT_MOOD + r")[a-z]+)\b",
    re.IGNORECASE,
)
# A minutes line headed by the person: "- Martin: supportive", "2. Gary Whitman - chatted", "Jessica (procurement)
# → no budget talk" (an arrow after a name heads a clause wherever it stands).
_LINE_HEAD = re.compile(r"(?:^|\n)[ \t]*(?:[-*•→>]+|->|\d+[.)])?[ \t]*$")
_HEAD_MARK = re.compile(r"\s*(?:\([^()\n]{1,40}\)\s*)?(?::|[-–—,]\s)")
_ARROW = re.compile(r"\s*(?:\([^()\n]{1,40}\)\s*)?(?:→|->|➡️?|=>)")


def roster(text: str, scan: PeopleScan) -> set[str]:
    """The keys of the people the note names as whom the meeting was with; empty when it names nobody so."""
    mentions = sorted((m for m in scan.mentions if not m.ambiguous), key=lambda m: m.start)
    out: set[str] = set()
    for line in [*_ROSTER_LINE.finditer(text), *_ROSTER_INLINE.finditer(text)]:
        end = text.find("\n", line.end())
        out.update(m.key for m in mentions if line.end() <= m.start < (end if end >= 0 else len(text)))
    for heading in _ROSTER_HEADING.finditer(text):  # each item's first name: "- Helen Brooks (COO)"
        for item in re.finditer(r"[^\n]+", heading.group("items")):
            at = heading.start("items") + item.start()
            first = next((m for m in mentions if at <= m.start < at + item.end() - item.start()), None)
            if first is not None:
                out.add(first.key)
    for word in _MEETING.finditer(text):
        out.update(m.key for m in _run_after(text, word.end(), mentions))
    for sentence in _sentences(text):
        out.update(m.key for m in _names_only(text, sentence, mentions))
    return out


def takes_part(text: str, mention: Mention) -> bool:
    """Whether the note shows ``mention``'s person doing what a participant does, right after this mention of
    them, or heads a minutes line with them ("- Martin: supportive")."""
    if _TOOK_PART.match(text, mention.end) or _ARROW.match(text, mention.end):
        return True
    return bool(_LINE_HEAD.search(text[max(0, mention.start - 8) : mention.start])
                and _HEAD_MARK.match(text, mention.end))


def _run_after(text: str, pos: int, mentions: list[Mention]) -> list[Mention]:
    """The run of names after a meeting word at ``pos``, in its sentence: the first name within a short stretch
    that holds no verb of its own ("with Harborview on Thursday:"), then the names joined to it by list marks."""
    stop = _END.search(text, pos)
    limit = stop.start() if stop else len(text)
    run: list[Mention] = []
    for m in mentions:
        if m.start < pos:
            continue
        if m.start >= limit:
            break
        gap = text[pos : m.start]
        if not run:
            if len(gap) > 48 or _TURN.search(gap):
                break
        elif not _SEP.fullmatch(gap) and not _FROM_SEP.fullmatch(gap):
            break
        run.append(m)
        after = _INITIAL.match(text, m.end)
        title = _TITLE.match(text, after.end() if after else m.end)
        pos = title.end() if title else after.end() if after else m.end
    return run


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[.!?;\n]+(?:\s|$)|\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _names_only(text: str, span: tuple[int, int], mentions: list[Mention]) -> list[Mention]:
    """The names of a sentence that is nothing but two or more names (titles in brackets allowed)."""
    start, end = span
    inside = [m for m in mentions if start <= m.start and m.end <= end]
    if len(inside) < 2:
        return []
    rest = text[start:end]
    for m in reversed(inside):
        rest = rest[: m.start - start] + " " + rest[m.end - start :]
    rest = re.sub(r"\band\b", " ", _TITLE.sub(" ", rest), flags=re.IGNORECASE)
    return inside if re.fullmatch(r"[\s,+&/\-–—•*:]*", rest) else []
