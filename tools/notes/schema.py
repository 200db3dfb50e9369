"""What a note extraction is: the proposed record, every item pointing at the span of the note it came from.

``span`` is always an exact, case-sensitive substring of the note (``validate.py`` drops any item whose span
is not). Dates are resolved against the day the note is about (``as_of``); the phrase they came from is kept
beside them. ``questions`` are what must be asked instead of guessing; a note with questions is never stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

KINDS = ("meeting", "call", "email", "qbr", "demo")
Side = Literal["ours", "customer"]
ChangeKind = Literal["left_company", "title_change"]


@dataclass(frozen=True)
class KnownPerson:
    """A stakeholder the extractor may match: id, name, title and the account they belong to."""

    id: str
    name: str
    account_id: str
    title: str | None = None


@dataclass(frozen=True)
class KnownAccount:
    """An account the acting user may see."""

    id: str
    name: str


class AccountMention(BaseModel):
    """The account the note is about; ``span`` is None only when it came from the ``account`` argument."""

    id: str
    name: str
    span: str | None = None


class DateMention(BaseModel):
    """The day of the interaction, from a phrase of the note ("yesterday", "on Tuesday")."""

    value: dt.date
    span: str = Field(min_length=1)


class KindMention(BaseModel):
    value: str = "meeting"
    span: str = Field(min_length=1)


class ParticipantItem(BaseModel):
    """Someone at the meeting: a known stakeholder (``stakeholder_id``) or a new one (``is_new``)."""

    name: str
    stakeholder_id: str | None = None
    is_new: bool = False
    title: str | None = None
    sentiment: int = Field(default=0, ge=-2, le=2)
    sentiment_span: str | None = None
    span: str = Field(min_length=1)


class CommitmentItem(BaseModel):
    """A promise: ours (owned by the acting user) or the customer's (owned by one of their people, if named)."""

    side: Side
    owner: str | None = Field(default=None, description="user id (ours) or stakeholder id (customer)")
    owner_name: str | None = None
    description: str
    due: dt.date | None = None
    due_span: str | None = None
    span: str = Field(min_length=1)


class ChangeItem(BaseModel):
    """A change to a known stakeholder: they left the company, or their title changed."""

    stakeholder_id: str
    name: str
    kind: ChangeKind
    new_title: str | None = None
    span: str = Field(min_length=1)


class NoteExtraction(BaseModel):
    """The proposed record for one note."""

    account: AccountMention | None = None
    date: DateMention | None = None  # None: the interaction happened on ``as_of``
    kind: KindMention | None = None  # None: a meeting
    participants: list[ParticipantItem] = Field(default_factory=list)
    commitments: list[CommitmentItem] = Field(default_factory=list)
    changes: list[ChangeItem] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    # a change told as still to come ("Hannah is leaving in January"): the person still works there, so nothing is
    # recorded; the proposal says so, in the note's words
    later: list[str] = Field(default_factory=list)
    source: str = "offline"  # which extractor read it: offline, model, or offline after a model failure

    def interaction_date(self, as_of: dt.date) -> dt.date:
        return self.date.value if self.date else as_of

    def interaction_kind(self) -> str:
        return self.kind.value if self.kind else "meeting"


class Dropped(BaseModel):
    """An item validation removed, and why."""

    item: str
    reason: str
    span: str | None = None
