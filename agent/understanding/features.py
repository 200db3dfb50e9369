"""Structural features of a message, which hold across wording: how it ends and starts, its mood and tense,
narrative voice, dates in the past or future, promises, named people, "Account: X" headers and bullets.

Each feature is a number in a dict (for scikit-learn's ``DictVectorizer``); counts are capped so that a long
note does not drown the rest.
"""

from __future__ import annotations

import re

from agent.understanding.vocabulary import IMPERATIVES

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_QUESTION_START = re.compile(r"^\W*(?:(?:hey|ok|so|and|quick one|pls|please)\W+)*(?:what|which|who|whose|how|why|"
                             r"when|where|is|are|do|does|did|can|could|would|should|any|has|have)\b", re.I)
_IRREGULAR_PAST = {
    "met", "spoke", "had", "was", "were", "said", "told", "went", "got", "took", "gave", "made", "left", "came",
    "saw", "sat", "ran", "brought", "thought", "felt", "heard", "sent", "caught", "wrote", "joined", "called",
    "agreed", "asked", "mentioned", "raised", "pushed", "wanted", "seemed", "loved", "liked", "discussed",
    "confirmed", "promised", "resigned", "retired", "presented", "visited", "walked", "dialled", "dialed",
}
_PAST_DATE = re.compile(r"\b(?:yesterday|today|this (?:morning|afternoon)|last (?:night|week|\w+day)|earlier|"
                        r"\w+ (?:days?|weeks?) ago|on (?:mon|tues|wednes|thurs|fri)day)\b", re.I)
_FUTURE = re.compile(r"\b(?:i['’]ll|we['’]ll|she['’]ll|he['’]ll|they['’]ll|will|going to|promised|agreed to|"
                     r"by (?:\w+day|eod|eow|eom|the \d+\w*|end of|next)|tomorrow|tmrw|next (?:week|\w+day)|within|"
                     r"next steps?|follow[- ]up|to-?do|action items?)\b", re.I)
_NARRATIVE = re.compile(r"^\W*(?:i|we|they|she|he|[A-Z][a-z]+ and i)\b|\b(?:i|we) (?:met|spoke|had|talked|"
                        r"caught|visited|presented|ran|walked|demoed|got)\b", re.I)
_THIRD = re.compile(r"\b(?:she|he|they)(?:\s+(?:was|were|is|are|said|asked|wants?|wanted|mentioned|seemed|"
                    r"pushed|loved|liked|complained)\b|['’](?:s|re|ve|d)\b)", re.I)
_NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
_HEADER = re.compile(r"^\s*(?:account|acct|customer|client|re)\s*[:\-–]\s*\S", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.M)
_MEETING = re.compile(r"\b(?:met|meeting|mtg|call|called|lunch|coffee|demo|workshop|sync|catch-?up|zoom|onsite|"
                      r"dinner|qbr|visit|spoke|talked|chat)\b", re.I)
_MOOD = re.compile(r"\b(?:happy|unhappy|worried|frustrated|annoyed|keen|excited|concerned|pushed back|loved|liked|"
                   r"sceptical|skeptical|positive|negative|upset|pleased|impressed|lukewarm)\b", re.I)
_MET_WITH = re.compile(r"\b(?:call|meeting|mtg|sync|lunch|coffee|qbr|chat|catch-?up|session|demo|workshop|dinner|"
                       r"met|spoke|talked)\s+(?:w/|with|to|@)\s", re.I)
_CONFIRM = re.compile(r"^\W*(?:ok(?:ay)?|yes|yep|yup|sure|confirm(?:ed)?|save|looks (?:good|right)|correct|"
                      r"lgtm|go ahead|cancel|no|nope|nah|drop|discard|never ?mind|leave it|scrap|forget)\b", re.I)
_EDIT = re.compile(r"^\W*(?:change|make it|it was|it['’]s|the owner|owner|drop|remove|add|not\b|actually|"
                   r"the (?:first|second|third|due)|wrong)\b", re.I)
_GREETING = re.compile(r"^\W*(?:hi|hello|hey|thanks|thank you|thx|ty|cheers|morning|good (?:morning|night|"
                       r"afternoon)|bye|lol|haha|yo)\b", re.I)
_ADDRESSED = re.compile(r"\b(?:(?:can|could|would|will) you|(?:prep|brief|help|show|tell|give|remind|get) me|pls|"
                        r"please|i need (?:a|an|the|to know)|i want (?:a|an|the|to see)|let me (?:see|know))\b", re.I)
_UPCOMING = re.compile(r"\b(?:i['’]ve got|i have|i['’]m (?:seeing|meeting|presenting)|heading into|coming up|"
                       r"seeing)\b", re.I)
# Verbs that ask the agent for something (not a rep's own reminder such as "send the deck"), after a comma or a
# full stop: "after my call with X today, draft an updated account plan".
_LATE_ASK = re.compile(r"[,;.:\-–—]\s*(?:(?:so|now|then|pls|please|can you|could you)\s+)*(?:score|rescore|rate|show|"
                       r"list|draft|prep|prepare|find|search|pull|plot|tell|explain|flag|compare|summari[sz]e|brief|"
                       r"remind|mark|snooze|reassign|what|which|who|how)\b", re.I)
# Someone leaving, arriving or moving up: news of the customer's people, what a note reports.
_STAFF_CHANGE = re.compile(r"\b(?:has\s+left|had\s+left|left\s+the\s+company|resigned|retired|retiring|stepped\s+down|"
                           r"moved\s+on|no\s+longer\s+(?:with|at)|(?:was|been|got|is)\s+promoted|promoted\s+to|"
                           r"new\s+hire|(?:has\s+)?joined\s+as|taking\s+over\s+from|replaced\s+by|now\s+sits\s+with|"
                           r"is\s+now\s+(?:the\s+)?(?:acting\s+|interim\s+)?[A-Z])", re.I)
_COMMAND_ID = re.compile(r"\b[A-Z]\d{3,5}\b")


def structural(text: str) -> dict[str, float]:
    """The structural features of one message."""
    stripped = text.strip()
    words = _WORD.findall(stripped)
    lower = [w.lower() for w in words]
    n = len(words)
    first = lower[0] if lower else ""
    past = sum(1 for w in lower if w in _IRREGULAR_PAST or (len(w) > 4 and w.endswith("ed")))
    return {
        "len_words": min(n, 60) / 60,
        "short": float(n <= 3),
        "medium": float(3 < n <= 8),
        "long": float(n > 14),
        "ends_question": float(stripped.endswith("?")),
        "question_start": float(bool(_QUESTION_START.search(stripped))),
        "imperative_start": float(first in IMPERATIVES),
        "past_verbs": min(past, 6) / 6,
        "past_date": float(bool(_PAST_DATE.search(stripped))),
        "future": min(len(_FUTURE.findall(stripped)), 4) / 4,
        "narrative": float(bool(_NARRATIVE.search(stripped))),
        "third_person": float(bool(_THIRD.search(stripped))),
        "full_names": min(len(_NAME.findall(stripped)), 4) / 4,
        "header": float(bool(_HEADER.search(stripped))),
        "bullets": min(len(_BULLET.findall(stripped)), 4) / 4,
        "lines": min(stripped.count("\n"), 6) / 6,
        "meeting_word": float(bool(_MEETING.search(stripped))),
        "mood_word": float(bool(_MOOD.search(stripped))),
        "met_with": float(bool(_MET_WITH.search(stripped))),
        "clauses": min(len(re.findall(r"[,.;]\s|\s-\s|\band\b", stripped)), 6) / 6,
        "confirm_start": float(bool(_CONFIRM.search(stripped)) and n <= 6),
        "edit_start": float(bool(_EDIT.search(stripped)) and n <= 10),
        "greeting": float(bool(_GREETING.search(stripped)) and n <= 6),
        "addressed": float(bool(_ADDRESSED.search(stripped))),
        "late_ask": float(bool(_LATE_ASK.search(stripped))),
        "upcoming": float(bool(_UPCOMING.search(stripped))),
        "record_id": float(bool(_COMMAND_ID.search(stripped))),
        "staff_change": float(bool(_STAFF_CHANGE.search(stripped))),
    }
