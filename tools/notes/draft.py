"""A note proposal is a draft the thread can edit: answered, corrected, then confirmed or cancelled (docs/agent.md).

The draft is the thread's ``PendingAction``: status ``question`` while the note still has questions (nothing can
be stored yet), ``pending`` once it can be confirmed. Its payload keeps what the proposal is made of, so every
revision is recomputed the same way and the record stored on confirm is the revised one:

- ``text``: the note as written (what the interaction stores); ``work_text``: the note with the answers to its
  questions written in ("Priya" becomes "Priya Raman"); ``account_id``: the account the note or an answer chose;
- ``base``: the validated extraction of ``work_text`` (the same as ``extraction`` until an edit, and only kept
  apart from then on); ``answered``: questions answered, never asked again;
- ``edits``: the corrections since, in order (``tools.notes.edits`` reads them from the replies);
- ``extraction`` and ``commitments``: ``base`` with the edits applied, what ``store_note`` stores.

An answer re-reads the note (the extractor runs again on ``work_text``); a correction only replays the edits
on ``base``, so a model extractor is not asked again and an edit's item numbers mean the same each time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import col, select

from store.audit import record
from store.models import Account, PendingAction, Stakeholder, User, utcnow
from store.scopes import can_see_account, visible_owner_ids
from tools.context import ToolContext
from tools.errors import ToolError
from tools.notes.results import NoteProposal, ProposedCommitment
from tools.notes.schema import (
    ChangeItem,
    CommitmentItem,
    DateMention,
    Dropped,
    KindMention,
    KnownAccount,
    KnownPerson,
    NoteExtraction,
    ParticipantItem,
)
from tools.notes.store import KIND, new_id
from tools.notes.validate import validate

OPEN = ("pending", "question")  # the statuses of a draft the thread can still talk to


def known_scope(ctx: ToolContext) -> tuple[list[KnownAccount], list[KnownPerson]]:
    """The accounts the user sees, and their stakeholders who have not left."""
    owners = visible_owner_ids(ctx.session, ctx.user, "all")
    acc_stmt = select(Account.id, Account.name)
    people_stmt = (
        select(Stakeholder.id, Stakeholder.name, Stakeholder.account_id, Stakeholder.title)
        .join(Account, col(Account.id) == Stakeholder.account_id)
        .where(col(Stakeholder.left_company).is_(False))
    )
    if owners is not None:
        acc_stmt = acc_stmt.where(col(Account.owner_id).in_(owners))
        people_stmt = people_stmt.where(col(Account.owner_id).in_(owners))
    accounts = [KnownAccount(id=a, name=n) for a, n in ctx.session.exec(acc_stmt.order_by(col(Account.id))).all()]
    people = [KnownPerson(id=i, name=n, account_id=a, title=t)
              for i, n, a, t in ctx.session.exec(people_stmt.order_by(col(Stakeholder.id))).all()]
    return accounts, people


def colleague_names(ctx: ToolContext) -> list[str]:
    """The names of our own people (every user of the portfolio): the extractor tells them from the customer's."""
    return [n for n in ctx.session.exec(select(User.name).order_by(col(User.id))).all() if n]


def read_note(ctx: ToolContext, text: str, account_id: str | None) -> tuple[NoteExtraction, list[Dropped], str]:
    """The validated extraction of ``text`` (on ``account_id`` when given), what validation dropped, the reader."""
    if ctx.extractor is None:
        raise ToolError("note extraction is not configured")
    accounts, people = known_scope(ctx)
    raw = ctx.extractor.extract(text, as_of=ctx.as_of, people=people, accounts=accounts, account_id=account_id,
                                colleagues=colleague_names(ctx))
    extraction, dropped = validate(raw, text=text, as_of=ctx.as_of, people=people, accounts=accounts,
                                   account_id=account_id)
    return extraction, dropped, raw.source


def new_payload(text: str, as_of: dt.date, account_id: str | None, base: NoteExtraction,
                dropped: list[Dropped], source: str) -> dict[str, Any]:
    return {"text": text, "work_text": text, "as_of": as_of.isoformat(), "account_id": account_id,
            "extraction": base.model_dump(mode="json"), "answered": [], "edits": [], "source": source,
            "dropped": [d.model_dump(mode="json") for d in dropped]}


def settle(ctx: ToolContext, payload: dict[str, Any]) -> NoteExtraction:
    """Apply the payload's edits to its base: sets ``extraction``, ``commitments`` and ``account_id``; returns the
    extraction (its questions are those not answered yet)."""
    if "base" not in payload:  # kept apart only once an edit makes the extraction differ from it
        payload["base"] = payload["extraction"]
    base = NoteExtraction.model_validate(payload["base"])
    if not payload.get("edits") and not payload.get("answered"):
        del payload["base"]
    answered = set(payload.get("answered", []))
    base.questions = [q for q in base.questions if q not in answered]
    extraction, owners = apply_edits(base, payload.get("edits", []))
    commitments = with_owners(proposed_commitments(ctx, extraction), owners)
    payload["extraction"] = extraction.model_dump(mode="json")
    payload["commitments"] = [c.model_dump(mode="json") for c in commitments]
    payload["account_id"] = extraction.account.id if extraction.account else payload.get("account_id")
    return extraction


def proposal(payload: dict[str, Any], *, status: str, pending_id: str | None = None,
             revisions: list[str] | None = None) -> NoteProposal:
    """The proposal a payload (already ``settle``d) shows."""
    extraction = NoteExtraction.model_validate(payload["extraction"])
    as_of = dt.date.fromisoformat(payload["as_of"])
    return NoteProposal(
        status=status,  # type: ignore[arg-type]
        pending_id=pending_id,
        account_id=extraction.account.id if extraction.account else None,
        account_name=extraction.account.name if extraction.account else None,
        account_span=extraction.account.span if extraction.account else None,
        interaction_date=extraction.interaction_date(as_of),
        date_span=extraction.date.span if extraction.date else None,
        kind=extraction.interaction_kind(),
        participants=extraction.participants,
        commitments=[ProposedCommitment.model_validate(c) for c in payload["commitments"]],
        changes=extraction.changes,
        questions=extraction.questions,
        dropped=[Dropped.model_validate(d) for d in payload.get("dropped", [])],
        later=extraction.later,
        extractor=payload.get("source", "offline"),
        revisions=revisions or [],
    )


def has_open_draft(ctx: ToolContext) -> bool:
    """Whether this thread has a draft of the user's still open (a read, no lock)."""
    if not ctx.thread_id:
        return False
    stmt = select(PendingAction.id).where(PendingAction.user_id == ctx.user.id, PendingAction.kind == KIND,
                                          PendingAction.thread_id == ctx.thread_id,
                                          col(PendingAction.status).in_(OPEN)).limit(1)
    return ctx.session.exec(stmt).first() is not None


def open_draft(ctx: ToolContext) -> PendingAction | None:
    """The user's latest draft in this thread that is still open (locked for the write); None without a thread."""
    if not ctx.thread_id:
        return None
    stmt = (select(PendingAction)
            .where(PendingAction.user_id == ctx.user.id, PendingAction.kind == KIND,
                   PendingAction.thread_id == ctx.thread_id, col(PendingAction.status).in_(OPEN))
            .order_by(col(PendingAction.created_at).desc(), col(PendingAction.id).desc()).limit(1))
    return ctx.session.exec(stmt.with_for_update().execution_options(populate_existing=True)).first()


def save_new(ctx: ToolContext, payload: dict[str, Any], status: str) -> PendingAction:
    """Store a new draft, superseding the user's open drafts of the thread (a corrected note replaces them)."""
    action = PendingAction(id=new_id("P"), user_id=ctx.user.id, thread_id=ctx.thread_id, kind=KIND, status=status,
                           payload=payload)
    _supersede(ctx, action.id)
    ctx.session.add(action)
    record(ctx.session, actor=ctx.user.id, action="propose", entity="pending_action", entity_id=action.id,
           detail={"account_id": payload.get("account_id"), "thread_id": ctx.thread_id, "status": status})
    ctx.session.flush()
    return action


def save_revision(ctx: ToolContext, action: PendingAction, payload: dict[str, Any], status: str,
                  revisions: list[str]) -> None:
    action.payload = payload  # a new dict: the JSON column is written again
    action.status = status
    action.updated_at = utcnow()
    ctx.session.add(action)
    record(ctx.session, actor=ctx.user.id, action="revise", entity="pending_action", entity_id=action.id,
           detail={"revisions": revisions[:10], "status": status})
    ctx.session.flush()


def _supersede(ctx: ToolContext, new_id_: str) -> None:
    """Cancel the user's earlier open drafts of this thread, so an old Confirm button cannot store them."""
    if not ctx.thread_id:
        return
    older = ctx.session.exec(
        select(PendingAction).where(PendingAction.user_id == ctx.user.id, PendingAction.thread_id == ctx.thread_id,
                                    PendingAction.kind == KIND, col(PendingAction.status).in_(OPEN))
    ).all()
    for action in older:
        action.status = "cancelled"
        action.result = {"superseded_by": new_id_}
        action.updated_at = utcnow()
        ctx.session.add(action)
        record(ctx.session, actor=ctx.user.id, action="cancel", entity="pending_action", entity_id=action.id,
               detail={"superseded_by": new_id_})


def proposed_commitments(ctx: ToolContext, extraction: NoteExtraction) -> list[ProposedCommitment]:
    """The extraction's commitments with owners: ours are the acting user's, or the colleague the note names at
    their head ("Becker to deliver the plan" is Tom Becker's)."""
    out = []
    named = [c.owner_name for c in extraction.commitments if c.side == "ours" and c.owner_name]
    users = list(ctx.session.exec(select(User)).all()) if named else []
    for c in extraction.commitments:
        ours = c.side == "ours"
        colleague = _colleague(users, c.owner_name) if ours else None
        if colleague is not None and (extraction.account is None
                                      or not can_see_account(ctx.session, colleague, extraction.account.id)):
            colleague = None  # a promise is kept by someone who can see the account
        owner = (colleague or ctx.user) if ours else None
        out.append(ProposedCommitment(
            side=c.side,
            owner_id=owner.id if owner is not None else None,
            owner_stakeholder_id=None if ours else c.owner,
            owner_name=user_name(owner) if owner is not None else c.owner_name,
            description=c.description, due=c.due, due_span=c.due_span, span=c.span,
        ))
    return out


def _colleague(users: list[User], written: str | None) -> User | None:
    """The one user a colleague's name as written stands for (full name, first name, surname or initials)."""
    if not written:
        return None
    key = " ".join(written.replace(".", " ").split()).casefold()
    found = []
    for user in users:
        parts = (user.name or "").split()
        if not parts:
            continue
        forms = {" ".join(parts).casefold(), parts[0].casefold(), parts[-1].casefold(),
                 "".join(p[0] for p in parts).casefold(), f"{parts[0][0]} {parts[-1]}".casefold()}
        if key in forms:
            found.append(user)
    return found[0] if len(found) == 1 else None


def user_name(user: User) -> str:
    return user.name or user.id


# -- the edits ---------------------------------------------------------------------------------------------
# Each edit is a small JSON object kept in the payload: {"op": "date" | "kind" | "due" | "drop" | "add" | "owner" |
# "title" | "restore"} (a title for someone new; "restore" puts back a person an earlier edit took off).


Owners = list[dict[str, Any] | None]


def apply_edits(base: NoteExtraction, edits: list[dict[str, Any]]) -> tuple[NoteExtraction, Owners]:
    """``base`` with the edits applied in order (an edit that no longer fits is skipped), and beside each
    commitment the ``owner`` edit that last gave it to someone (None: as read)."""
    x = base.model_copy(deep=True)
    owners: Owners = [None] * len(x.commitments)
    taken_off: list[ParticipantItem] = []  # for "put him back"
    for e in edits:
        op = e.get("op")
        if op == "date":
            x.date = DateMention(value=dt.date.fromisoformat(e["value"]), span=e["span"])
        elif op == "kind":
            x.kind = KindMention(value=e["value"], span=e["span"])
        elif op == "due" and 0 <= e["index"] < len(x.commitments):
            c = x.commitments[e["index"]]
            c.due = dt.date.fromisoformat(e["value"]) if e.get("value") else None
            c.due_span = e.get("span")
        elif op == "owner":
            for index in e["indexes"]:
                if 0 <= index < len(owners):
                    owners[index] = e
        elif op == "drop":
            if e.get("what") == "commitment" and 0 <= e.get("index", -1) < len(owners):
                del owners[e["index"]]
            elif e.get("what") == "commitments":
                owners = []
            taken_off += [p for p in x.participants if e.get("what") == "participant" and _key(p) == e.get("key")]
            _drop(x, e)
        elif op == "restore":
            back = [p for p in taken_off if not e.get("name") or set(e["name"].casefold().split()) & set(
                p.name.casefold().split())]
            if back and all(_key(q) != _key(back[-1]) for q in x.participants):
                x.participants.append(back[-1])
        elif op == "title":
            for p in x.participants:
                if _key(p) == e.get("key"):
                    p.title = e["value"]
        elif op == "add":
            _add(x, e)
            owners += [None] * (len(x.commitments) - len(owners))
    return x, owners


def with_owners(commitments: list[ProposedCommitment], owners: Owners) -> list[ProposedCommitment]:
    """Commitments given to a colleague (ours) or to one of the customer's people (theirs) by ``owner`` edits."""
    out = []
    for c, e in zip(commitments, owners, strict=True):
        if e is None:
            out.append(c)
        elif e["side"] == "ours":
            out.append(c.model_copy(update={"side": "ours", "owner_id": e["user_id"], "owner_name": e["name"],
                                            "owner_stakeholder_id": None}))
        else:
            out.append(c.model_copy(update={"side": "customer", "owner_id": None, "owner_name": e.get("name"),
                                            "owner_stakeholder_id": e.get("stakeholder_id")}))
    return out


def _drop(x: NoteExtraction, e: dict[str, Any]) -> None:
    what = e.get("what")
    if what == "commitment" and 0 <= e.get("index", -1) < len(x.commitments):
        del x.commitments[e["index"]]
    elif what == "participant":
        x.participants = [p for p in x.participants if _key(p) != e["key"]]
    elif what == "change":
        x.changes = [c for c in x.changes if c.stakeholder_id != e["key"]]
    elif what == "commitments":
        x.commitments = []


def _add(x: NoteExtraction, e: dict[str, Any]) -> None:
    """Merge items read from a reply: a person already there takes the reply's sentiment when it gives one; a
    change replaces the earlier change of the same person."""
    for raw in e.get("participants", []):
        p = ParticipantItem.model_validate(raw)
        same = next((q for q in x.participants if _key(q) == _key(p)), None)
        if same is None:
            x.participants.append(p)
        elif p.sentiment or p.sentiment_span:  # a mood, or one said to be neutral ("put her neutral")
            same.sentiment, same.sentiment_span = p.sentiment, p.sentiment_span
    x.commitments.extend(CommitmentItem.model_validate(c) for c in e.get("commitments", []))
    for raw in e.get("changes", []):
        ch = ChangeItem.model_validate(raw)
        x.changes = [c for c in x.changes if c.stakeholder_id != ch.stakeholder_id] + [ch]


def _key(p: ParticipantItem) -> str:
    return p.stakeholder_id or "new:" + p.name.casefold()


def participant_key(p: ParticipantItem) -> str:
    """How an edit names a participant: the stakeholder id, or ``new:<name>`` for someone new."""
    return _key(p)


def new_items(edit: dict[str, Any], earlier: list[dict[str, Any]]) -> dict[str, Any] | None:
    """An "add" without the items an earlier "add" already holds (the whole message and its sentence both read
    "we will find a solution"): ``None`` when nothing is left; any other edit as it is."""
    if edit["op"] != "add":
        return edit
    held = {(k, repr(item)) for e in earlier if e["op"] == "add" for k in ("participants", "commitments", "changes")
            for item in e[k]}
    left = {k: [item for item in edit[k] if (k, repr(item)) not in held]
            for k in ("participants", "commitments", "changes")}
    return {"op": "add", **left} if any(left.values()) else None
