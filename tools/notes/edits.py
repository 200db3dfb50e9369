"""Reading a reply to the thread's draft note: a small grammar of edit intents over the note's own readers.

The intents: **fill** (answer one of the draft's questions: a person, an account, a date), **set** a field (the
meeting's date, a commitment's due date or owner), **drop** an item, **add** items, **confirm**, **cancel**.
A reply is read with the same readers as a note (``tools.notes.extract``): its dates by ``DATE_RE`` /
``resolve``, its people by ``scan_people`` and ``presence``, and what it adds (a person who was there too, a
promise, a new title, a changed sentiment, the meeting's day) by the extractor itself, run on the reply in the
draft's account. What is left to this module is the structure of a reply: which item it points at ("the
second one", "the one about pricing", a person), whether it negates ("didn't leave", "wasn't there"), and
whether it carries anything at all (a reply with no target is a yes, or a no when it negates).
"""

from __future__ import annotations

import re

from tools.context import ToolContext
from tools.notes.answers import SET_ASIDE, DraftView, Reading, accounts_named, fill, set_date, set_due
from tools.notes.draft import colleague_names, known_scope, new_items, participant_key
from tools.notes.draft_refs import DUE_CUE, due_targets, dues_set_aside, references, reply_people
from tools.notes.extract.dates import DATE_RE
from tools.notes.extract.mood_model import words_only
from tools.notes.extract.organisations import words
from tools.notes.extract.people import scan_people
from tools.notes.extract.presence import presence
from tools.notes.owners import read_owner
from tools.notes.reply_act import reply_act
from tools.notes.reply_people import SUBJECT_PRONOUN, antecedent, new_title, swap
from tools.notes.reply_wording import KEEPS, plainly
from tools.notes.results import day
from tools.notes.schema import KnownAccount, KnownPerson, NoteExtraction

# "take him off", "leave Tom out": what is named between the verb and its particle goes
_TAKE_OFF = r"(?:take|leave|cross|knock)\s+{}\s+(?:out|off)"
_DROP = re.compile(r"\b(?:drop|remove|delete|strike|scratch|cut|take\s+out|get\s+rid\s+of|lose|ditch|bin|kill|"
                   + _TAKE_OFF.format(r"(?P<object>(?!(?:it|that|this|everything|all)\b)[\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")
                   + r"\b|"
                   r"scrap|forget|ignore|skip|no\s+need\s+for)\b", re.I)
_WHOLE = re.compile(r"^\W*(?:(?:it|that|this|everything|all(?:\s+of\s+it)?|the\s+(?:whole\s+)?(?:note|thing|lot|"
                    r"proposal|draft|record))(?:\W*$|\s*[,.;:!—–-]|\s+(?:not|no|it['’]?s|i['’]ll|we['’]ll|never|"
                    r"don['’]?t|for\s+now)\b)|\W*$)", re.I)  # "scrap that, not worth logging": the whole draft
# What a bare yes / no does not carry: a number, an identity or place ("it was a call"), a later name.
_CONTENT = re.compile(r"\d|\b(?:it|that|this|he|she|they|we|one)\s+(?:was|is|were|are|['’]s)\s+(?:a|an|the|on|at|"
                      r"in|with|for|not|ours|theirs|mine|due)\b", re.I)
_LATER_NAME = re.compile(r"(?<=\w)[\s,]+(?!I\b|OK\b)[A-Z][a-z]+")
ACT_CONFIDENCE = 0.6
_NO_ITEMS = re.compile(r"\bno\s+(?:commitments|promises|action\s+items|actions|follow[- ]?ups|next\s+steps)\b", re.I)
_NOT_LEFT = re.compile(r"\b(?:didn['’]?t|did\s+not|hasn['’]?t|has\s+not|never|not|isn['’]?t|is\s+not|wasn['’]?t)\s+"
                       r"(?:leave|left|leaving|quit|resign(?:ed)?|gone|go(?:ing)?)\b|\bstill\s+(?:there|at|with)\b",
                       re.I)
# An imperative that points into the draft ("make the due date Dec 3", "set the owner to Tom") edits it.
_DRAFT_REF = re.compile(r"\b(?:the|its|it['’]s|that|this|no)\s+(?:due(?:\s+date)?|date|deadline|owner|meeting|call|"
                        r"note|commitments?|promises?|actions?|follow[- ]?ups?|one|first|second|third|last|proposal|"
                        r"record)\b", re.I)
# "please add it", "put that in too", "add this to the note": what the message says goes into the draft.
_ADD_IT = re.compile(r"\b(?:add|include|put|stick|pop|throw)\s+(?:it|that|this|those|these)\b"
                     r"(?:\s+(?:in|on|too|as\s+well|to\s+(?:it|the\s+(?:note|draft|record|list|proposal))))?|"
                     r"\b(?:please|pls|kindly)\s+(?:add|include)(?=\W*$)", re.I)  # "..., please add."
# "..., add that" closing a reply is the instruction, not part of what it says
_ADD_IT_TAIL = re.compile(r"[\s,;:.!-]*(?:(?:and|pls|please)\s+)*(?:" + _ADD_IT.pattern
                          + r")(?:\s+(?:too|please|pls|thanks|thx))?[\s.!]*$", re.I)
# A closing ask to apply what the reply just said: "Can you change that?", "could you fix it please?"
_ASKS_TO_APPLY = re.compile(r"(?<=[.!,;])\s*(?:(?:can|could|would)\s+you\s+(?:please\s+)?(?:change|fix|update|correct|"
                            r"amend|adjust)\s+(?:that|it|this)(?:\s+please)?|ok|okay|right)\s*\?\s*$", re.I)
# An appraisal that, with a draft waiting, approves it: "perfect, thanks, that's everything!"
APPROVES = re.compile(r"\b(?:perfect|great|good|right|correct|fine|spot\s+on|exactly|lgtm|all\s+good|nice(?:ly)?|"
                      r"splendid|lovely|brilliant|excellent|(?:that|it)(?:['’]ll|\s+will)\s+do|works\s+for\s+me)\b",
                      re.I)
# "save it", "log this to Copperfield", "store the note": the draft is what is to be stored
SAVE_IT = re.compile(r"\b(?:save|store|log|file|record|submit|commit|write|post|register|enter|push|lock|bung|chuck)"
                     r"\s+(?:it|this|that|the\s+(?:note|record|draft|"
                      r"proposal|entry))\b", re.I)
# "add Marco Bellini", "Add Valentina Kumar, she was there": the name keeps its capital, the verb need not
# "add ravi menon, head of fleet technology", "there was a new guy, thabo nkosi, their dealer network manager": a
# name typed in lower case, known for one by the title after it
_ADD_LOWER = re.compile(r"^\W*(?:(?i:oh|sorry|also|and|oops)\W+)*(?:(?i:please)\s+)?(?:(?i:add|include)\s+|"
                        r"(?i:there)\s+was\s+(?:also\s+)?(?:a|one)\s+new\s+[a-z]+\s*,?\s*)"
                        r"(?P<name>[a-z][a-z'’-]+\s+[a-z][a-z'’-]+)\s*,\s*(?:the\s+|their\s+|a\s+)?"
                        r"(?P<title>(?:[a-z]+\s+){0,2}(?:head|director|vp|chief|manager|lead|"
                        r"cto|cfo|ceo|cio|coo|ciso|svp|evp|senior|principal|engineer|analyst|architect)\b"
                        r"(?:\s+(?:of|for)(?:\s+[a-z&]+){1,3})?)(?=\s*[,.;]|\s*$)")
_ADD_PERSON = re.compile(r"^\W*(?:(?i:oh|sorry|also|and|oops)\W+)*(?:(?i:please)\s+)?(?i:add|include)\s+(?=[A-Z])")


# Where the object of a drop ends: "remove Ben, he wasn't on the call. and add ..."; "Scratch Gary, he wasn't on - ..."
_OBJECT_ENDS = re.compile(r"[.;!?\n]|,?\s+(?:and|also|then|plus)\s+(?:add|include|make|change|set|put|mark|that)\b|"
                          r",\s*(?:he|she|they|that|this|it|as|because|since|who)\b|\s[-–—]\s")
# A reply that opens by calling the draft off: "never mind, I'll log it later", "forget it", "don't log it".
_CALLED_OFF = re.compile(r"^\W*(?:(?:oh|ok|nah|no|hmm)\W+)*(?:never\s*mind|forget\s+(?:it|that|about\s+it)|"
                         r"don['’]?t\s+(?:log|save|store|bother)|no\s+need\s+to\s+(?:log|save)|"
                         r"(?:scrap|bin|ditch|drop|cancel)\s+(?:it|that|this)(?:\W*$|\W+(?:not|no|i['’]ll|never|for\s+now)\b))",
                         re.IGNORECASE)


# A reply that opens by editing: "remove the pilot one", "add Marco too", "forgot one: ...", "take him out".
# "put him back", "bring Jack back", "reinstate Ms Rossi": a person taken off is to be there after all
PUT_BACK = re.compile(r"\b(?:put|add|bring|have)\s+(?P<who>him|her|them|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+back\b|"
                      r"\b(?:reinstate|restore)\s+(?P<named>him|her|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)", re.I)
EDIT_OPENS = re.compile(r"^\W*(?:(?:oh|sorry|also|and|actually|oops)\W+)*(?:drop|remove|delete|add|forgot|missing|"
                        r"you\s+missed|missed|scratch|"
                         r"strike|take\s+out|change|replace|swap|include|exclude|"
                         + _TAKE_OFF.format(r"[\w'’-]+(?:\s+[\w'’-]+)?") + r")\b", re.IGNORECASE)


def leans_on(message: str, draft: DraftView) -> bool:
    """Whether ``message`` points into the draft: at a field or item ("the due date", "the deck one"), at a person
    of it by name ("Noah wasn't there"), or opens with an edit ("remove ...", "forgot one: ...")."""
    if (_DRAFT_REF.search(message) or references(message, draft) or EDIT_OPENS.search(message)
            or _ADD_IT.search(message)):
        return True
    if new_title(message, draft) is not None:
        return True  # "oh and he's their Head of Procurement"
    said = set(words(message))  # "Noah wasn't there", "Mr. Thornton also will revert": a name of someone in it
    return any(len(w) >= 3 and w in said for p in draft.extraction.participants if p.name for w in words(p.name))


def read_reply(ctx: ToolContext, message: str, draft: DraftView, *, reads_as: str) -> Reading:
    """How ``message`` edits ``draft``. ``reads_as``: the message-kind classifier's reading of it (note, request,
    reply, small_talk, or unsure: then it may edit but never confirms or cancels); a question or an unrelated
    request edits nothing and is answered as usual."""
    out = Reading()
    if _CALLED_OFF.match(message):  # "Never mind, I'll log it later": whatever questions are open
        out.act = "cancel"
        return out
    message = plainly(message)  # "Sorry, I must correct: ...", "2. = ...", "Could you take him off?"
    points_in = leans_on(message, draft)  # "make the due date...", "the deck", "Noah wasn't there"
    if reads_as in ("request", "unsure") and SAVE_IT.search(message):
        reads_as = "reply"  # "please save it to Copperfield": the request is to store this draft
    asks = _ASKS_TO_APPLY.sub("", message).rstrip()  # "..., he was annoyed. Can you change that?": an edit
    if asks.endswith("?"):
        return out  # a question: answered as usual, the draft stays
    accounts, people = known_scope(ctx)
    x = draft.extraction
    scoped = [p for p in people if x.account is not None and p.account_id == x.account.id]
    for question in x.questions:  # "it is Bayside Grocers" answers the open question, whatever it reads as
        fill(ctx, message, question, draft, scoped, accounts, people, out)
    if reads_as == "request" and not points_in and not out.answered:
        return out  # a request about something else: answered as usual, the draft stays
    scoped = reply_people(message, scoped, draft)  # "take Priya off": the Priya in the draft
    rest = re.split(r"(?<=[.!?])\s+|\n+", message.strip(), maxsplit=1)[1:]
    if x.account is not None and out.answered and rest and rest[0].strip():
        # "Rebecca Das (legal). Also Matthew Carter joined for the last 10 minutes": an answer, then an edit; a day
        # the answer gave stays ("It was Tuesday the 17th. Thursday was a different call.")
        dated = any(e["op"] == "date" for e in out.edits)
        edits, revisions = len(out.edits), len(out.revisions)
        _edit(ctx, rest[0], draft, scoped, out, narrative=reads_as == "note")
        if dated:
            out.edits[edits:] = [e for e in out.edits[edits:] if e["op"] != "date"]
            out.revisions[revisions:] = [r for r in out.revisions[revisions:] if not r.startswith("date ")]
    if x.account is not None and not x.questions:
        _account_correction(message, x, accounts, out)
        _edit(ctx, message, draft, scoped, out, narrative=reads_as == "note")
        _edit_each(ctx, message, draft, scoped, out, narrative=reads_as == "note")
    if out.act == "cancel" or out.changes_anything:
        out.act = out.act if out.act == "cancel" else "edit"
        return out
    if reads_as != "reply":
        return out  # small talk, a note that edits nothing, or a message the classifier is unsure of
    act = reply_act(message)
    # A drop of something that found nothing to drop ("take him off" with no him) is no yes either.
    drop = _DROP.search(message)
    if x.account is not None:  # the draft's own account says nothing new ("save it to Copperfield")
        message = re.sub(rf"\s*\b(?:to|for|under|against|on)?\s*{re.escape(x.account.span or x.account.name)}\b", "",
                         message, flags=re.I)
    for name in colleague_names(ctx):  # "please save it for Jordan": on a colleague's behalf, nothing to change
        first = re.escape(name.split()[0])
        said_for = rf"(?:(?:for|on\s+behalf\s+of|under)\s+{first}|on\s+{first}['’]s\s+behalf)"
        message = re.sub(rf"\b(it|this|that)\s+{said_for}\b",
                         r"\1", message)  # ("save it on Maria's behalf")
    content = (_CONTENT.search(message) or _LATER_NAME.search(message) or DATE_RE.search(message)
               or (drop and (drop.group("object") or not _WHOLE.match(message[drop.end():]))))
    if content or references(message, draft, by_words=False) or act.confidence < ACT_CONFIDENCE:
        out.act = "unclear"  # it says something this grammar did not read: never taken for a yes
    elif act.act == "refuse":  # "Angela red is right, leave it": kept as it is, not cancelled
        out.act = "unclear" if KEEPS.search(message) else "cancel"
    elif act.act == "hold":
        out.act = "hold"
    else:
        out.act = "confirm" if not x.questions else "unclear"
    return out


# -- set, drop, add: corrections of a proposal -------------------------------------------------------------------


def _account_correction(message: str, x: NoteExtraction, accounts: list[KnownAccount], out: Reading) -> None:
    """"wrong account, it's Globex", "sorry, I meant Globex": one other account named, and no other content."""
    found = [a for a in accounts_named(message, accounts) if x.account is None or a.id != x.account.id]
    if len(found) == 1 and len(message.split()) <= 8:
        out.account_id = found[0].id
        out.revisions.append(f"account {found[0].name}")


def _edit_each(ctx: ToolContext, message: str, draft: DraftView, scoped: list[KnownPerson], out: Reading, *,
               narrative: bool) -> None:
    """Several corrections in one message, a sentence or a line each ("the due is Thursday, not Tuesday. And Ruth
    Clarke was also on the call", "1. Add: Felix is now CFO / 2. Add action: me - budget template by 30 Nov"): what
    each says on its own, besides what the whole message said."""
    parts = [p for p in _PARTS.split(message.strip()) if p and len(p.split()) >= 3]
    if len(parts) < 2 or out.act == "cancel":
        return
    seen = {repr(e) for e in out.edits}
    scan, pos = scan_people(message, scoped), 0
    for part in parts:
        at = message.find(part, pos)
        pos = at + len(part) if at >= 0 else pos
        one = Reading()
        _edit(ctx, _ITEM_LEAD.sub("", antecedent(part, at, message, scan)), draft, scoped, one, narrative=narrative)
        new = [e for e in (new_items(e, out.edits) for e in one.edits) if e and repr(e) not in seen]
        if new and one.act != "cancel":
            seen.update(repr(e) for e in new)
            out.edits.extend(new)
            out.revisions.extend(r for r in one.revisions if r not in out.revisions)


_ITEM_LABEL = re.compile(r"^\W*(?:(?:missing|missed|forgot|add(?:ed)?|new|one\s+more|also|plus)(?:\s+(?:action|item|"
                         r"commitment|promise|follow[- ]?up|to-?do|next\s+step)s?)?\s*:\s*)", re.I)
# Where one correction ends and the next begins: a sentence's end ("... not wed. and add one: ..."), a line, " / ",
# "; " or a numbered item.
_PARTS = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9]|(?:and|also|plus|oh|then)\b)|\n+|\s+/\s+|(?<=\S)\s+(?=\d[.)]\s)|"
                    r";\s*(?:and\s+)?")
_ITEM_LEAD = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s*(?:(?:add|also|and|plus)\s*(?:action|item|commitment)?\s*:\s*)?",
                        re.I)


def _edit(ctx: ToolContext, message: str, draft: DraftView, scoped: list[KnownPerson], out: Reading, *,
          narrative: bool) -> None:
    x = draft.extraction
    edits_before = len(out.edits)  # what this part of the reply changes, besides what the parts before it did
    scan = scan_people(message, scoped)
    there = presence(message, scan.mentions)
    named = [m for m in scan.mentions if m.person_id or m.is_new]
    refs = references(message, draft)
    dropped_keys: set[str] = set()
    if _NO_ITEMS.search(message) and draft.commitments:  # "no commitments", "there were no action items"
        out.edits.append({"op": "drop", "what": "commitments"})
        out.revisions.append("no commitments")
        return
    back = PUT_BACK.search(message)
    if back is not None:  # "Ach no, put him back": the person taken off last (or the one named), as first read
        who = back.group("who") or back.group("named")
        name = None if who.lower() in ("him", "her", "them") else who
        out.edits.append({"op": "restore", "name": name})
        out.revisions.append(f"put back {name or 'the person taken off'}")
        return
    if swap(message, draft, named, out):
        return
    drop = _DROP.search(message)
    if drop is not None:
        target = message[drop.end():]
        if _WHOLE.match(target) and not re.search(r"\b(?:him|her|them)\b", drop.group(0), re.I) and not references(
                message[: drop.start()], draft):  # "Emily never said she'd send the user list. Remove that.": the list
            out.act = "cancel"
            return
        # "take Joseph off": the object between the verb and its particle; else who is named after the verb
        object_start = drop.start("object") if drop.group("object") else drop.end()
        clause_end = _OBJECT_ENDS.search(message, object_start)
        people_here = [m for m in named if object_start <= m.start < (clause_end.start() if clause_end
                                                                      else len(message))]  # not "... and add X"
        pronoun = re.search(r"\b(him|her|them)\b", drop.group(0) + target[:12], re.I)
        if not people_here and pronoun:  # "Noah wasn't on it, take him out": the last one "him" can stand for
            who = scan.before(drop.start(), {"him": "he", "her": "she"}.get(pronoun.group(1).lower()))
            people_here = [m for m in named if who is not None and m.start == who.start]
        direct = bool(people_here) and (re.match(r"\s*(?:him|her|them)\b", target, re.I) is not None or any(
            0 <= m.start - drop.end() <= 2 for m in people_here))  # "Remove her please": the person, whatever else
        if not direct and not people_here and not refs and _WHOLE.match(target):  # "Matthew did not promise the
            refs = references(message[: drop.start()], draft)  # figures ... Remove that.": what it says before
        if not direct and (refs or re.search(r"\b(?:commitments?|promises?|actions?|follow[- ]?ups?|tasks?)\b", target,
                                             re.I)):
            indexes = refs or list(range(len(draft.commitments)))
            if not refs and re.search(r"\b(?:commitments|promises|actions|tasks|all)\b", target, re.I):
                out.edits.append({"op": "drop", "what": "commitments"})
                out.revisions.append("dropped the commitments")
                return
            for index in sorted(indexes, reverse=True):
                out.edits.append({"op": "drop", "what": "commitment", "index": index})
                out.revisions.append(f"dropped commitment {index + 1} ({draft.commitments[index].description})")
            return
        for m in people_here:
            key = m.person_id or "new:" + m.name.casefold()
            _drop_person(x, key, m.name, out, change=bool(re.search(r"\bchange|title|departure", target, re.I)))
            dropped_keys.add(key)
    for m in named:
        away = m.key in there.absent and not _AWAY_FOR_A_TIME.match(message, m.end)
        if m.key not in dropped_keys and (away or _NOT_THERE.match(message, m.end)):
            _drop_person(x, m.key, m.name, out, change=False)
            dropped_keys.add(m.key)
    if _NOT_LEFT.search(message):
        subjects = [m.person_id for m in named if m.person_id] or [c.stakeholder_id for c in x.changes]
        for change in x.changes:
            if change.kind == "left_company" and change.stakeholder_id in subjects[:1]:
                out.edits.append({"op": "drop", "what": "change", "key": change.stakeholder_id})
                out.revisions.append(f"{change.name} did not leave")
    if read_owner(ctx, message, draft, refs, named, out):
        return
    title = new_title(message, draft)
    if title is not None:
        person, value = title
        out.edits.append({"op": "title", "key": participant_key(person), "value": value})
        out.revisions.append(f"{person.name}: {value}")
        return
    delta = _read_delta(ctx, message, draft)
    # A promise read from a reply needs what makes it one: a narrative, a customer, an owner or a due date.
    # A bare imperative ("confirm", "log it") is the reply's act, not a to-do.
    delta.commitments = [c for c in delta.commitments if narrative or c.side == "customer" or c.owner_name or c.due]
    added_commitments = bool(delta.commitments)  # a day is the new promise's when another side makes it ("Kevin
    # said he'd get us the export by Friday week" leaves our plan's due alone; "my plan will go on 8th" moves it)
    aside = dues_set_aside(message, draft, ctx)  # "Henrik said 11/12 not 10/12": the one due on the 10th moves
    if (refs or aside or (not added_commitments and DUE_CUE.search(message))) and not any(
            c.due and all(draft.commitments[i].side != c.side for i in refs) for c in delta.commitments):
        indexes = refs or aside or references(message, draft, owners=True) or due_targets(draft)
        if indexes and set_due(ctx, message, indexes, draft, out):
            _add(delta, draft, dropped_keys, out, moods_only=True)  # "..., and Svensson should be neutral"
            return
    _add(delta, draft, dropped_keys, out)
    kind = delta.kind
    if kind is not None and kind.value != x.interaction_kind() and re.search(  # "actually it was a call"
            rf"\b(?:a|an)\s+{re.escape(kind.span)}", message, re.I):
        out.edits.append({"op": "kind", "value": kind.value, "span": kind.span})
        out.revisions.append(f"a {kind.value}")
    at = message.find(delta.date.span) if delta.date is not None and delta.date.span else -1
    aside = at > 0 and SET_ASIDE.search(message, max(0, at - 20), at)  # "not thurs": the day it was not
    about_a_due = _DUE_FIRST.match(message) is not None  # "Due for the release schedule is 8.12.": no meeting day
    if delta.date is not None and not added_commitments and not aside and not about_a_due and not delta.changes:
        out.edits.append({"op": "date", "value": delta.date.value.isoformat(), "span": delta.date.span})
        out.revisions.append(f"date {day(delta.date.value)}")
    elif not added_commitments and len(out.edits) == edits_before and not about_a_due:
        set_aside = any(SET_ASIDE.search(message, max(0, d.start() - 20), d.start()) for d in DATE_RE.finditer(message))
        set_date(ctx, message, out, any_phrase=set_aside or bool(re.search(  # "is not Thursday, is Friday already"
            r"\b(?:date|day|meeting|call|it\s+was|happened|was\s+on)\b", message, re.I)))


_DUE_FIRST = re.compile(r"^\W*(?:the\s+)?(?:due(?:\s+date)?|deadline)\b", re.I)
# "Noah wasn't actually on the call", "Ray was not there": the person named just before was absent.
# "Leila was not so positive" says how she was, not where: a "wasn't" must go on to a place or end its clause.
_NOT_THERE = re.compile(r"\s+(?:(?:wasn['’]?t|was\s+not|weren['’]?t|never\s+was)(?:\s+(?:actually|really|even))?"
                        r"(?:\s+(?:on|in|at|there|part\s+of|present|here)\b|\s*(?=[.,;!?]|$))"
                        r"|(?:didn['’]?t|did\s+not|never)(?:\s+actually\s+|\s*,\s*(?:in\s+fact|actually),\s*|\s+)"
                        r"(?:join|joined|attend|attended|come|came|"
                        r"show(?:ed)?\s+up)\b)", re.I)


# "Ryan's out till then", "she's away until the 3rd": away for a time to come (why a date moves), not absent from the
# meeting the note records.
_AWAY_FOR_A_TIME = re.compile(r"[^.;!?]{0,30}?\b(?:till|until|til|through|thru|for\s+the\s+next|for\s+(?:a|\d+|two|"
                              r"three)\s+(?:days?|weeks?)|all\s+next|next\s+week|back\s+(?:on|in|next))\b", re.I)


def _drop_person(x: NoteExtraction, key: str, name: str, out: Reading, *, change: bool) -> None:
    if not change and any(participant_key(p) == key for p in x.participants):
        out.edits.append({"op": "drop", "what": "participant", "key": key})
        out.revisions.append(f"removed {name}")
    elif any(c.stakeholder_id == key for c in x.changes):
        out.edits.append({"op": "drop", "what": "change", "key": key})
        out.revisions.append(f"no change for {name}")


def _read_delta(ctx: ToolContext, message: str, draft: DraftView) -> NoteExtraction:
    """What the reply says as a note would, in the draft's account ("she" read as the person the draft is about)."""
    x = draft.extraction
    accounts, people = known_scope(ctx)
    scoped = reply_people(message, [p for p in people if x.account is not None and p.account_id == x.account.id], draft)
    people = [p for p in people if x.account is None or p.account_id != x.account.id] + scoped
    message = _ITEM_LABEL.sub("", message, count=1)  # "Missing action: Gupta to send ...": the action itself
    text = _ADD_PERSON.sub("Also met ", _ADD_IT_TAIL.sub("", message), count=1)  # "add Marco Bellini": met him
    text = _ADD_LOWER.sub(lambda m: f"Also met {m['name'].title()}, {m['title']}", text, count=1)
    if SUBJECT_PRONOUN.search(text) and not [m for m in scan_people(text, scoped).mentions if m.person_id]:
        focus = [c.name for c in x.changes] if len(x.changes) == 1 else [p.name for p in x.participants]
        if focus:
            first = focus[0].split()[0]  # "her new title is CTO" -> "Fatima's new title is CTO"
            text = SUBJECT_PRONOUN.sub(lambda m: first + ("'s" if m.group(0).lower() in ("her", "his") else ""),
                                        text, count=1)
    assert ctx.extractor is not None and x.account is not None
    with words_only():  # a reply names people to correct them, not to tell how they were
        return ctx.extractor.extract(text, as_of=ctx.as_of, people=people, accounts=accounts,
                                     account_id=x.account.id, colleagues=colleague_names(ctx))


def _add(delta: NoteExtraction, draft: DraftView, dropped: set[str], out: Reading, *, moods_only: bool = False) -> None:
    """Items the reply adds: people who were there too (or a sentiment for someone already there), promises,
    stakeholder changes; ``moods_only``: only a new sentiment for someone already there."""
    # someone the reply gives a change, or whose change in the draft it corrects ("Susan didn't leave - she's
    # actually Head of IT now"), is named for the change, not as one who was there
    changed = {c.stakeholder_id for c in [*delta.changes, *draft.extraction.changes]}
    present = {participant_key(p): p for p in draft.extraction.participants}
    participants = []
    for p in delta.participants:
        key = participant_key(p)
        if key in dropped or (p.stakeholder_id or "") in changed:
            continue
        if key not in present:
            if moods_only:
                continue
            participants.append(p)
            out.revisions.append(f"added {p.name}" + (f" (sentiment {p.sentiment:+d})" if p.sentiment else ""))
        elif (p.sentiment or p.sentiment_span) and p.sentiment != present[key].sentiment:  # "put her neutral"
            participants.append(p)
            out.revisions.append(f"{p.name}: sentiment {p.sentiment:+d}")
    if moods_only:
        delta = delta.model_copy(update={"commitments": [], "changes": []})
    if not (participants or delta.commitments or delta.changes):
        return
    out.edits.append({"op": "add", "participants": [p.model_dump(mode="json") for p in participants],
                      "commitments": [c.model_dump(mode="json") for c in delta.commitments],
                      "changes": [c.model_dump(mode="json") for c in delta.changes]})
    out.revisions.extend(f"added commitment: {c.side}, {c.description}" + (f", due {day(c.due)}" if c.due else "")
                         for c in delta.commitments)
    out.revisions.extend(f"{c.name}: left the company" if c.kind == "left_company" else
                         f"{c.name}: new title {c.new_title}" for c in delta.changes)
