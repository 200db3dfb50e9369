"""What a reply to a draft says of its people: one in place of another ("that was Robin Nielsen, not Paula"), the
title of someone new ("oh and he's their Head of Procurement"), and whom a "she" in a later part of it stands for."""

from __future__ import annotations

import re
from typing import Any

from tools.notes.answers import DraftView, Reading
from tools.notes.draft import participant_key
from tools.notes.extract.organisations import words

# "she", "he", and "her" / "his" opening what they own ("her new title"): the person the draft is about.
SUBJECT_PRONOUN = re.compile(r"\b(?:she|he|(?:her|his)(?=\s+(?:new\s+)?(?:title|role|job|position)\b))\b", re.I)


# "that was Robin Nielsen, not Paula": one person in the draft is another, who was there as the first was
_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"
_SWAP = re.compile(r"(?P<new>\b" + _NAME + r")\s*,?\s+not\s+(?P<old>" + _NAME + r")(?=\s*(?:[.,;!]|$))")


def swap(message: str, draft: DraftView, named: list[Any], out: Reading) -> bool:
    """"My mistake, that was Robin Nielsen, not Paula": the one named second leaves the draft, the one named first
    takes their place and their mood."""
    found = _SWAP.search(message)
    if found is None:
        return False
    new = next((m for m in named if found.start("new") <= m.start < found.end("new")), None)
    old = next((m for m in named if found.start("old") <= m.start < found.end("old")), None)
    present = {participant_key(p): p for p in draft.extraction.participants}
    if new is None or old is None or old.key not in present or new.key in present:
        return False
    was = present[old.key]
    instead = was.model_copy(update={"name": new.name, "stakeholder_id": new.person_id, "is_new": new.is_new,
                                     "title": new.title if new.is_new else None, "span": new.text})
    out.edits.append({"op": "drop", "what": "participant", "key": old.key})
    out.edits.append({"op": "add", "participants": [instead.model_dump(mode="json")], "commitments": [],
                      "changes": []})
    out.revisions.append(f"{new.name} in place of {was.name}")
    return True


# "he's their Head of Procurement", "Marcus is the CTO": a title, in capitals, said of someone.
_TITLE_SAID = re.compile(r"\b(?P<who>he|she|[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)(?:['’]s|\s+is|\s+was)\s+"
                         r"(?:actually\s+|now\s+|also\s+)?(?:their|the|our|a|an)?\s*"
                         r"(?P<title>(?!I\b)[A-Z][\w&/-]*(?:\s+(?:of|for|and|&|(?!I\b)[A-Z][\w&/-]*))*)")


def new_title(message: str, draft: DraftView) -> tuple[Any, str] | None:
    """The title a reply gives someone new in the draft ("oh and he's their Head of Procurement"): by name, or by
    "he" / "she" for the new person the note named last. A known stakeholder's new title is a change the
    extractor reads; ``None`` when the reply gives no title or names no new person."""
    said = _TITLE_SAID.search(message)
    if said is None:
        return None
    title = re.sub(r"\s+(?:of|for|and|&)$", "", said.group("title")).strip()
    new = [p for p in draft.extraction.participants if not p.stakeholder_id and p.name]
    who = said.group("who")
    if who.lower() in ("he", "she"):
        text = draft.work_text.casefold()
        named = sorted(new, key=lambda p: text.rfind(p.name.casefold()))
        person = named[-1] if named and text.rfind(named[-1].name.casefold()) >= 0 else None
    else:
        person = next((p for p in new if words(who)[0] in words(p.name)), None)
    return (person, title) if person is not None and len(title) >= 2 else None


def antecedent(part: str, at: int, message: str, scan: Any) -> str:
    """``part`` of ``message`` (starting at ``at``) with its "she" / "he" named when it names nobody itself: "Ms Kaur
    was in fact hostile; she should be recorded as negative" is about Ms Kaur, not the draft's first person."""
    said = SUBJECT_PRONOUN.search(part)
    if at < 0 or said is None or any(m.person_id for m in scan.at(at, at + len(part))):
        return part
    pronoun = {"her": "she", "his": "he"}.get(said.group(0).lower(), said.group(0).lower())
    who = scan.before(at + said.start(), pronoun)
    if who is None or not who.person_id:
        return part
    name = message[who.start:who.end] + ("'s" if said.group(0).lower() in ("her", "his") else "")
    return part[: said.start()] + name + part[said.end():]
