"""The base of every tool result: JSON by its fields, and able to render itself."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class ToolResult(BaseModel):
    """A tool's answer. Subclasses carry their evidence and override ``as_markdown``."""

    model_config = ConfigDict(extra="forbid")

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


def markdown_to_mrkdwn(markdown: str) -> str:
    """Markdown headings and bold as Slack mrkdwn (``*bold*``); the rest passes through."""
    out = []
    for line in markdown.splitlines():
        stripped = line.lstrip("#").strip()
        if line.startswith("#") and stripped:
            out.append(f"*{stripped}*")
        else:
            out.append(line.replace("**", "*"))
    return "\n".join(out)
