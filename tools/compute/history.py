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
from dataclasses import dataclass

from sqlalchemy import and_
from sqlmodel import Session, col, select

from store.models import Interaction, Participant
from tools.compute.engagement import (
    AccountEngagement,
    StakeholderActivity,
    StakeholderRow,
    mapped_stakeholders,
    window_start,
)
from tools.rules import Rules

_CHUNK = 5000


@dataclass(frozen=True)
class Touch:
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
        rows = session.exec(
            select(Participant.stakeholder_id, Participant.interaction_id, Interaction.date, Participant.sentiment)
            .join(Interaction, col(Interaction.id) == Participant.interaction_id)
            .where(Interaction.account_id == account_id, Interaction.date <= until)
            .order_by(col(Interaction.date).desc(), col(Participant.interaction_id).desc())
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


# ------------------------------------------------------------------------- many accounts, a few days


def load_engagement_days(
    session: Session, account_ids: Sequence[str] | None, days: Sequence[dt.date], rules: Rules
) -> dict[dt.date, dict[str, AccountEngagement]]:
    """``load_engagement`` for several days in one pass: per day, what ``load_engagement`` returns.

    The stakeholders are read once, then every touch up to the last day in one plain read (no grouping, no
    window function: SQLite spent most of drift's time ranking sentiments), each touch applied to every day it
    counts for. ``account_ids`` ``None`` means every account. The tests check it against ``load_engagement``.
    """
    days = sorted(set(days))
    out: dict[dt.date, dict[str, AccountEngagement]] = {d: {} for d in days}
    groups: list[Sequence[str] | None] = [None] if account_ids is None else [
        list(account_ids)[i : i + _CHUNK] for i in range(0, len(account_ids), _CHUNK)]
    for ids in groups:
        _load_days_chunk(session, ids, days, rules, out)
    if account_ids is not None:
        for d in days:
            for aid in account_ids:
                out[d].setdefault(aid, AccountEngagement(aid))
    return out


def _load_days_chunk(
    session: Session, ids: Sequence[str] | None, days: list[dt.date], rules: Rules,
    out: dict[dt.date, dict[str, AccountEngagement]],
) -> None:
    span = rules.stakeholders.cooling_window_days
    acts: dict[dt.date, dict[str, StakeholderActivity]] = {d: {} for d in days}
    for sh in mapped_stakeholders(session, ids):
        for d in days:
            act = StakeholderActivity(sh)
            acts[d][sh.id] = act
            out[d].setdefault(sh.account_id, AccountEngagement(sh.account_id)).stakeholders.append(act)
    if ids is not None:
        for d in days:
            for aid in ids:
                out[d].setdefault(aid, AccountEngagement(aid))

    # One pass over every touch up to the last day (no ORDER BY, no window: a plain read of the rows), each
    # applied to every day it counts for. "Latest" sentiment is by date, then interaction id, as SQL ranks it.
    last = days[-1]
    stmt = select(Participant.stakeholder_id, Participant.sentiment, Interaction.date, Interaction.id).join(
        Interaction, and_(Participant.interaction_id == Interaction.id, Interaction.date <= last))
    if ids is not None:
        stmt = stmt.where(col(Interaction.account_id).in_(ids))
    bounds = [(acts[d], {}, d, window_start(d, span), window_start(d, 2 * span)) for d in days]
    for sid, sentiment, raw_day, iid in session.connection().execute(stmt):
        day = _as_date(raw_day)
        for by_id, tie_ids, d, recent_from, previous_from in bounds:
            act = by_id.get(sid)
            if act is None or day > d:
                continue
            if act.last_touch is None or day > act.last_touch:
                act.last_touch = day
            if day >= recent_from:
                act.recent_count += 1
            elif day >= previous_from:
                act.previous_count += 1
            if sentiment is not None:
                _rank_sentiment(act, tie_ids.setdefault(sid, ["", ""]), day, iid, int(sentiment))


def _rank_sentiment(act: StakeholderActivity, tie_ids: list[str], day: dt.date, iid: str, sentiment: int) -> None:
    """Keep ``act``'s two latest sentiments (by date, then interaction id: ``tie_ids`` holds theirs) as touches
    arrive in any order."""
    latest = act.latest_sentiment_date
    if latest is None or day > latest or (day == latest and iid > tie_ids[0]):
        if latest is not None:
            act.previous_sentiment, act.previous_sentiment_date = act.latest_sentiment, latest
            tie_ids[1] = tie_ids[0]
        act.latest_sentiment, act.latest_sentiment_date, tie_ids[0] = sentiment, day, iid
        return
    previous = act.previous_sentiment_date
    if previous is None or day > previous or (day == previous and iid > tie_ids[1]):
        act.previous_sentiment, act.previous_sentiment_date, tie_ids[1] = sentiment, day, iid
