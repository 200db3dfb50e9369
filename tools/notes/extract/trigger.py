"""Where a promise opens in a note (a ``Trigger``), and whether a place in the text starts a clause."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.notes.extract.people import Mention
from tools.notes.extract.text import NOT_AFTER_DOTTED_DATE

ARROW = r"(?:->|→|➡️?|>>|=>)"  # "-> me: send Ian the quote", "→ send SLA report by Dec 1"


@dataclass(frozen=True)
class Trigger:
    start: int  # where the promise starts (its subject)
    end: int  # where its content starts
    side: str
    owner: Mention | None
    subject: Mention | None
    heading: bool = False
    rank: int = 1  # at one place, the trigger of lower rank wins (a colleague's name over a namesake's)
    arrival: bool = False  # "the signed copy will be with us by Dec 2": the thing comes from the customer
    quoted: bool = False  # "Fwd from Dana: 'I will send the list by 2 December'": the speaker's, kept with a day


def starts_clause(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a clause: the text's start, a new line, after a stop or a list mark, after "and" or a
    comma, or after a "Next step:" label."""
    head = text[:pos].rstrip()
    if "\n" in text[len(head) : pos]:  # a new line starts a clause ("... brief him\nJessica to send ...")
        return True
    numbered = re.search(r"(?:^|\s)\(?\d{1,2}[.)]$", head)  # "(2) Rachel to provide ..."
    return not head or head[-1] in ".;:!?\n-•*" or bool(numbered) or head.endswith((" and", ",", "Next step:",
                                                                                    "next step:"))


# Where a clause ends: ";", a new line, or a full stop that is not inside a number or a dotted date ("27.11.").
_STOP = re.compile(r"[;\n]|(?<!\d)\.|\.(?!\d)" + NOT_AFTER_DOTTED_DATE)


def clause_stop(text: str, pos: int, *, comma: bool = False) -> int:
    """Where the clause running from ``pos`` ends (``comma``: a comma ends it too)."""
    stop = _STOP.search(text, pos)
    end = stop.start() if stop else len(text)
    if comma:
        at = text.find(",", pos, end)
        end = at if at >= 0 else end
    return end
