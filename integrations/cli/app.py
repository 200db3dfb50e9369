"""The ``kam`` Typer application; command modules register themselves on ``app``."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="kam",
    help="kam-agent: a conversational agent for key account management.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
