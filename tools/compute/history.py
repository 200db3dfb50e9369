"""Engagement on several days at once: one account from a single read of its touches (QBR trends), and
many accounts on a few days in one pass (drift compares two days).

``load_engagement`` answers one day for many accounts with grouped queries. A QBR brief needs one
account on three days (the last QBR, 90 days ago, now): ``AccountHistory`` reads that account's
stakeholders and every (stakeholder, interaction, date, sentiment) row up to the latest day once, and
``engagement_on(day)`` gives exactly what ``load_engagement`` would for that day (same windows, same
order for "latest" and "previous" sentiment: by date, then interaction id, newest first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import text
from sqlmodel import Session

from tools.compute.engagement import (
    AccountEngagement,
    StakeholderActivity,
    StakeholderRow,
    mapped_stakeholders,
    window_start,
)
from tools.compute.touch_columns import driver_rows
from tools.rules import Rules

# The account's touches up to a day, newest first, as the driver returns them (the date as stored: SQLite's ISO
# text; each distinct day is parsed once): a fixed text, since an account with years of history has thousands.
_TOUCHES = text(
    "SELECT participant.stakeholder_id, participant.interaction_id, interaction.date, participant.sentiment "
    "FROM participant JOIN interaction ON interaction.id = participant.interaction_id "
    "WHERE interaction.account_id = :account AND interaction.date <= :until "
    "ORDER BY interaction.date DESC, participant.interaction_id DESC"
)


class Touch(NamedTuple):  # a tuple: an account's history has thousands, built on every brief
    stakeholder_id: str
    interaction_id: str
    day: dt.date
    sentiment: int | None


class AccountHistory:
    """The stakeholders of one account and all their touches up to ``until``, newest first."""

    def __init__(self, account_id: str, stakeholders: list[StakeholderRow], touches: list[Touch]) -> None:
        self.account_id = account_id
        self.stakeholders = stakeholders
        self.touches = touches  # newest first, as load_engagement ranks sentiments: date, then interaction id

    @classmethod
    def load(cls, session: Session, account_id: str, until: dt.date) -> AccountHistory:
        people = mapped_stakeholders(session, [account_id])
        rows = driver_rows(session, _TOUCHES.bindparams(account=account_id, until=until))
        days = {stored: _as_date(stored) for stored in {row[2] for row in rows}}
        new = tuple.__new__  # a Touch without its Python-level constructor: half the cost, thousands a brief
        return cls(account_id, list(people), [new(Touch, (sid, iid, days[stored], sentiment))
                                              for sid, iid, stored, sentiment in rows])

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


# ------------------------------------------------------------------------- many accounts, a few days


def load_engagement_days(
    session: Session, account_ids: Sequence[str] | None, days: Sequence[dt.date], rules: Rules
) -> dict[dt.date, dict[str, AccountEngagement]]:
    """``load_engagement`` for several days in one pass: per day, what ``load_engagement`` returns.

    The stakeholders and every touch up to the last day are read once as numpy columns
    (``tools.compute.touch_columns``: no grouping, no window function; SQLite spent most of drift's time
    ranking sentiments), and each day is computed from them vectorised. ``account_ids`` ``None`` means every
    account. The tests check it against ``load_engagement``.
    """
    from tools.compute.touch_columns import TouchColumns

    days = sorted(set(days))
    if not days:
        return {}
    columns = TouchColumns.load(session, account_ids, days[-1])
    return {d: columns.engagement_on(d, rules) for d in days}
