"""How someone behaved in the room, as reps describe it when they name no feeling: body language, the way they
took part, what they did on the spot. "Leaned in and took the pen", "stayed on past the slot", "booked a follow-up
before we hung up", "signed it on the spot" are for us; "arms folded the whole hour", "walked out before the pricing
slide", "cut across me", "answered in single words", "a hard no" are against. Read as stances (``stance.py``): they
count for the subject of their clause only. Taking notes, nodding along, joining late or keeping a camera off say
nothing.
"""

from __future__ import annotations

_HER = r"(?:her|his|their|my|our)"

FOR = (
    r"lean(?:s|ed|t|ing)\s+(?:right\s+)?in\b", r"(?:took|takes|grabbed|grabs)\s+the\s+(?:pen|marker|pen\s+and\s+\w+)",
    r"sat\s+(?:up|forward)\b",  # nodding along is attention, not assent: two outsiders' gold reads it 0
    r"stay(?:ed|s)?\s+(?:on\s+)?(?:to\s+the\s+(?:very\s+)?end|(?:\w+\s+){0,2}(?:past|after|beyond)\s+the\s+"
    r"(?:slot|hour|end|meeting|call|time))",
    r"(?:booked|set\s+up|scheduled|asked\s+for|requested|pencilled\s+in|penciled\s+in)\s+(?:a|the|another)\s+"
    r"(?:follow-?up|second|next|further)\b",
    r"asked\s+(?:for\s+)?(?:the\s+|our\s+)?[\w-]+(?:\s+[\w-]+)?\s+to\s+be\s+(?:sent|shared|forwarded|presented|shown)"
    r"\s+to\s+" + _HER + r"\s+(?:board|boss|team|execs?|exec\s+team|leadership|directors?|cfo|ceo|management|"
    r"whole\s+team)",
    r"asked\s+to\s+(?:trial|pilot|test|try)\b", r"asked\s+(?:for\s+)?(?:the\s+)?(?:next\s+)?[\w-]+\s+to\s+start\s+"
    r"(?:early|earlier|sooner)\b",
    r"signed\s+(?:the\s+|it\b|a\s+|our\s+)?(?:[\w-]+\s+){0,2}?(?:on\s+the\s+spot|there\s+and\s+then|before\s+the\s+"
    r"(?:coffee|end|meeting|call))",
    r"laughed\s+it\s+off", r"pulled\s+(?:a|her|his|up\s+a)\s+chair\s+(?:up\s+)?(?:closer|next\s+to|to)\b",
    r"walked\s+us\s+through\s+(?:" + _HER + r"|the)\s+(?:own|whole)\b",
)

AGAINST = (
    r"(?:(?:had|sat\s+with|kept)\s+)?" + _HER + r"\s+arms\s+(?:folded|crossed)", r"arms\s+(?:folded|crossed)\b",
    r"walked\s+out\b(?!\s+(?:with|together))", r"stormed\s+(?:out|off)\b",
    r"(?:cut|cuts|cutting)\s+(?:across|in\s+on)\s+(?:me|us|sam|our)\b", r"interrupt(?:ed|s|ing)\s+(?:me|us)\b",
    r"answer(?:ed|s|ing)\s+(?:(?:every|each|the)\s+\w+\s+)?(?:in\s+(?:single|one)\s+words?|in\s+monosyllables|"
    r"questions\s+with\s+questions)",
    r"(?:ended|cut|wrapped)\s+the\s+(?:call|meeting)\s+(?:short|early|at\s+minute)",
    r"push(?:ed|es)\s+the\s+(?:[\w-]+\s+){0,2}(?:page|proposal|contract|quote|paper|deck)\s+back",
    r"let\s+the\s+line\s+go\s+(?:silent|quiet|dead)", r"went\s+(?:silent|quiet)\s+(?:every\s+time|whenever|when)\b",
    r"(?:kept|keeps)\s+(?:going\s+on\s+mute|looking\s+at\s+" + _HER + r"\s+watch|checking\s+the\s+time)",
    r"(?:shook|shakes|shaking)\s+" + _HER + r"\s+head", r"(?:sighed|sighing)\s+(?:loudly|heavily|audibly|at)\b",
    r"wouldn['’]?t\s+(?:make\s+eye\s+contact|look\s+at\s+(?:us|me))", r"stone-?faced",
    r"(?:a\s+)?hard\s+(?:no|pass|nope)\b", r"flat(?:ly)?\s+refused",
)
