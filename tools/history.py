"""One account's engagement on several days from a single read of its touches (for QBR trends).

``load_engagement`` answers one day for many accounts with grouped queries. A QBR brief needs one
account on three days (the last QBR, 90 days ago, now): ``AccountHistory`` reads that account's
stakeholders and every (stakeholder, interaction, date, sentiment) row up to the latest day once, and
``engagement_on(day)`` gives exactly what ``load_engagement`` would for that day (same windows, same
order for "latest" and "previous" sentiment: by date, then interaction id, newest first).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from store.models import Interaction, Participant, Stakeholder
from tools.engagement import AccountEngagement, StakeholderActivity, window_start
from tools.rules import Rules


@dataclass(frozen=True)
class Touch:
    stakeholder_id: str
    interaction_id: str
    day: dt.date
    sentiment: int | None


class AccountHistory:
    """The stakeholders of one account and all their touches up to ``until``."""

    def __init__(self, account_id: str, stakeholders: list[Stakeholder], touches: list[Touch]) -> None:
        self.account_id = account_id
        self.stakeholders = stakeholders
        # newest first, as load_engagement ranks sentiments: date desc, then interaction id desc
        self.touches = sorted(touches, key=lambda t: (t.day, t.interaction_id), reverse=True)

    @classmethod
    def load(cls, session: Session, account_id: str, until: dt.date) -> AccountHistory:
        people = session.exec(
            select(Stakeholder)
            .where(Stakeholder.account_id == account_id, col(Stakeholder.left_company).is_(False))
            .order_by(col(Stakeholder.id))
        ).all()
        rows = session.exec(
            select(Participant.stakeholder_id, Participant.interaction_id, Interaction.date, Participant.sentiment)
            .join(Interaction, col(Interaction.id) == Participant.interaction_id)
            .where(Interaction.account_id == account_id, Interaction.date <= until)
        ).all()
        return cls(account_id, list(people), [Touch(sid, iid, _as_date(day), s) for sid, iid, day, s in rows])

    def engagement_on(self, day: dt.date, rules: Rules) -> AccountEngagement:
        """What ``load_engagement(session, [account_id], day, rules)[account_id]`` returns."""
        days = rules.stakeholders.cooling_window_days
        recent_from, previous_from = window_start(day, days), window_start(day, 2 * days)
        acts = {s.id: StakeholderActivity(s) for s in self.stakeholders}
        for t in self.touches:
            act = acts.get(t.stakeholder_id)
            if act is None or t.day > day:
                continue
            if act.last_touch is None:
                act.last_touch = t.day
            if t.day >= recent_from:
                act.recent_count += 1
            elif t.day >= previous_from:
                act.previous_count += 1
            if t.sentiment is None:
                continue
            if act.latest_sentiment is None:
                act.latest_sentiment, act.latest_sentiment_date = t.sentiment, t.day
            elif act.previous_sentiment is None:
                act.previous_sentiment, act.previous_sentiment_date = t.sentiment, t.day
        return AccountEngagement(self.account_id, list(acts.values()))


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
