"""How the terminal shows an answer: markdown rendered by rich (headings, bold, tables drawn as tables) when the
output is a terminal, the markdown text unchanged when it is piped or redirected (what scripts expect)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich loads when a reply is printed, not with the CLI
    from rich.console import Console


def print_reply(out: Console, reply: str) -> None:
    """Print ``reply`` on ``out``: rendered on a terminal, as text otherwise; a blank line after it."""
    if out.is_terminal:
        from rich.markdown import Markdown  # markdown-it and pygments: only when a terminal shows the reply

        out.print(Markdown(reply, hyperlinks=False))
    else:
        out.print(reply, markup=False, highlight=False, soft_wrap=True)
    out.print()
