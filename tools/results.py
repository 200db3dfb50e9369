"""The base of every tool result: JSON by its fields, and able to render itself."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from tools.escape import escaped, md_unescape, slack_text


class ToolResult(BaseModel):
    """A tool's answer. Subclasses carry their evidence and override ``as_markdown``.

    A subclass's ``as_markdown`` and ``lead`` render from a copy of the result whose strings are escaped for markdown
    (``tools.escape.escaped``): a name, note or description is text inside its line and cell, never a link,
    a cell border, raw HTML or a heading of its own. ``markdown_fields`` names fields that already hold
    markdown we rendered (escaped when it was rendered); they are left as they are.
    """

    model_config = ConfigDict(extra="forbid")
    markdown_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for method in ("as_markdown", "lead"):  # markdown both: the lead opens the reply
            render = cls.__dict__.get(method)
            if render is not None and not getattr(render, "_renders_escaped", False):
                setattr(cls, method, _from_escaped(render))

    def lead(self) -> str:
        """One sentence saying what the tool found, from its own fields ("" when the rendering says it all).

        A lead states no figure of its own: counts and scores are in the rendering that follows, so every number
        in a reply is one the tool printed.
        """
        return ""

    def as_markdown(self) -> str:
        return "```json\n" + self.model_dump_json(indent=2) + "\n```"

    def as_slack_blocks(self) -> list[dict[str, Any]]:
        """Block Kit blocks; by default a header from the markdown's heading, then the markdown as sections."""
        from tools.blockkit import plain_blocks

        return plain_blocks(self)

    def slack_actions(self) -> list[dict[str, Any]]:
        """The interactive rows (buttons) this result offers, also when it is shown as plain text."""
        return []

    def awaits_confirmation(self) -> bool:
        """Whether the result is a proposal the user still has to confirm (nothing was stored yet)."""
        return False

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _from_escaped(render: Callable[[Any], str]) -> Callable[[Any], str]:
    @functools.wraps(render)
    def rendered(self: ToolResult) -> str:
        return render(escaped(self, keep=type(self).markdown_fields))

    rendered._renders_escaped = True  # type: ignore[attr-defined]
    return rendered


def markdown_to_mrkdwn(markdown: str) -> str:
    """Markdown headings and bold as Slack mrkdwn (``*bold*``); the rest passes through."""
    out = []
    for line in markdown.splitlines():
        stripped = line.lstrip("#").strip()
        if line.startswith("#") and stripped:
            out.append(f"*{slack_text(md_unescape(stripped))}*")
        else:
            out.append(slack_text(md_unescape(line)).replace("**", "*"))
    return "\n".join(out)
