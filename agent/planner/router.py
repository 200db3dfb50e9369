"""From one request (and the thread so far) to one tool call, or to one short question back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from agent.planner.entities import (
    Catalog,
    find_accounts,
    find_scope,
    find_status,
    find_window_days,
    refers_back,
)
from agent.planner.intents import ExemplarIndex, classify

ACCOUNT_TOOLS = ("score_account", "assign_quadrant", "draft_plan", "prep_qbr")
_MIN_SCORE = 1.75  # below this nothing matched well enough: say what we can do
_FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|same for|also|now|ok and|and for)\b", re.IGNORECASE)

CAPABILITIES = (
    "I can score an account or show your KAM matrix, say which quadrant an account is in, draft an account plan, "
    "prep a QBR brief, flag stakeholders who have gone dark, find drifting accounts, list overdue or upcoming "
    "commitments, search call notes, answer questions on running key accounts, and log a meeting note "
    "(just tell me what happened)."
)


@dataclass(frozen=True)
class ToolDecision:
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Ask:
    """A reply without a tool: one short question, or what the agent can do."""

    text: str


@dataclass
class ThreadMemory:
    """What earlier turns of the thread settled: the last account talked about and the last tool used."""

    last_account: str | None = None
    last_tool: str | None = None
    last_args: dict[str, Any] = field(default_factory=dict)


def _default_scope(catalog: Catalog) -> str:
    return "team" if catalog.user.role in ("manager", "admin") else "mine"


def _scope(text: str, catalog: Catalog) -> str:
    scope = find_scope(text, _default_scope(catalog))
    if scope == "mine" and catalog.user.role in ("manager", "admin") and not re.search(r"\bmy own\b", text.lower()):
        return "team"  # a manager's "my accounts" means the team's, unless they say "my own"
    return scope


def _names(catalog: Catalog, ids: tuple[str, ...]) -> str:
    names = [a.name for a in catalog.accounts if a.id in ids]
    return " or ".join(sorted(names)[:4])


def decide(
    text: str,
    catalog: Catalog,
    memory: ThreadMemory,
    exemplars: ExemplarIndex | None = None,
) -> ToolDecision | Ask:
    """The one tool call that answers ``text``, or a question when something needed is missing."""
    text = text.strip()
    if not text:
        return Ask("What would you like to know? " + CAPABILITIES)
    match = find_accounts(text, catalog)
    intents = classify(text, exemplars)
    tool, score, _runner_up = intents.best()

    if _FOLLOW_UP.search(text) and memory.last_tool and score < 3.0:
        tool = memory.last_tool  # "and for Halcyon?" repeats the last request for a new subject
        score = max(score, _MIN_SCORE)
    if tool is None or score < _MIN_SCORE:
        return Ask("I'm not sure what you need. " + CAPABILITIES)

    account: str | None = None
    if len(match.ids) > 1:
        return Ask(f"Which account do you mean: {_names(catalog, match.ids)}?")
    if match.unique:
        account = match.unique
    elif refers_back(text) or (_FOLLOW_UP.search(text) and tool in ACCOUNT_TOOLS):
        account = memory.last_account

    if tool == "log_note":
        return ToolDecision("log_note", {"text": text, "account": account})
    if tool in ACCOUNT_TOOLS:
        if account is None:
            if memory.last_account and tool != memory.last_tool and len(text.split()) <= 5:
                account = memory.last_account  # "now draft the plan" right after a QBR on an account
            else:
                return Ask(f"Which account should I {_VERB[tool]}?")
        return ToolDecision(tool, {"account": account})
    if tool == "flag_dark_stakeholders":
        return ToolDecision(tool, {"account": account})
    if tool == "show_matrix":
        return ToolDecision(tool, {"scope": _scope(text, catalog)})
    if tool == "find_drifting_accounts":
        args: dict[str, Any] = {"scope": _scope(text, catalog)}
        window = find_window_days(text)
        if window is not None:
            args["window_days"] = window
        return ToolDecision(tool, args)
    if tool == "list_commitments":
        return ToolDecision(tool, {"scope": _scope(text, catalog), "status": find_status(text)})
    if tool == "search_notes":
        return ToolDecision(tool, {"query": _note_query(text), "account": account})
    if tool == "ask_guidance":
        return ToolDecision(tool, {"question": text})
    return Ask(CAPABILITIES)


_VERB = {
    "score_account": "score",
    "assign_quadrant": "place in the matrix",
    "draft_plan": "draft a plan for",
    "prep_qbr": "prep the QBR for",
}

_QUERY_FILLER = re.compile(
    r"\b(what|did|does|do|has|have|say|said|says|mention|mentioned|tell|told|us|me|about|the|any|notes?|on|in|"
    r"find|search|for|please|can|you|show|call|calls|was|were|when|who|anything|regarding|re|at|a|an|of|"
    r"brought|bring|up|raise|raised|talk|talked|think)\b",
    re.IGNORECASE,
)


def _note_query(text: str) -> str:
    """The content words of a notes question ("what did Dana say about pricing?" -> "Dana pricing")."""
    cleaned = _QUERY_FILLER.sub(" ", re.sub(r"[?!.,]", " ", text))
    words = cleaned.split()
    return " ".join(words) if words else text
