"""The base of every tool result: JSON by its fields, and able to render itself."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from tools.escape import escaped, md_unescape, slack_text


class ToolResult(BaseModel):
    """A tool's answer. Subclasses carry their evidence and override ``as_markdown``.

    A subclass's ``as_markdown`` renders from a copy of the result whose strings are escaped for markdown
    (``tools.escape.escaped``): a name, note or description is text inside its line and cell, never a link,
    a cell border, raw HTML or a heading of its own. ``markdown_fields`` names fields that already hold
    markdown we rendered (escaped when it was rendered); they are left as they are.
    """

    model_config = ConfigDict(extra="forbid")
    markdown_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        render = cls.__dict__.get("as_markdown")
        if render is not None and not getattr(render, "_renders_escaped", False):
            cls.as_markdown = _from_escaped(render)  # type: ignore[method-assign]

    def as_markdown(self) -> str:
        return "```json\n" + self.model_dump_json(indent=2) + "\n```"

    def as_slack_blocks(self) -> list[dict[str, Any]]:
        """Block Kit blocks; the default is the markdown split into section blocks (Slack caps one at 3000)."""
        text = markdown_to_mrkdwn(self.as_markdown())
        chunks: list[str] = []
        current = ""
        for line in text.splitlines(keepends=True):
            if len(current) + len(line) > 2900:
                chunks.append(current)
                current = ""
            current += line[:2900]
        if current.strip():
            chunks.append(current)
        return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in chunks]

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _from_escaped(render: Callable[[Any], str]) -> Callable[[Any], str]:
    @functools.wraps(render)
    def as_markdown(self: ToolResult) -> str:
        return render(escaped(self, keep=type(self).markdown_fields))

    as_markdown._renders_escaped = True  # type: ignore[attr-defined]
    return as_markdown


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
