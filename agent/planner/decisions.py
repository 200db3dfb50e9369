"""What the planner answers with: one tool call, or a reply without a tool; and what the thread remembers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
