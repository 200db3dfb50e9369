"""What note logging returns: the proposal (or its questions), and the outcome of confirm, undo and cancel.

Each result renders itself; every date and number in the text comes from its fields, and every proposed
item is shown with the words of the note it came from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from tools.blockkit import body_blocks, header, note_buttons
from tools.notes.schema import ChangeItem, Dropped, ParticipantItem
from tools.results import ToolResult
from tools.wording import plural


def day(value: dt.date) -> str:
    """A date as the proposal shows it: ``Fri 2026-11-27``."""
    return f"{value.strftime('%a')} {value.isoformat()}"


class ProposedCommitment(BaseModel):
    """A commitment as it would be stored: ours owned by the acting user, the customer's by one of their people."""

    side: Literal["ours", "customer"]
    owner_id: str | None = None  # a user id (ours)
    owner_stakeholder_id: str | None = None  # a stakeholder id (customer), if known
    owner_name: str | None = None
    description: str
    due: dt.date | None = None
    due_span: str | None = None
    span: str


_TITLES = {"pending": "Proposed note: confirm to store it", "stored": "Note stored", "confirmed": "Note stored",
           "question": "Before I log this note", "undone": "Note undone", "cancelled": "Note discarded"}


class _NoteResult(ToolResult):
    """What the note results share in Slack: a title by status, the markdown, and the buttons that apply."""

    status: str
    pending_id: str | None = None

    def as_slack_blocks(self) -> list[dict[str, Any]]:
        return [header(_TITLES.get(self.status, "Note")), *body_blocks(self), *self.slack_actions()]

    def slack_actions(self) -> list[dict[str, Any]]:
        buttons = note_buttons(self.pending_id, self.status) if self.pending_id else None
        return [buttons] if buttons else []


class NoteProposal(_NoteResult):
    """``log_note``: the record proposed from a note, the questions to answer first, or what was stored."""

    status: Literal["question", "pending", "stored"]
    pending_id: str | None = None
    account_id: str | None = None
    account_name: str | None = None
    account_span: str | None = None
    interaction_date: dt.date | None = None
    date_span: str | None = None
    kind: str = "meeting"
    participants: list[ParticipantItem] = Field(default_factory=list)
    commitments: list[ProposedCommitment] = Field(default_factory=list)
    changes: list[ChangeItem] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    dropped: list[Dropped] = Field(default_factory=list)
    later: list[str] = Field(default_factory=list)  # changes told as still to come: not recorded (NoteExtraction)
    extractor: str = "offline"
    stored: dict[str, Any] | None = None
    revisions: list[str] = Field(default_factory=list)  # what the thread's last reply changed (tools.notes.draft)

    def awaits_confirmation(self) -> bool:
        return self.status == "pending"

    def lead(self) -> str:
        if self.status == "stored":
            return "Logged."
        if self.status == "question":
            return "Before I log this, I need to check something with you; nothing is stored yet."
        return "Here is what I understood from your note. Reply `confirm` to store it, or correct me."

    def as_markdown(self) -> str:
        lines: list[str] = []
        if self.revisions:
            lines += ["Revised: " + "; ".join(self.revisions) + ".", ""]
        if self.status == "question":
            lines.append("Before I can log this note I need to know:")
            lines.extend(f"- {q}" for q in self.questions)
            lines += ["", "Nothing was stored. Reply with the answer."]
            if self.participants or self.commitments or self.account_id:
                lines += ["", "What I understood so far:"]
        elif self.status == "stored":
            lines.append(f"Logged note {self.stored.get('interaction_id') if self.stored else ''} (auto-confirmed):")
        else:
            lines.append("Revised proposal:" if self.revisions else "Proposed record from your note:")
        lines.extend(self._body())
        for said in self.later:
            lines.append(f'- _Not recorded as a change: "{said}" is still to come; I will record it when you tell '
                         "me it has happened._")
        if self.dropped:
            lines.append(f"- _Left out {plural(len(self.dropped), 'item')} the note does not support: "
                         + "; ".join(f"{d.item} ({d.reason})" for d in self.dropped) + "_")
        if self.status == "pending":
            lines += ["", "Reply `confirm` to store it, `cancel` to discard it, or correct it in your own words."]
        elif self.status == "stored":
            lines += ["", "Reply `undo` to reverse it."]
        return "\n".join(lines)

    def _body(self) -> list[str]:
        lines: list[str] = []
        if self.account_id:
            quoted = f' ("{self.account_span}")' if self.account_span else ""
            when = day(self.interaction_date) if self.interaction_date else "today"
            said = f' ("{self.date_span}")' if self.date_span else ""
            lines.append(f"- **Account:** {self.account_name} ({self.account_id}){quoted}")
            lines.append(f"- **Interaction:** {self.kind} on {when}{said}")
        if self.participants:
            lines.append("- **People:**")
            for p in self.participants:
                who = f"{p.name} ({p.stakeholder_id})" if p.stakeholder_id else f"{p.name} (new stakeholder)"
                title = f", {p.title}" if p.title else ""
                mood = f"sentiment {p.sentiment:+d}" + (f' ("{p.sentiment_span}")' if p.sentiment_span else "")
                lines.append(f'  - {who}{title}: {mood}; named as "{p.span}"')
        if self.commitments:
            lines.append("- **Commitments:**")
            for c in self.commitments:
                owner = c.owner_name or c.owner_id or ("them" if c.side == "customer" else "you")
                due = f"due {day(c.due)}" + (f' ("{c.due_span}")' if c.due_span else "") if c.due else "no due date"
                lines.append(f'  - {c.side}, owner {owner}: {c.description}; {due}; from "{c.span}"')
        if self.changes:
            lines.append("- **Stakeholder changes:**")
            for ch in self.changes:
                what = "left the company" if ch.kind == "left_company" else f"new title: {ch.new_title}"
                lines.append(f'  - {ch.name} ({ch.stakeholder_id}): {what}; from "{ch.span}"')
        return lines


class NoteStored(_NoteResult):
    """``confirm_note``: what confirming a proposed note wrote (or had already written)."""

    status: Literal["stored"] = "stored"
    pending_id: str
    changed: bool
    account_id: str
    interaction_id: str
    interaction_date: dt.date
    participant_ids: list[str] = Field(default_factory=list)
    new_stakeholder_ids: list[str] = Field(default_factory=list)
    commitment_ids: list[str] = Field(default_factory=list)
    changes: list[dict[str, Any]] = Field(default_factory=list)
    message: str

    def as_markdown(self) -> str:
        return self.message


class NoteUndone(_NoteResult):
    """``undo_note``: what undoing a stored note removed and restored, and what it had to keep."""

    status: Literal["undone"] = "undone"
    pending_id: str
    changed: bool
    interaction_id: str | None = None
    removed: dict[str, list[str]] = Field(default_factory=dict)
    restored: list[dict[str, Any]] = Field(default_factory=list)
    kept: list[str] = Field(default_factory=list)
    message: str

    def as_markdown(self) -> str:
        return self.message


class NoteCancelled(_NoteResult):
    """``cancel_note``: a proposal discarded before anything was stored."""

    status: Literal["cancelled"] = "cancelled"
    pending_id: str
    changed: bool
    message: str

    def as_markdown(self) -> str:
        return self.message
