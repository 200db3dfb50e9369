"""``kam chat``: talk to the agent from the terminal, one shot or as a REPL."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from integrations.cli.app import app
from integrations.cli.common import AsOfOption, build_runtime, parse_as_of, resolve_user
from integrations.cli.render import print_reply

if TYPE_CHECKING:
    from rich.console import Console


@app.command()
def chat(
    message: Annotated[str | None, typer.Argument(help="The message; without one, a REPL starts.")] = None,
    as_user: Annotated[str, typer.Option("--as", help="Who is talking: a user id, a name ('Sam Patel', or 'sam' "
                                                      "when only one user has it) or a Slack id.")] = ...,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON object of POST /v1/chat.")] = False,
    thread: Annotated[str | None, typer.Option("--thread", help="Continue this conversation thread.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Store a logged note without asking to confirm.")] = False,
    as_of: AsOfOption = None,
) -> None:
    """Ask the agent anything, or tell it about a meeting to log it."""
    day = parse_as_of(as_of)
    runtime = build_runtime()
    try:
        with runtime.db.session() as session:
            user = resolve_user(session, as_user)
        agent = runtime.agent()
        if message is not None:
            response = agent.turn(user, message, thread_id=thread, as_of=day)
            if yes and response.pending_confirmation:
                stored = agent.turn(user, "confirm", thread_id=response.thread_id, as_of=day)
                response = response.model_copy(update={
                    "reply": f"{response.reply}\n\n{stored.reply}",
                    "tool_calls": response.tool_calls + stored.tool_calls,
                    "pending_confirmation": None,
                })
            _print(response, as_json)
            return
        thread_id = thread
        typer.echo(f"kam chat as {user.name} ({user.role}), as of {day}. Empty line or Ctrl-D to quit.")
        while True:
            try:
                line = input("> ")
            except EOFError:
                break
            if not line.strip():
                break
            response = agent.turn(user, line, thread_id=thread_id, as_of=day)
            thread_id = response.thread_id
            _print(response, as_json)
    finally:
        runtime.close()


def _print(response: object, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(response.public(), indent=2, default=str))  # type: ignore[attr-defined]
    else:
        show_reply(response.reply)  # type: ignore[attr-defined]


def show_reply(reply: str, console: Console | None = None) -> None:
    """The reply as a person reads it (``integrations.cli.render``); piped, the markdown text as it is."""
    from rich.console import Console

    if console is None and not Console().is_terminal:
        typer.echo(reply)  # exactly the text, no wrapping: what scripts and ``grep`` expect
        typer.echo("")
        return
    print_reply(console or Console(highlight=False), reply)
