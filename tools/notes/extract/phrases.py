"""A commitment's description as a whole verb phrase: "send the quote", never "Sending the quote" or "have it to
her".

- a leading -ing form is put back to the verb ("Sending the quote" -> "send the quote");
- a pronoun object ("it", "them", "that") is replaced by the thing the note named just before the promise
  ("Dana wants the revised pricing; I'll have it to her" -> "have the revised pricing to her"). When nothing
  before it names a thing, the description stays as written: validation keeps only what is in the note.
"""

from __future__ import annotations

import re

# Verbs a promise starts with.
ACTION_VERBS = (
    "send", "share", "set", "book", "schedule", "follow", "introduce", "draft", "prepare", "review", "loop", "call",
    "email", "get", "check", "confirm", "arrange", "organise", "organize", "update", "put", "provide", "run",
    "revise", "circulate", "deliver", "fix", "answer", "forward", "connect", "invite", "pull", "write", "finalise",
    "finalize", "sign", "approve", "return", "reply", "resend", "chase", "look", "escalate", "ping", "walk", "host",
    "submit", "order", "come", "sort", "raise", "ask", "talk", "speak", "meet", "bring", "present", "intro",
    "nominate", "pick", "choose", "select", "supply", "produce", "compile", "collect", "gather", "identify",
    "revert",  # a European English "get back to": "will revert with the decision next week"
)

_ING = re.compile(r"^(?P<stem>[a-z]+?)(?P<double>[tp])?(?P=double)?ing\b", re.IGNORECASE)
E_STEMS = {"shar", "schedul", "prepar", "circulat", "arrang", "organis", "organiz", "introduc", "finalis", "finaliz",
            "provid", "revis", "writ", "us", "updat", "tak", "mak", "clos", "com", "issu", "validat", "creat", "chas",
            "escalat", "sav", "remov", "receiv", "servic"}
_PRONOUN_OBJECT = re.compile(r"^(?P<verb>[A-Za-z]+(?:\s+(?:over|back|across|up|out|along))?)\s+"
                             r"(?P<pronoun>it|that|this|one|them|those|these)\b(?!\s+(?:a|an|the|our|some|their|its)\b)",
                             re.IGNORECASE)
_THING = re.compile(
    r"\b(?:the|a|an|our|their|its|some|his|her)\s+(?P<words>(?:(?!(?:to|for|by|and|or|with|from|on|in|at|of|"
    r"that|which|but|so|when|if|as|before|after|I|we|she|he|they|it|again|today|yesterday|tomorrow|this|last|next|"
    r"too|also|still|already|now|then|here|there|soon|asap|urgently|quickly|please|pls|first|later)\b)[\w'’-]+\s*)"
    r"{1,4})",
    re.IGNORECASE,
)
_NOT_THINGS = {"call", "meeting", "week", "day", "month", "time", "moment", "team", "end", "customer", "client"}


def base_form(description: str) -> str:
    """``description`` with a leading -ing verb back in its base form ("Sending the quote" -> "send the quote")."""
    m = _ING.match(description)
    if not m or len(m.group(0)) < 5:
        return description
    stem = m.group("stem").lower()
    if m.group("double"):
        base = stem + m.group("double").lower()  # "getting" -> "get", "setting" -> "set"
    elif stem in E_STEMS:
        base = stem + "e"
    else:
        base = stem
    if base not in ACTION_VERBS:
        return description  # "pricing options" is not a verb's -ing
    return base + description[m.end() :]


def resolve_pronoun(description: str, before: str) -> str:
    """``description`` with a pronoun object replaced by the last thing ``before`` names, if any."""
    m = _PRONOUN_OBJECT.match(description)
    if not m:
        return description
    things = [t for t in _THING.finditer(before) if t.group("words").split()[-1].lower() not in _NOT_THINGS]
    plural = m.group("pronoun").lower() in ("them", "those", "these")
    if plural:  # "them" is a thing only when the thing named before is plural ("the API docs")
        things = [t for t in things if t.group("words").split()[-1].lower().endswith("s")]
    if not things:
        return description
    thing = things[-1].group(0).strip()
    return f"{m.group('verb')} {thing}{description[m.end():]}"


# What a customer threatens rather than promises: "will recommend to stop the contract", "will look (at) other
# vendors", "will consult other suppliers", "will switch to Finlogic", "will not renew", "will rip us out", "will go
# to tender".
# An action verb opening a clause ("send ..."), and its third person ("sends ...").
ACTION_VERB = re.compile(r"(?:" + "|".join(ACTION_VERBS) + r")\b", re.IGNORECASE)
# a verb with something after it: "Philip: present, did not speak" is no promise to present
ACTION_START = re.compile(ACTION_VERB.pattern + r"(?!\s*(?:[,;.]|$))", re.IGNORECASE)
THIRD_PERSON = re.compile(r"(?P<verb>" + "|".join(ACTION_VERBS) + r")(?:es|s)\b", re.IGNORECASE)
THREAT = re.compile(
    r"\b(?:(?:stop|cancel|terminate|end|exit|leave|drop|review|re-?tender|walk\s+away\s+from)\s+(?:the\s+|our\s+|this\s+)?"
    r"(?:whole\s+)?(?:contract|deal|agreement|us|relationship|subscription)|cancel\s+(?:the\s+|our\s+|this\s+)?"
    r"(?:pilot|renewal|order|rollout|licen[cs]es|seats|project)|(?:reduce|cut|downgrade|scale\s+back|shrink)\s+"
    r"(?:the\s+|our\s+|their\s+)?(?:number\s+of\s+)?(?:seats|licen[cs]es|users|spend|footprint|contract|scope)|"
    r"mov(?:e|ing)\s+to\s+(?:a\s+)?(?:competitor|another\s+(?:vendor|supplier|provider))|look\s+(?:at\s+|for\s+)?(?:other|"
    r"alternative|another|new)\s+(?:vendors?|suppliers?|providers?|options|solutions)|(?:consult|sound\s+out|approach|"
    r"(?:talk|speak)\s+(?:to|with)|(?:get|ask\s+for|request)\s+(?:\w+\s+)?(?:quotes?|offers?|bids?)\s+from)\s+(?:\w+\s+)?"
    r"(?:other|alternative|another|competing|rival)\s+(?:vendors?|suppliers?|providers?|bidders?)|switch\s+(?:to|vendors?|"
    r"suppliers?)|not\s+renew|rip\s+(?:us|it)\s+out|go\s+(?:out\s+)?to\s+tender|churn|escalate\s+to\s+(?:their|the|his|"
    r"her)\s+(?:ceo|board|cfo))\b",
    re.IGNORECASE,
)
