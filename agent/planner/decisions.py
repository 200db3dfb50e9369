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
    """A reply without a tool: one short question, or what the agent can do. ``tool``: the tool the question is
    about (its account was missing or unknown), so that the thread's next message can complete that request."""

    text: str
    tool: str | None = None


@dataclass
class ThreadMemory:
    """What earlier turns of the thread settled: the last account talked about and the last tool used."""

    last_account: str | None = None
    last_tool: str | None = None  # the last request that was answered (its tool call succeeded)
    last_args: dict[str, Any] = field(default_factory=dict)
    unanswered: bool = False  # the thread's last turn ended in a question or a refusal
    asked_tool: str | None = None  # the request that last turn asked about, when it was one
