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
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from store.models import Interaction, Participant, Stakeholder
from tools.compute.engagement import AccountEngagement, StakeholderActivity, window_start
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

    def __init__(self, account_id: str, stakeholders: list[Stakeholder], touches: list[Touch]) -> None:
        self.account_id = account_id
        self.stakeholders = stakeholders
        self.touches = touches  # newest first, as load_engagement ranks sentiments: date, then interaction id

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

    The stakeholders are read once; one grouped query gives every day's last touch and window counts, and
    one ranked query every day's two latest sentiments. ``account_ids`` ``None`` means every account.
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
    stmt = select(Stakeholder).where(col(Stakeholder.left_company).is_(False))
    if ids is not None:
        stmt = stmt.where(col(Stakeholder.account_id).in_(ids))
    acts: dict[dt.date, dict[str, StakeholderActivity]] = {d: {} for d in days}
    for sh in session.exec(stmt.order_by(col(Stakeholder.account_id), col(Stakeholder.id))).all():
        for d in days:
            act = StakeholderActivity(sh)
            acts[d][sh.id] = act
            out[d].setdefault(sh.account_id, AccountEngagement(sh.account_id)).stakeholders.append(act)
    if ids is not None:
        for d in days:
            for aid in ids:
                out[d].setdefault(aid, AccountEngagement(aid))

    last = days[-1]
    joined = and_(Participant.interaction_id == Interaction.id, Interaction.date <= last)
    account_filter = [] if ids is None else [col(Interaction.account_id).in_(ids)]
    columns: list[Any] = [Participant.stakeholder_id]
    for d in days:
        recent_from, previous_from = window_start(d, span), window_start(d, 2 * span)
        columns += [
            func.max(case((Interaction.date <= d, Interaction.date), else_=None)),
            func.sum(case((and_(Interaction.date >= recent_from, Interaction.date <= d), 1), else_=0)),
            func.sum(case((and_(Interaction.date >= previous_from, Interaction.date < recent_from), 1), else_=0)),
        ]
    agg = select(*columns).join(Interaction, joined).where(*account_filter).group_by(Participant.stakeholder_id)
    for row in session.exec(agg).all():
        sid = row[0]
        for n, d in enumerate(days):
            act = acts[d].get(sid)
            if act is None:
                continue
            touched, recent, previous = row[1 + 3 * n : 4 + 3 * n]
            act.last_touch = _as_date(touched) if touched is not None else None
            act.recent_count, act.previous_count = int(recent or 0), int(previous or 0)

    # One ranking, newest first, over every sentiment up to the last day. For an earlier day d, the rows
    # after d come first (``later_d`` of them), so d's latest two sit at ranks later_d + 1 and + 2.
    order = (col(Interaction.date).desc(), col(Interaction.id).desc())
    rank = func.row_number().over(partition_by=Participant.stakeholder_id, order_by=order).label("rn")
    laters = [
        func.sum(case((Interaction.date > d, 1), else_=0)).over(partition_by=Participant.stakeholder_id)
        .label(f"later{n}")
        for n, d in enumerate(days)
    ]
    ranked = (
        select(Participant.stakeholder_id.label("sid"), Participant.sentiment.label("sentiment"),
               Interaction.date.label("day"), rank, *laters)
        .join(Interaction, joined)
        .where(col(Participant.sentiment).is_not(None), *account_filter)
        .subquery()
    )
    keep = [and_(ranked.c.rn > ranked.c[f"later{n}"], ranked.c.rn <= ranked.c[f"later{n}"] + 2)
            for n in range(len(days))]
    rows = session.exec(select(*ranked.c).where(or_(*keep))).all()
    for sid, sentiment, day, rn, *laters in rows:
        when = _as_date(day)
        for n, d in enumerate(days):
            act = acts[d].get(sid)
            place = rn - int(laters[n] or 0)
            if act is None or when > d or not 1 <= place <= 2:
                continue
            if place == 1:
                act.latest_sentiment, act.latest_sentiment_date = int(sentiment), when
            else:
                act.previous_sentiment, act.previous_sentiment_date = int(sentiment), when
