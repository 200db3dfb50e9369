"""Stakeholder and account flags (docs/rules.md): who has gone quiet, who was never met, who is cooling or
souring, and which accounts are single-threaded or thinly covered.

``compute_flags`` is set-based: the engagement facts (``load_engagement``) and the scores (for each
account's quadrant, hence its touch windows) in a handful of queries for any number of accounts. The tool that
shows them is ``tools.stakeholders.flag_dark_stakeholders``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from store.models import Interaction, Participant, Stakeholder
from tools.compute.engagement import (
    AccountEngagement,
    StakeholderActivity,
    StakeholderRow,
    is_key_stakeholder,
    window_start,
    within,
)
from tools.compute.history import Touch, load_engagement_days
from tools.compute.quadrants import QUADRANT_LABELS
from tools.compute.score_rules import AccountScore
from tools.compute.scoring import compute_scores
from tools.context import ToolContext
from tools.rules import Rules
from tools.wording import plural

_SENTIMENT_MAX = 2  # sentiment is recorded on a -2..+2 scale
_CHUNK = 5000
StakeholderFlagName = Literal["dark", "unreached", "cooling", "sentiment_drop"]
AccountFlagName = Literal["single_threaded", "thin_coverage"]

_MAX_ACCOUNTS_SHOWN = 40


class StakeholderFlag(BaseModel):
    """One flag on one stakeholder, with the facts it came from."""

    account_id: str
    account_name: str
    stakeholder_id: str
    stakeholder_name: str
    title: str | None = None
    flag: StakeholderFlagName
    key: bool
    evidence: dict[str, Any] = Field(default_factory=dict)
    reason: str


class AccountFlag(BaseModel):
    """A flag on the account's coverage as a whole."""

    account_id: str
    account_name: str
    flag: AccountFlagName
    evidence: dict[str, Any] = Field(default_factory=dict)
    reason: str


class AccountFlags(BaseModel):
    """Every flag of one account as of a date, and the window it was held to."""

    account_id: str
    account_name: str
    quadrant: str
    windows: dict[str, Any]
    mapped: int
    engaged: int
    flags: list[StakeholderFlag] = Field(default_factory=list)
    account_flags: list[AccountFlag] = Field(default_factory=list)


def key_reasons(stakeholder: Stakeholder | StakeholderRow, rules: Rules) -> list[str]:
    """Why a stakeholder is key (empty when they are not): authority, influence, tag or executive."""
    r = rules.stakeholders
    reasons = []
    if stakeholder.authority in r.key_authorities:
        reasons.append(f"{stakeholder.authority} authority")
    if (stakeholder.influence or 0) >= r.key_min_influence:
        reasons.append(f"influence {stakeholder.influence}")
    if (stakeholder.tag or "").lower() in r.key_tags:
        reasons.append(f"tagged {stakeholder.tag}")
    if stakeholder.is_executive:
        reasons.append("executive")
    return reasons


def touch_windows(quadrant: str, rules: Rules) -> dict[str, Any]:
    """The expected-touch windows of a quadrant; an unscored account uses the configured fallback (Develop)."""
    source = quadrant if quadrant in rules.coverage else rules.stakeholders.unscored_quadrant
    key_days = rules.coverage[source].key_touch_days
    other_days = round(key_days * rules.stakeholders.other_window_factor)
    if source == quadrant:
        why = f"the {QUADRANT_LABELS[quadrant]} coverage model"
    else:
        why = f"the account is unscored, so the {QUADRANT_LABELS[source]} windows apply"
    return {"key_days": key_days, "other_days": other_days, "from_quadrant": source, "why": why}


def compute_flags(
    ctx: ToolContext,
    account_ids: Sequence[str] | None,
    *,
    as_of: dt.date | None = None,
    scores: dict[str, AccountScore] | None = None,
    engagement: dict[str, AccountEngagement] | None = None,
    touches: Sequence[Touch] | None = None,
) -> dict[str, AccountFlags]:
    """Stakeholder and account-level flags for ``account_ids`` (``None``: every account in the store) as of
    ``as_of`` (default ``ctx.as_of``).

    Pure and set-based. ``scores`` (from ``compute_scores`` for the same date) gives each account's
    quadrant; without it the scores are computed from the same engagement facts. ``engagement`` (what
    ``load_engagement`` gives for the same accounts and date) saves reading it again, and ``touches`` (every
    touch of these accounts up to ``as_of``: ``AccountHistory.touches``) the read of the sentiment peaks.
    """
    day = as_of or ctx.as_of
    rules = ctx.rules
    ids = None if account_ids is None else list(dict.fromkeys(account_ids))
    if engagement is None:  # one plain read of the touches (``load_engagement``'s answer, without its ranking)
        engagement = load_engagement_days(ctx.session, ids, [day], rules)[day]
    if scores is None:
        scores = compute_scores(ctx, ids, as_of=day, engagement=engagement)
    peaks = sentiment_peaks(ctx.session, engagement.values(), rules, touches=touches)
    out: dict[str, AccountFlags] = {}
    for aid in sorted(scores) if ids is None else ids:
        score = scores.get(aid)
        if score is None:  # no such account
            continue
        out[aid] = _account_flags(score, engagement.get(aid, AccountEngagement(aid)), day, rules, peaks)
    return out


def sentiment_peaks(
    session: Session, engagement: Iterable[AccountEngagement], rules: Rules, *, touches: Sequence[Touch] | None = None,
) -> dict[str, tuple[int, dt.date]]:
    """Per stakeholder, the highest sentiment (and its latest day) among their touches in the
    ``sentiment_drop_window_days`` days before their latest sentiment: from that day minus the window to the
    day before it. Only people whose latest sentiment leaves room for a drop are read, and of their earlier
    touches only those high enough to make one: a grouped read, whatever the number of accounts.
    """
    r = rules.stakeholders
    latest = {
        act.id: (act.latest_sentiment, act.latest_sentiment_date)
        for eng in engagement for act in eng.stakeholders
        if act.latest_sentiment is not None and act.latest_sentiment_date is not None
        and act.latest_sentiment + r.sentiment_drop <= _SENTIMENT_MAX
    }
    peaks: dict[str, tuple[int, dt.date]] = {}
    ids = sorted(latest)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        first = min(latest[i][1] for i in chunk) - dt.timedelta(days=r.sentiment_drop_window_days)
        last = max(latest[i][1] for i in chunk)
        floor = min(latest[i][0] for i in chunk) + r.sentiment_drop
        if touches is not None:  # the same rows, from the touches already read
            ours = set(chunk)
            rows = [(t.stakeholder_id, t.day, t.sentiment) for t in touches
                    if t.stakeholder_id in ours and t.sentiment is not None and t.sentiment >= floor
                    and first <= t.day < last]
        else:
            rows = session.exec(
                select(Participant.stakeholder_id, Interaction.date, Participant.sentiment)
                .join(Interaction, col(Interaction.id) == Participant.interaction_id)
                .where(col(Participant.stakeholder_id).in_(chunk), col(Participant.sentiment) >= floor,
                       Interaction.date >= first, Interaction.date < last)
            ).all()
        for sid, day, sentiment in rows:
            when = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
            score, latest_day = latest[sid]
            earliest = latest_day - dt.timedelta(days=r.sentiment_drop_window_days)
            if not earliest <= when < latest_day:
                continue
            best = peaks.get(sid)
            if best is None or (int(sentiment), when) > best:
                peaks[sid] = (int(sentiment), when)
    return peaks


def _account_flags(
    score: AccountScore, eng: AccountEngagement, as_of: dt.date, rules: Rules,
    peaks: dict[str, tuple[int, dt.date]],
) -> AccountFlags:
    windows = touch_windows(score.quadrant, rules)
    r = rules.stakeholders
    engaged_days = rules.scoring.engaged_window_days
    engaged = eng.engaged(as_of, engaged_days)
    result = AccountFlags(
        account_id=score.account_id,
        account_name=score.account_name,
        quadrant=score.quadrant,
        windows=windows,
        mapped=eng.mapped,
        engaged=len(engaged),
    )
    for act in eng.stakeholders:
        result.flags.extend(_stakeholder_flags(score, act, as_of, windows, rules, peaks.get(act.id)))

    if eng.mapped:
        share = len(engaged) / eng.mapped
        evidence = {
            "engaged": len(engaged),
            "mapped": eng.mapped,
            "share": round(share, 4),
            "window_days": engaged_days,
            "window_start": window_start(as_of, engaged_days).isoformat(),
            "as_of": as_of.isoformat(),
            "engaged_stakeholders": [a.stakeholder.name for a in engaged],
        }
        if len(engaged) <= r.single_threaded_max_engaged and eng.mapped >= r.single_threaded_min_mapped:
            result.account_flags.append(AccountFlag(
                account_id=score.account_id, account_name=score.account_name, flag="single_threaded",
                evidence={**evidence, "max_engaged": r.single_threaded_max_engaged,
                          "min_mapped": r.single_threaded_min_mapped},
                reason=(
                    f"only {len(engaged)} of {eng.mapped} mapped stakeholders engaged in the {engaged_days} days "
                    f"to {as_of.isoformat()} (single-threaded: at most {r.single_threaded_max_engaged} "
                    f"out of {r.single_threaded_min_mapped} or more)"
                ),
            ))
        if share < r.thin_coverage_share:
            result.account_flags.append(AccountFlag(
                account_id=score.account_id, account_name=score.account_name, flag="thin_coverage",
                evidence={**evidence, "threshold": r.thin_coverage_share},
                reason=(
                    f"{len(engaged)} of {eng.mapped} mapped stakeholders engaged in the {engaged_days} days "
                    f"to {as_of.isoformat()} ({share:.0%}, below {r.thin_coverage_share:.0%})"
                ),
            ))
    return result


def _stakeholder_flags(
    score: AccountScore, act: StakeholderActivity, as_of: dt.date, windows: dict[str, Any], rules: Rules,
    peak: tuple[int, dt.date] | None,
) -> list[StakeholderFlag]:
    sh = act.stakeholder
    r = rules.stakeholders
    key = is_key_stakeholder(sh, rules)
    window = windows["key_days"] if key else windows["other_days"]
    last = act.last_touch
    latest, previous = act.latest_sentiment, act.previous_sentiment
    unreached = last is None
    dark = last is not None and not within(last, as_of, window)
    cooling = act.previous_count >= r.cooling_min_previous and act.recent_count < r.cooling_ratio * act.previous_count
    dropped = latest is not None and peak is not None and peak[0] - latest >= r.sentiment_drop
    champion = (sh.tag or "").lower() == "champion"
    sour_champion = champion and latest is not None and latest <= r.champion_max_sentiment
    if not (unreached or dark or cooling or dropped or sour_champion):
        return []  # the common case: nothing to say, nothing built

    reasons = key_reasons(sh, rules)
    window_why = (
        f"{window} days: key stakeholder ({', '.join(reasons)}), {windows['why']}"
        if key
        else f"{window} days: {r.other_window_factor:g}x the key-stakeholder window of {windows['key_days']} days "
        f"({windows['why']})"
    )
    base = {
        "account_id": score.account_id,
        "account_name": score.account_name,
        "stakeholder_id": sh.id,
        "stakeholder_name": sh.name,
        "title": sh.title,
        "key": key,
    }
    flags: list[StakeholderFlag] = []
    if unreached:
        flags.append(StakeholderFlag(
            **base, flag="unreached",
            evidence={"last_touch": None, "window_days": window, "window": window_why, "as_of": as_of.isoformat()},
            reason=f"no interaction with {sh.name} on record up to {as_of.isoformat()}",
        ))
    elif dark and last is not None:
        days = act.days_since_touch(as_of)
        flags.append(StakeholderFlag(
            **base, flag="dark",
            evidence={"last_touch": last.isoformat(), "days_since": days, "window_days": window,
                      "window": window_why, "as_of": as_of.isoformat()},
            reason=(
                f"last interaction {last.isoformat()}, {days} days before {as_of.isoformat()}; "
                f"expected within {window_why}"
            ),
        ))

    cooling_days = r.cooling_window_days
    if cooling:
        recent_from = window_start(as_of, cooling_days)
        previous_from = window_start(as_of, 2 * cooling_days)
        flags.append(StakeholderFlag(
            **base, flag="cooling",
            evidence={
                "recent_count": act.recent_count,
                "previous_count": act.previous_count,
                "recent_window": [recent_from.isoformat(), as_of.isoformat()],
                "previous_window": [previous_from.isoformat(), (recent_from - dt.timedelta(days=1)).isoformat()],
                "ratio": r.cooling_ratio,
                "min_previous": r.cooling_min_previous,
            },
            reason=(
                f"{plural(act.recent_count, 'interaction')} in the last {cooling_days} days against "
                f"{act.previous_count} in the {cooling_days} days before (fewer than {r.cooling_ratio:g} of them)"
            ),
        ))

    sentiment_evidence = {
        "latest_sentiment": latest,
        "latest_date": act.latest_sentiment_date.isoformat() if act.latest_sentiment_date else None,
        "previous_sentiment": previous,
        "previous_date": act.previous_sentiment_date.isoformat() if act.previous_sentiment_date else None,
        "peak_sentiment": peak[0] if peak else None,
        "peak_date": peak[1].isoformat() if peak else None,
        "peak_window_days": r.sentiment_drop_window_days,
    }
    if dropped or sour_champion:
        parts = []
        if dropped and latest is not None and peak is not None:
            parts.append(
                f"sentiment fell from {peak[0]:+d} ({sentiment_evidence['peak_date']}, the highest in the "
                f"{r.sentiment_drop_window_days} days before the latest touch) to {latest:+d} "
                f"({sentiment_evidence['latest_date']}) on the -2..+2 scale, a drop of {peak[0] - latest} "
                f"(flagged at {r.sentiment_drop})"
            )
        if sour_champion:
            parts.append(
                f"a champion whose latest sentiment is {latest:+d} ({sentiment_evidence['latest_date']}), "
                f"at or below {r.champion_max_sentiment:+d}"
            )
        flags.append(StakeholderFlag(
            **base, flag="sentiment_drop",
            evidence={**sentiment_evidence, "champion": champion, "drop_threshold": r.sentiment_drop},
            reason="; ".join(parts),
        ))
    return flags


# --------------------------------------------------------------------------------------------------- tool
