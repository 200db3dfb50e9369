"""The four user stories of SPEC 1, run in-process on the demo portfolio by ``kam demo``.

Each story goes through the same use-case functions as Slack and HTTP: ``Agent.turn`` for the
conversations and ``plan_nudges`` for the scheduled nudges. Every request and answer is printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.rule import Rule

from integrations.cli.render import print_reply
from integrations.runtime import Runtime
from store.models import User

KAM, REP, MANAGER = "U02", "U03", "U01"
QBR_REQUEST = "Prep my QBR for Acme Corp"
NOTE = "Met Martin (CFO) at Keystone today, he's worried about budget; I'll send the ROI deck by Friday"
DRIFT_REQUEST = "Which of my team's accounts are drifting?"


@dataclass
class StoryResult:
    title: str
    turns: list[dict[str, Any]] = field(default_factory=list)


def _user(runtime: Runtime, user_id: str) -> User:
    with runtime.db.session() as session:
        user = session.get(User, user_id)
    if user is None:
        raise RuntimeError(f"the demo portfolio has no user {user_id}")
    return user


def _ask(runtime: Runtime, out: Console, user: User, message: str, as_of: dt.date, thread: str | None,
         story: StoryResult) -> Any:
    out.print(f"\n[bold cyan]{user.name} ({user.role})[/bold cyan] > {message}")
    response = runtime.agent().turn(user, message, thread_id=thread, as_of=as_of)
    calls = ", ".join(f"{c.name}({', '.join(f'{k}={v}' for k, v in c.args.items() if k != 'text')})"
                      for c in response.tool_calls)
    if calls:
        out.print(f"[dim]tools: {calls}[/dim]")
    if out.is_terminal:
        print_reply(out, response.reply)  # rendered, as `kam chat` shows it on a terminal
    else:
        out.print(response.reply, markup=False, highlight=False)
    story.turns.append({"user": user.id, "message": message, "reply": response.reply,
                        "tool_calls": [c.model_dump(mode="json") for c in response.tool_calls]})
    return response


def run_stories(runtime: Runtime, as_of: dt.date, out: Console) -> list[StoryResult]:
    """Index the demo's notes, then run the KAM, rep, manager and nudge stories, printing each."""
    from integrations.nudges import plan_nudges
    from knowledge.outbox import index_all_interactions

    indexed = index_all_interactions(runtime.db, runtime.knowledge)
    out.print(f"Indexed {indexed} call notes for retrieval (embedded Chroma, offline embedder).")
    stories: list[StoryResult] = []

    out.print(Rule("1. A KAM preps a QBR"))
    qbr = StoryResult("KAM: QBR brief")
    _ask(runtime, out, _user(runtime, KAM), QBR_REQUEST, as_of, None, qbr)
    stories.append(qbr)

    out.print(Rule("2. A rep logs a meeting note"))
    note = StoryResult("Rep: note -> proposal -> confirm")
    rep = _user(runtime, REP)
    proposal = _ask(runtime, out, rep, NOTE, as_of, None, note)
    if proposal.pending_confirmation:
        _ask(runtime, out, rep, "confirm", as_of, proposal.thread_id, note)
        _ask(runtime, out, rep, "show my open commitments", as_of, proposal.thread_id, note)
    stories.append(note)

    out.print(Rule("3. A manager asks what is drifting"))
    drift = StoryResult("Manager: drift alert")
    _ask(runtime, out, _user(runtime, MANAGER), DRIFT_REQUEST, as_of, None, drift)
    stories.append(drift)

    out.print(Rule("4. The nudges that would be sent today"))
    nudges = StoryResult("Scheduled: commitment nudges")
    planned = plan_nudges(runtime, as_of)
    for nudge in planned:
        out.print(nudge.as_text(), markup=False, highlight=False)
        nudges.turns.append({"recipient": nudge.recipient_id, "text": nudge.as_text()})
    out.print(f"\n{len(planned)} direct messages would go out (run `kam nudges run` with Slack configured to send).")
    stories.append(nudges)
    return stories
