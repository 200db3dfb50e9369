"""Who a commitment of a draft belongs to, said in a reply: "the owner is Tom", "Maria will do that one", "that
one's theirs", "it's Ben sending us the sheet, not the other way round", "no, I'll send it myself"."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import select

from store.models import User
from tools.context import ToolContext
from tools.notes.answers import DraftView, Reading
from tools.notes.extract.organisations import words

_OWNER_CUE = re.compile(
    r"\b(?:owner|owns?|assign(?:ed)?|reassign|responsible|(?:will|['’]ll|['’]s|is\s+going\s+to|is)\s+(?:do|doing|handle|"
    r"handling|take|taking|own|owning|send|sending|sort|cover|covering|run|running|on)|(?:hand|give)(?:ing)?\s+(?:it|that|this)"
    r"|(?:hand|give|pass|assign|transfer|move)(?:s|ed|ing)?\s+(?:it|that|this|the(?:\s+[\w-]+){1,4})\s+(?:over\s+)?to|"
    r"com(?:e|es|ing)\s+from|(?:rather\s+than|instead\s+of)\s+me|not\s+mine|sending\s+us|(?:other|wrong)\s+way\s+a?round|"
    r"(?:sends|owes|delivers)\b[^.;]*,\s*not\s+(?:him|her|them|me|us|[A-Z][a-z]+)|"
    r"(?:sends?|sending)\s+(?:it\s+|them\s+)?to\s+us)\b", re.I)  # "it's Ben sending us the sheet, not the other way"
_OURS = re.compile(r"(?<!\bnot\s)\b(?:ours|our\s+side|on\s+us|mine|on\s+me|back\s+to\s+me|(?:leave|keep)\b[^.;,]{0,60}"
                   r"\bwith\s+me)\b", re.I)  # "..., not mine": not; "leave the report with me": mine
# "no, i send the test data, not her", "I'll do that one myself": the writer takes it
_I_DO_IT = re.compile(r"(?:^|[,.;]\s*|\bno\W+)(?:i|I)\s+(?:(?:will|['’]ll)\s+)?(?:send|do|take|handle|own|sort|get|"
                      r"deliver|cover)\b[^.;]*?(?:,\s*not\s+(?:her|him|them)|myself|not\s+[A-Z][a-z]+)\b")
_DENIED = re.compile(r"\b(?:never|not|didn['’]?t|did\s+not|doesn['’]?t|no\s+one|nobody)\b[^.;]*$", re.I)
_THEIRS = re.compile(r"\b(?:theirs|their\s+side|on\s+their\s+end|the\s+customer['’]s|customer\s+side)\b", re.I)


def read_owner(ctx: ToolContext, message: str, draft: DraftView, refs: list[int], named: list[Any],
               out: Reading) -> bool:
    """"the owner is Tom", "Maria will do that one", "that one's theirs": who a commitment belongs to."""
    if not draft.commitments:
        return False
    short = len(message.split()) <= 3
    cue = _OWNER_CUE.search(message)
    if cue and _DENIED.search(message, max(0, cue.start() - 30), cue.start()):
        cue = None  # "Emily never say she will send the user list": a promise denied, nobody's to own
    indexes = refs or [i for i, c in enumerate(draft.commitments) if c.side == "ours"] or list(
        range(len(draft.commitments)))
    said = set(words(message))
    users = [u for u in ctx.session.exec(select(User)).all()
             if u.name and ({w for w in words(u.name)} & said) and (words(u.name)[0] in said or len(said) <= 3)]
    if len(users) == 1 and (cue or short):
        user = users[0]
        out.edits.append({"op": "owner", "indexes": indexes, "side": "ours", "user_id": user.id, "name": user.name})
        out.revisions.extend(f"commitment {i + 1} owner {user.name}" for i in indexes)
        return True
    if (_OURS.search(message) or _I_DO_IT.search(message)) and not _THEIRS.search(message):  # "it's ours"
        targets = refs or [i for i, c in enumerate(draft.commitments) if c.side == "customer"]
        if targets:
            name = ctx.user.name or ctx.user.id
            out.edits.append({"op": "owner", "indexes": targets, "side": "ours", "user_id": ctx.user.id,
                              "name": name})
            out.revisions.extend(f"commitment {i + 1} is ours ({name})" for i in targets)
            return True
    customers = [m for m in named if m.person_id]
    if (cue and len(customers) == 1) or _THEIRS.search(message):
        who = customers[0] if len(customers) == 1 else None
        targets = refs or list(range(len(draft.commitments)))
        out.edits.append({"op": "owner", "indexes": targets, "side": "customer",
                          "stakeholder_id": who.person_id if who else None, "name": who.name if who else None})
        out.revisions.extend(f"commitment {i + 1} is the customer's" + (f" ({who.name})" if who else "")
                             for i in targets)
        return True
    return False
