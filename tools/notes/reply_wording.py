"""A reply's wording made plain before it is read as an edit: a preface that only says it corrects ("Sorry, I must
correct: ..."), the draft's item number it answers by ("2. = Patrick Das"), an edit asked as a question ("Could you
take him off?")."""

from __future__ import annotations

import re

# Something said to be right as it is: "Angela red is right, leave it", "both are correct; leave those" (no cancel)
KEEPS = re.compile(r"\b(?:is|are|['’]s|looks?|seems?)\s+(?:all\s+|both\s+|still\s+)?(?:right|correct|fine|accurate)\b|"
                   r"\b(?:stays?|remains?)\s+(?:as\s+(?:is|it\s+is)|positive|negative|neutral|[+-]|[+-]?[01]\b)|"
                   r"\bno\s+(?:other\s+)?change(?:s)?(?:\s+(?:needed|required|there|to\s+\w+))?\s*(?:[.!]|$)",
                   re.IGNORECASE)

# A reply that answers by the draft's item number: "2. = Patrick Das (BA)", "3. Confirm."
_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s+(?:=\s*)?")

# "Sorry, I must correct:", "correction -": a preface that says the reply corrects the draft, and nothing of the
# meeting (never a promise of ours).
_CORRECTION_PREFACE = re.compile(r"^\W*(?:(?:sorry|oops|apologies|ok|so)\W+)*(?:i\s+(?:must|need\s+to|have\s+to|"
                                 r"want\s+to|should|have\s+got\s+to)\s+correct(?:\s+(?:that|this|myself|"
                                 r"something|one\s+thing))?|let\s+me\s+correct(?:\s+(?:that|this|myself))?|"
                                 r"(?:a\s+|one\s+)?(?:correction|amendment|addendum|clarification|update)|to\s+correct(?:\s+(?:that|this))?)"
                                 r"\s*[:,;–—-]+\s*",
                                 re.I)

# An edit asked as a question: "Could you take him off?", "can you please add Ruth?" (read as "take him off.")
_POLITE_EDIT = re.compile(r"\b(?:can|could|would|will)\s+you\s+(?:please\s+|kindly\s+|just\s+)?(?P<edit>(?:take|remove|"
                          r"drop|delete|add|change|fix|update|correct|amend|set|make|put|move|mark|swap|switch|flip|"
                          r"include|exclude|leave|strike|scratch|cross)\b[^?]*)\?", re.I)


# Edits typed the way a terminal takes them: "s/Thursday/Wednesday/", "-Irene", "+ mikael berg, neutral", "kind=qbr"
_SUBSTITUTE = re.compile(r"(?<![\w/])s/(?P<old>[^/\n]{1,60})/(?P<new>[^/\n]{1,60})/[gi]*")
_MINUS = re.compile(r"(?:^|(?<=[.;\n]))\s*-(?=[A-Za-z])")  # "-Irene": no space, so no bullet
_PLUS = re.compile(r"(?:^|(?<=[.;\n]))\s*\+\s*(?=[A-Za-z])")
_FIELD = re.compile(r"\b(?P<field>kind|type|format|date|day|owner|due)\s*[=:]\s*(?P<value>[\w/.-]+)", re.I)
_FIELD_WORDING = {"kind": "it was a {}", "type": "it was a {}", "format": "it was a {}", "date": "it was on {}",
                  "day": "it was on {}", "owner": "the owner is {}", "due": "the due date is {}"}


def spelled_out(message: str) -> str:
    """``message`` with its terse edits in words: "s/Thu/Wed/" as "Wed, not Thu.", "-Irene" as "remove Irene",
    "+ mikael berg, neutral" as "add mikael berg, neutral", "kind=qbr" as "it was a qbr"."""
    message = _SUBSTITUTE.sub(lambda m: f"{m['new'].strip()}, not {m['old'].strip()}.", message)
    message = _MINUS.sub(lambda m: (" " if m.start() else "") + "remove ", message)
    message = _PLUS.sub(lambda m: (" " if m.start() else "") + "add ", message)
    def field(m: re.Match[str]) -> str:
        said = _FIELD_WORDING[m["field"].lower()].format(m["value"])
        opens = not message[: m.start()].strip() or message[: m.start()].rstrip()[-1] in ".;!?\n"
        return said[0].upper() + said[1:] if opens else said

    return _FIELD.sub(field, message)


def _as_imperative(m: re.Match[str]) -> str:
    return m.group("edit").rstrip() + "."


def plainly(message: str) -> str:
    """``message`` without its correction preface or item number, its polite questions as the edits they ask for."""
    message = _CORRECTION_PREFACE.sub("", _NUMBERED.sub("", spelled_out(message), count=1), count=1) or message
    return _POLITE_EDIT.sub(_as_imperative, message)
