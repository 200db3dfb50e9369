"""``kam serve`` (HTTP + Slack + scheduler in one process) and ``kam users`` (API tokens)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from integrations.cli.app import app
from integrations.cli.common import build_runtime, fail, resolve_user

users_app = typer.Typer(help="Users and their API tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("token")
def users_token(
    user: Annotated[str, typer.Argument(help="User id, name or Slack id")],
    revoke: Annotated[bool, typer.Option("--revoke", help="Revoke the user's tokens instead")] = False,
) -> None:
    """Issue a bearer token for the HTTP API (shown once), or revoke a user's tokens."""
    from integrations.http.tokens import issue_token, revoke_tokens

    runtime = build_runtime()
    try:
        with runtime.db.session() as session:
            found = resolve_user(session, user)
        if revoke:
            typer.echo(f"revoked {revoke_tokens(runtime.db, found.id)} token(s) of {found.id}")
        else:
            typer.echo(issue_token(runtime.db, found.id))
    finally:
        runtime.close()


@users_app.command("list")
def users_list() -> None:
    """The users in the store with their roles and managers."""
    from sqlmodel import select

    from store.models import User

    runtime = build_runtime()
    try:
        with runtime.db.session() as session:
            for u in session.exec(select(User).order_by(User.id)).all():
                typer.echo(f"{u.id}\t{u.name}\t{u.role}\tmanager={u.manager_id or '-'}\tslack={u.slack_user_id or '-'}")
    finally:
        runtime.close()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default KAM_HTTP_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default KAM_HTTP_PORT)")] = None,
    workers: Annotated[int, typer.Option(help="HTTP worker processes (share the database and index)")] = 1,
    scheduler: Annotated[bool, typer.Option("--scheduler/--no-scheduler", help="Run the nudge scheduler")] = True,
) -> None:
    """Serve the HTTP API, Slack (when tokens are set) and the scheduler in one process."""
    import uvicorn

    from integrations.cli.logs import configure
    from integrations.http.app import app_factory, create_app

    configure(logging.INFO)
    runtime = build_runtime()
    settings = runtime.settings
    bind_host, bind_port = host or settings.http_host, port or settings.http_port
    background: list[object] = []
    if scheduler:
        from integrations.scheduler import start_scheduler

        background.append(start_scheduler(runtime))
    if settings.slack_app_token and settings.slack_bot_token:
        from integrations.slack.socket_mode import start_socket_mode

        background.append(start_socket_mode(runtime))
    slack = "socket mode" if settings.slack_app_token else "http" if settings.slack_signing_secret else "off"
    sched = "on" if scheduler else "off"
    typer.echo(f"kam serve on http://{bind_host}:{bind_port}, MCP at /mcp "
               f"(workers={workers}, scheduler={sched}, slack={slack})")
    typer.echo(f"web page: http://{bind_host}:{bind_port}/ui/ (sign in with a token from `kam users token USER`); "
               f"API docs: /docs and /redoc")
    if workers > 1 and not settings.chroma_host:
        typer.secho("note: the embedded index is owned by one process at a time; the other workers answer note "
                    "searches from SQL. For several workers, run a Chroma server (docs/operations.md).",
                    fg=typer.colors.YELLOW, err=True)
    try:
        if workers > 1:
            uvicorn.run("integrations.http.app:app_factory", factory=True, host=bind_host, port=bind_port,
                        workers=workers, log_level="info", server_header=False)
            _ = app_factory
        else:
            uvicorn.run(create_app(runtime), host=bind_host, port=bind_port, log_level="info", server_header=False)
    finally:
        for item in background:
            stop = getattr(item, "shutdown", None) or getattr(item, "close", None)
            if stop:
                try:
                    stop()
                except Exception as exc:  # stopping is best effort at exit
                    fail(f"stopping {type(item).__name__}: {exc}", 0)
