"""Engagement for many accounts on a few days, vectorised: the touches read once as numpy columns.

Drift compares two days over every account in scope, and the dark-stakeholder flags need one: both need each
mapped stakeholder's last touch, touches in the cooling window and the window before it, and the two latest
sentiments. ``TouchColumns.load`` reads the mapped stakeholders and every (stakeholder, sentiment, date,
interaction) row up to the last day in one plain read per chunk of accounts (no grouping, no window function),
keeps them as integer columns (a stakeholder's position, the day as days since 1970, the sentiment, and the
interaction id's rank in code-point order), and ``engagement_on(day)`` answers a day with ``bincount``,
``maximum.at`` and one sort of the sentiment rows, instead of applying each touch in a Python loop.
The answer is what ``load_engagement`` gives for that day: "latest" sentiment by date, then interaction id,
newest first; only touches of the account's own mapped stakeholders count, on interactions of the accounts read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, and_, type_coerce
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

if TYPE_CHECKING:
    import numpy as np

_CHUNK = 5000
_EPOCH = dt.date(1970, 1, 1).toordinal()
_NEVER = -(2**40)  # "no touch" in the last-touch column: before any day


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (the columns' unit)."""
    return day.toordinal() - _EPOCH


class TouchColumns:
    """The mapped stakeholders of some accounts and their touches up to a day, as numpy columns."""

    def __init__(self, account_ids: Sequence[str] | None, stakeholders: list[StakeholderRow],
                 rows: list[tuple[Any, Any, Any, Any]]) -> None:
        import numpy as np

        self.account_ids = None if account_ids is None else list(account_ids)
        self.stakeholders = stakeholders
        position = {s.id: i for i, s in enumerate(stakeholders)}
        sids, sentiments, days, iids = zip(*rows, strict=True) if rows else ((), (), (), ())
        who = np.array([position.get(sid, -1) for sid in sids], dtype=np.int64)
        # Touches of people who are not mapped here (left the company, another account's) count for no one.
        mapped = who >= 0
        self.who: np.ndarray = who[mapped]
        self.day: np.ndarray = _days(days)[mapped]
        sentiment = np.array(sentiments, dtype=np.float64)[mapped]  # a missing sentiment is NaN
        has = ~np.isnan(sentiment)
        # The sentiment rows sorted by stakeholder, then day, then interaction id (code-point order, as Python
        # compares strings): each stakeholder's latest sentiments on or before a day are the last of its run.
        s_iid = np.array(iids, dtype=str)[mapped][has] if len(iids) else np.array([], dtype=str)
        s_who, s_day, s_val = self.who[has], self.day[has], sentiment[has].astype(np.int64)
        order = np.lexsort((s_iid, s_day, s_who))
        self.s_who, self.s_day, self.s_val = s_who[order], s_day[order], s_val[order]

    @classmethod
    def load(cls, session: Session, account_ids: Sequence[str] | None, until: dt.date) -> TouchColumns:
        """Read the mapped stakeholders of ``account_ids`` (``None``: every account) and their touches on
        interactions of those accounts dated up to ``until``: one plain read per 5,000 accounts."""
        groups: list[Sequence[str] | None] = [None] if account_ids is None else [
            list(account_ids)[i : i + _CHUNK] for i in range(0, len(account_ids), _CHUNK)]
        people: list[StakeholderRow] = []
        rows: list[tuple[Any, Any, Any, Any]] = []
        for ids in groups:
            if ids is not None and not ids:
                continue
            people += mapped_stakeholders(session, ids)
            # The date as it is stored (SQLite: ISO text; PostgreSQL: a date): numpy parses either at once.
            stmt = select(Participant.stakeholder_id, Participant.sentiment,
                          type_coerce(Interaction.date, String), Interaction.id).join(
                Interaction, and_(Participant.interaction_id == Interaction.id, Interaction.date <= until))
            if ids is not None:
                stmt = stmt.where(col(Interaction.account_id).in_(ids))
            rows += driver_rows(session, stmt)
        return cls(account_ids, people, rows)

    def engagement_on(self, day: dt.date, rules: Rules) -> dict[str, AccountEngagement]:
        """What ``load_engagement(session, account_ids, day, rules)`` returns, for a day up to ``until``."""
        import numpy as np

        n = len(self.stakeholders)
        span = rules.stakeholders.cooling_window_days
        d = day_number(day)
        recent_from, previous_from = day_number(window_start(day, span)), day_number(window_start(day, 2 * span))
        upto = self.day <= d
        who, days = self.who[upto], self.day[upto]
        last = np.full(n, _NEVER, dtype=np.int64)
        np.maximum.at(last, who, days)
        recent = np.bincount(who[days >= recent_from], minlength=n)
        previous = np.bincount(who[(days >= previous_from) & (days < recent_from)], minlength=n)

        latest = np.full(n, -1, dtype=np.int64)  # the row (in the sorted sentiment columns) of each one's latest
        before = np.full(n, -1, dtype=np.int64)  # and of the one before it
        s_upto = np.flatnonzero(self.s_day <= d)
        s_who = self.s_who[s_upto]
        if len(s_upto):
            ends = np.flatnonzero(np.append(s_who[1:] != s_who[:-1], True))
            latest[s_who[ends]] = s_upto[ends]
            prior = ends[ends > 0] - 1
            same = s_who[prior] == s_who[prior + 1]
            before[s_who[prior[same] + 1]] = s_upto[prior[same]]
        return self._activities(last.tolist(), recent.tolist(), previous.tolist(), latest.tolist(), before.tolist())

    def _activities(self, last: list[int], recent: list[int], previous: list[int], latest: list[int],
                    before: list[int]) -> dict[str, AccountEngagement]:
        """The plain objects, field by field: a list per field, then one constructor call per stakeholder."""
        date_of: dict[int, dt.date | None] = {_NEVER: None}
        for number in (set(last) | set(self.s_day.tolist())) - {_NEVER}:
            date_of[number] = dt.date.fromordinal(number + _EPOCH)
        s_day, s_val = [*self.s_day.tolist(), _NEVER], [*self.s_val.tolist(), None]  # row -1: none
        activities = map(
            StakeholderActivity, self.stakeholders, map(date_of.__getitem__, last), recent, previous,
            [s_val[row] for row in latest], [date_of[s_day[row]] for row in latest],
            [s_val[row] for row in before], [date_of[s_day[row]] for row in before],
        )
        out: dict[str, AccountEngagement] = {}
        for act in activities:
            aid = act.stakeholder.account_id
            eng = out.get(aid)
            if eng is None:
                eng = out[aid] = AccountEngagement(aid)
            eng.stakeholders.append(act)
        for aid in self.account_ids or ():
            out.setdefault(aid, AccountEngagement(aid))
        return out


def driver_rows(session: Session, stmt: Any) -> list[tuple[Any, ...]]:
    """The rows of ``stmt`` as the driver's own tuples: SQLAlchemy's row objects cost about a second per million
    rows, and no column here needs its type processing (the date comes as stored). Dates are bound as ISO text
    on SQLite, as SQLAlchemy binds them; the statement still goes through the connection (and its events)."""
    conn = session.connection()
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if conn.dialect.name == "sqlite":
        params = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in params.items()}
    args = tuple(params[k] for k in compiled.positiontup or ()) if compiled.positional else params
    result = conn.exec_driver_sql(str(compiled), args)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _days(values: Sequence[Any]) -> np.ndarray:
    """Dates (ISO text, or ``date`` objects) as days since 1970."""
    import numpy as np

    if not values:
        return np.array([], dtype=np.int64)
    if isinstance(values[0], dt.date):
        return np.array([v.toordinal() - _EPOCH for v in values], dtype=np.int64)
    try:
        return np.array(values, dtype="datetime64[D]").astype(np.int64)
    except ValueError:  # text with a time after the date
        return np.array([str(v)[:10] for v in values], dtype="datetime64[D]").astype(np.int64)
