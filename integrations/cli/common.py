"""Shared pieces of the CLI: the --as-of option, runtime construction, user lookup, errors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, NoReturn

import typer
from sqlmodel import Session

from integrations.runtime import Runtime, today
from store.models import User
from store.settings import Settings
from tools.context import as_of_problem
from tools.rules import RulesError

AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="The day to reason about (YYYY-MM-DD); default today.")
]


def fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def parse_as_of(value: str | None, settings: Settings | None = None) -> dt.date:
    """``--as-of`` as a date; when absent, today in ``KAM_TIMEZONE`` (``settings``, else the environment's)."""
    if value is None:
        return today(settings or Settings())
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of: {value!r} is not a date; write it as YYYY-MM-DD (e.g. 2026-11-22)", 2)
    if problem := as_of_problem(day):
        fail(f"--as-of: {problem}", 2)
    return day


def build_runtime(settings: Settings | None = None) -> Runtime:
    try:
        return Runtime.build(settings or Settings())
    except RulesError as exc:
        fail(f"rules: {exc}", 2)


def resolve_user(session: Session, ref: str) -> User:
    """A user by id, Slack id or name (any case): the full name, or a first or last name only one user has
    ("sam", "Sam Patel", "u02"); a clear error listing the candidates or the nearest otherwise."""
    from sqlmodel import select

    user = session.get(User, ref)
    if user:
        return user
    users = session.exec(select(User)).all()
    wanted = " ".join(ref.split()).casefold()
    exact = [u for u in users if wanted in {u.id.casefold(), u.name.casefold(), (u.slack_user_id or "").casefold()}]
    if len(exact) == 1:
        return exact[0]
    parts = [u for u in users if wanted and wanted in {w.casefold() for w in u.name.split()}]
    if len(parts) == 1:
        return parts[0]
    if len(parts) > 1:
        listed = ", ".join(f"{u.id} ({u.name})" for u in parts)
        fail(f"--as: {ref!r} could be {listed}; give the id or the full name.", 2)
    from rapidfuzz import process

    near = [m[0] for m in process.extract(ref, {u.id: f"{u.id} {u.name}" for u in users}, limit=3)]
    names = ", ".join(near) if near else "none"
    fail(f"--as: no user {ref!r}; did you mean: {names}?", 2)
