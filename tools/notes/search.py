"""``search_notes``: call-note excerpts that match a question, from the accounts the user may see.

The scope is applied twice: as an ``account_id $in [...]`` filter inside the index query, and again on
every hit against SQL (the source of truth), where a hit whose interaction is gone, moved out of scope or
changed since it was indexed is dropped. ``find_note_evidence`` is the same search for other tools
(``prep_qbr``, ``draft_plan``) that quote notes as cited evidence.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlmodel import col, select

from knowledge.records import NoteHit, text_hash
from store.models import Account, Interaction, User
from store.scopes import scoped_account_ids
from tools.accounts import resolve_account
from tools.context import ToolContext
from tools.errors import ToolError
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.wording import plural

MAX_QUERY_CHARS = 2_000
MAX_K = 25


class NoteEvidence(BaseModel):
    """One note excerpt with what it is cited by: date, author, account, and its interaction id."""

    interaction_id: str
    account_id: str
    account_name: str
    date: dt.date
    author_id: str | None = None
    author_name: str | None = None
    kind: str = ""
    participants: list[str] = Field(default_factory=list)
    excerpt: str
    score: float

    @property
    def citation(self) -> str:
        """``2026-03-04, Dana Reyes (meeting, i-123)``: how a brief cites this excerpt."""
        who = self.author_name or self.author_id or "unknown author"
        return f"{self.date.isoformat()}, {who} ({self.kind or 'note'}, {self.interaction_id})"

    def as_markdown(self) -> str:
        return f"> {self.excerpt}\n\n— {self.citation}, {self.account_name}"


class NoteSearchResult(ToolResult):
    """Notes matching a query, best first, each with its date, author and account."""

    query: str
    account_id: str | None = None
    account_name: str | None = None
    accounts_searched: int
    hits: list[NoteEvidence]
    dropped_stale: int = Field(0, description="index hits dropped because SQL no longer agrees")
    notes: list[str] = Field(default_factory=list, description="messages about the query itself")

    def lead(self) -> str:
        return "Here is what the call notes say." if self.hits else "No notes match."

    def as_markdown(self) -> str:
        where = f" at {self.account_name}" if self.account_name else ""
        lines = [f"**Notes{where} matching** “{_short(self.query)}”", ""]
        lines += [f"_{n}_" for n in self.notes]
        if not self.hits:
            if self.query:
                lines.append(f"No notes{where} match that (searched {plural(self.accounts_searched, 'account')}).")
            return "\n".join(lines).strip()
        for n, hit in enumerate(self.hits, start=1):
            people = f" · with {', '.join(hit.participants)}" if hit.participants else ""
            lines.append(f"{n}. {hit.excerpt}")
            lines.append(f"   — {hit.citation}, {hit.account_name}{people}")
        return "\n".join(lines)


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def clean_query(query: str, *, max_chars: int = MAX_QUERY_CHARS) -> tuple[str, list[str]]:
    """The query stripped and cut to ``max_chars``, with a note saying so when it was cut."""
    text = " ".join((query or "").split())
    notes: list[str] = []
    if len(text) > max_chars:
        notes.append(f"the query was {len(text):,} characters; only its first {max_chars:,} were searched")
        text = text[:max_chars]
    return text, notes


def find_note_evidence(
    ctx: ToolContext,
    *,
    query: str,
    account_ids: list[str] | None = None,
    k: int = 5,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[NoteEvidence]:
    """Cited note excerpts for ``query`` among ``account_ids`` (default: every account the user sees).

    Ids outside the user's scope are ignored, never searched. Empty when nothing matches or no index
    is configured.
    """
    hits, _ = _search(ctx, query, account_ids, k, since, until)
    return hits


def _search(
    ctx: ToolContext,
    query: str,
    account_ids: list[str] | None,
    k: int,
    since: dt.date | None,
    until: dt.date | None,
) -> tuple[list[NoteEvidence], int]:
    scope = set(scoped_account_ids(ctx.session, ctx.user))
    wanted = sorted(scope if account_ids is None else scope.intersection(account_ids))
    if ctx.knowledge is None or not wanted or not query.strip() or k <= 0:
        return [], 0
    # Ask for more than k: hits that SQL no longer agrees with are dropped below.
    raw: list[NoteHit] = ctx.knowledge.search_notes(query, wanted, k=k + 5, since=since, until=until)
    rows = _rows(ctx, [h.interaction_id for h in raw])
    accounts = _names(ctx, Account, {r.account_id for r in rows.values()})
    authors = _names(ctx, User, {r.author_id for r in rows.values() if r.author_id})
    out: list[NoteEvidence] = []
    dropped = 0
    for hit in raw:
        row = rows.get(hit.interaction_id)
        if row is None or row.account_id not in scope or text_hash(row.text or "") != hit.text_hash:
            dropped += 1
            continue
        out.append(
            NoteEvidence(
                interaction_id=row.id,
                account_id=row.account_id,
                account_name=accounts.get(row.account_id, row.account_id),
                date=row.date,
                author_id=row.author_id,
                author_name=authors.get(row.author_id) if row.author_id else None,
                kind=row.kind or "",
                participants=hit.participants,
                excerpt=hit.excerpt,
                score=hit.score,
            )
        )
    return out[:k], dropped


def search_degraded(ctx: ToolContext) -> str | None:
    """What to tell the user when the last search was answered without the index (from SQL, by words)."""
    reason = getattr(ctx.knowledge, "degraded", None)
    return f"search is degraded, matching words only: {reason}" if reason else None


def _rows(ctx: ToolContext, ids: list[str]) -> dict[str, Interaction]:
    if not ids:
        return {}
    found = ctx.session.exec(select(Interaction).where(col(Interaction.id).in_(ids))).all()
    return {r.id: r for r in found}


def _names(ctx: ToolContext, model: type[Account] | type[User], ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(ctx.session.exec(select(model.id, model.name).where(col(model.id).in_(sorted(ids)))).all())


_PLANNER_SEARCH_NOTES = PlannerHints(
    rules=(
        (r"\b(what did .{1,40} (say|said|mention|tell|think|raise|want)|what has .{1,40} (said"
         r"|mentioned|raised)|what have .{1,40} (said|mentioned|raised)|(did|has|have|had) .{1,40} (mention"
         r"|mentioned|say|said|bring up|brought up|raise|raised|complain|complained|flag|flagged)"
         r"|notes? (about|on|mentioning|where|that mention|from)"
         r"|mention(ed|s)?|call notes|said about|talk(ed)? about|any notes|find (the )?notes?"
         r"|search (the |my )?(call )?notes?|who (mentioned|raised|brought up|complained)"
         r"|when did .{1,40} (say|mention|bring up|raise)|in (my|our|the) notes)\b", 3.0),
    ),
    paraphrases=(
        "has anyone talked about the contract term", "dig up what was said about the rollout",
        "look for conversations about security", "any record of them raising price", "when did the topic come up",
        "which calls touched on the migration", "pull up discussion of the renewal", "did the subject ever come up",
        "find where they complained", "what do our notes say about licensing",
    ),
    exemplars=(
        "what did Dana say about pricing", "find notes mentioning the competitor", "what did they say about budget",
        "search notes for renewal", "who mentioned integration problems", "any notes about headcount",
        "what was said in the last call", "did anyone bring up the price increase",
        "has the CFO raised concerns about cost", "look through my call notes for security",
        "which meetings discussed the rollout", "find the conversation about the contract",
        "what feedback have we heard on support",
    ),
    slots=("query", "account"),
)


@tool("search_notes", title="Search call notes", planner=_PLANNER_SEARCH_NOTES)
def search_notes(ctx: ToolContext, *, query: str, account: str | None = None, k: int = 5) -> NoteSearchResult:
    """Find call notes that match a question (people, products, topics), optionally at one account.

    Only notes of accounts the user may see are searched. Each hit gives the excerpt, its date, author and
    account. ``account`` is an account name or id; ``k`` is how many notes to return (1-25).
    """
    text, notes = clean_query(query)
    if not 1 <= k <= MAX_K:
        notes.append(f"k={k} is outside 1-{MAX_K}; used {min(max(k, 1), MAX_K)}")
        k = min(max(k, 1), MAX_K)
    target = resolve_account(ctx, account) if account is not None else None
    scope = [target.id] if target else scoped_account_ids(ctx.session, ctx.user)
    if not text:
        notes.append("the query is empty: say what to look for, e.g. a person, a product or a topic")
        return NoteSearchResult(
            query="", account_id=target.id if target else None, account_name=target.name if target else None,
            accounts_searched=len(scope), hits=[], notes=notes,
        )
    if ctx.knowledge is None:
        raise ToolError("the notes index is not available in this process; run `kam reindex` and try again")
    hits, dropped = _search(ctx, text, scope, k, None, None)
    if degraded := search_degraded(ctx):
        notes.append(degraded)
    return NoteSearchResult(
        query=text,
        account_id=target.id if target else None,
        account_name=target.name if target else None,
        accounts_searched=len(scope),
        hits=hits,
        dropped_stale=dropped,
        notes=notes,
    )
