"""Whether a date phrase of a note is about the meeting itself, or about something the meeting talked of.

"Call with Dana yesterday" dates the interaction; "the sync broke again Tuesday", "the contract was signed on
Monday", "Ana left last week", "her last day was Friday" do not. A date phrase dates the meeting when nothing
else happens on it (no incident, delivery, signature, departure or hire from its clause's start to a few words
after it), and it is in the note's first sentence or its clause names the meeting ("met", "call", "QBR" ...).
"""

from __future__ import annotations

import re

from tools.notes.extract.text import clauses, piece_at, sentences

MEETING_WORDS = re.compile(
    r"\b(?:met|meet|meeting|mtg|call|called|spoke|spoken|talked|lunch|coffee|dinner|demo|demoed|workshop|qbr|"
    r"review|visit|visited|sync|catch[- ]?up|caught\s+up|check-?in|chat|chatted|zoom|teams|onsite|on-site|"
    r"session|presented|sat\s+down|rang|phoned|emailed|email|heard\s+from|steering|debrief|kick-?off|ebr|transcript|"
    # the words for a meeting of the other languages reps mix in ("Reunión with Halcyon ayer")
    r"reuni[oó]n|llamada|visita|besprechung|termin|anruf|telefonat|r[ée]union|appel|riunione|chiamata)\b",
    re.IGNORECASE,
)
_INCIDENT = re.compile(
    r"\b(?:broke|broken|crashed|failed|failing|went\s+down|was\s+down|outage|incident|slipped|expired|"
    r"stopped|went\s+live|launched|shipped|arrived|landed|signed|invoiced|charged|errors?|bug|escalated|"
    r"started|starts|began|ended|renewed|paid|deployed|released|since|"
    # "the sync happened to break"; "Meeting happened with Clearview on Friday" is the meeting itself
    r"(?<!\bmeeting\s)(?<!\bmtg\s)(?<!\bcall\s)(?<!\bqbr\s)(?<!\bvisit\s)happened|"
    r"left(?!\s+(?:me|us|him|her|them|a|an)\b)|leaves|leaving|quit|resigned|retired|retiring|promoted|last\s+day(?!\s+of\s+(?:the|a|an|this|that)\b)|moved\s+on|stepped\s+(?:down|up)|"
    r"took\s+over|takes\s+over|hired|appointed|joins|joining|let\s+go|laid\s+off|fired|redundant)\b",
    re.IGNORECASE,
)

# A clause that points back at the whole note before its date: "this was thu", "it was on Monday".
_IT_WAS = re.compile(r"\W*(?:this|that|it)\s+(?:was|happened)\s+(?:on\s+|last\s+)?$", re.IGNORECASE)


def about_the_meeting(text: str, start: int) -> bool:
    """Whether the date phrase at ``start`` of ``text`` says when the meeting was."""
    parts = sentences(text)
    sentence = piece_at(parts, start)
    if sentence is None:
        return False
    clause = piece_at(clauses(sentence), start) or sentence
    near = re.match(r"\S*(?:\s+\S+){0,3}", text[start : clause.end])  # the phrase and a few words after it
    hits = _INCIDENT.finditer(text, clause.start, start + (near.end() if near else 0))
    if any(_INCIDENT.match(text, hit.start()) for hit in hits):  # read on past the window: "last day of the show"
        return False  # "the sync broke again Tuesday", "left last week", "last day was Friday"
    if _IT_WAS.fullmatch(text, clause.start, start):
        return True  # "this was thu": the note's own occasion
    # the note's first sentence after its headings ("Redwood Capital Bank" / "Situation: dinner (Thu evening) ...")
    opening = all(len(p.text.split()) <= 5 for p in parts[: parts.index(sentence)])
    return opening or bool(MEETING_WORDS.search(clause.text))


# When the note reached the writer, not when the meeting was: "telephoned me from the airport this morning", "rang me
# on Tuesday evening", "Sam's message below, sent this morning". Nothing about a meeting comes between.
_RELAYED = re.compile(r"\b(?:(?:telephoned|rang|called|phoned|messaged|pinged|emailed|texted|dm['’]?d|slacked|"
                      r"wrote\s+to|left)\s+me|sent|forwarded|posted)\b(?P<gap>[^.\n;]{0,40})$", re.IGNORECASE)


def relayed(text: str, start: int) -> bool:
    """Whether the date phrase at ``start`` says when the note was passed on to the writer."""
    found = _RELAYED.search(text, max(0, start - 60), start)
    return found is not None and not MEETING_WORDS.search(found.group("gap"))
