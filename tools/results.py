"""The base of every tool result: JSON by its fields, and able to render itself."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class ToolResult(BaseModel):
    """A tool's answer. Subclasses carry their evidence and override ``as_markdown``."""

    model_config = ConfigDict(extra="forbid")

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
