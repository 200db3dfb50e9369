"""Resources a client can attach: each guidance section (``kam://guidance/{section}``) and a brief of each account
the user may see (``kam://accounts/{id}``). Another user's account reads exactly like a missing one."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import mcp_types as types
from sqlmodel import select

from integrations.runtime import Runtime
from knowledge.corpus import GuidanceSection, load_guidance
from store.models import Account, User
from store.scopes import get_visible_account, scoped_accounts_stmt
from tools.compute.economics import money
from tools.compute.scoring import compute_scores
from tools.scoring import score_markdown

GUIDANCE = "kam://guidance/"
ACCOUNTS = "kam://accounts/"
MARKDOWN = "text/markdown"

TEMPLATES = (
    types.ResourceTemplate(name="guidance", title="KAM guidance section", uri_template=GUIDANCE + "{section}",
                           description="One section of the key account management guidance, by its id.",
                           mime_type=MARKDOWN),
    types.ResourceTemplate(name="account", title="Account brief", uri_template=ACCOUNTS + "{id}",
                           description="One of your accounts: owner, size and its KAM scorecard with evidence.",
                           mime_type=MARKDOWN),
)


class NotFoundResource(LookupError):
    """A URI that names nothing the user may read."""


@lru_cache(maxsize=1)
def _sections() -> dict[str, GuidanceSection]:
    return {s.id: s for s in load_guidance()}


def list_resources(runtime: Runtime, user_id: str) -> list[types.Resource]:
    """The guidance sections and the accounts ``user_id`` may see."""
    out = [types.Resource(uri=GUIDANCE + s.id, name=s.id, title=s.title, mime_type=MARKDOWN,
                          description=" / ".join(s.heading_path)) for s in _sections().values()]
    with runtime.db.session() as session:
        user = session.get(User, user_id)
        accounts = session.exec(scoped_accounts_stmt(session, user, "all")).all() if user else []
    out += [types.Resource(uri=ACCOUNTS + a.id, name=a.id, title=a.name, mime_type=MARKDOWN,
                           description=f"Account brief: {a.name}") for a in sorted(accounts, key=lambda a: a.id)]
    return out


def read_resource(runtime: Runtime, user_id: str, uri: str, as_of: dt.date) -> str:
    """The markdown behind ``uri``; ``NotFoundResource`` when it names nothing the user may read."""
    if uri.startswith(GUIDANCE) and (section := _sections().get(uri[len(GUIDANCE):])):
        return f"# {section.title}\n\n{section.text}\n\nSource: {' / '.join(section.heading_path)} [{section.id}]"
    if uri.startswith(ACCOUNTS):
        brief = _account_brief(runtime, user_id, uri[len(ACCOUNTS):], as_of)
        if brief is not None:
            return brief
    raise NotFoundResource(f"no resource {uri!r}")


def _account_brief(runtime: Runtime, user_id: str, account_id: str, as_of: dt.date) -> str | None:
    with runtime.db.session() as session:
        user = session.get(User, user_id)
        account = get_visible_account(session, user, account_id) if user and account_id else None
        if user is None or account is None:
            return None
        owner = session.exec(select(User.name).where(User.id == account.owner_id)).first()
        ctx = runtime.context(session, user, as_of, with_knowledge=False)
        score = compute_scores(ctx, [account.id])[account.id]
        return "\n".join(_facts(account, owner) + ["", score_markdown(score)])


def _facts(account: Account, owner: str | None) -> list[str]:
    return [f"# {account.name} ({account.id})", "",
            f"- Owner: {owner or account.owner_id}",
            f"- Industry: {account.industry or 'unknown'}",
            f"- Annual revenue: {money(account.annual_revenue)}"]
