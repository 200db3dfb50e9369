"""A year of activity for one demo account: interactions with per-person sentiment, commitments,
opportunities and plan dates.

Each stakeholder has a designated last touch (days before ``as_of``; ``None`` for people never met).
Their touches all fall on or before it, and a person only joins a meeting dated on or before their
last touch, so the designated value is exactly what the store will show. That is what keeps the
ordinary accounts calm (key people touched within 24 days, or long gone) and the planted stories sharp.
Offsets are days: positive counts back from ``as_of``, negative forward.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from store.demo_stories import Deal, Note, Promise
from store.demo_text import Person, commitment_text, note_text

LAPSED_FROM = 215  # a lapsed person's last touch is at least this many days ago: dark before any drift window
_KINDS = ("meeting", "call", "email", "demo")
_KIND_CUMULATIVE = (0.30, 0.65, 0.90, 1.0)
_OPEN_STAGES = ("prospecting", "qualification", "qualification", "proposal", "proposal", "negotiation")
_DEAL_KINDS = ("expansion", "renewal", "rollout", "upgrade", "pilot")

Day = Callable[[int], date]


class Counter:
    """Sequential ids: ``Counter("S", 4)`` gives S0001, S0002, ..."""

    def __init__(self, prefix: str, width: int) -> None:
        self.prefix, self.width, self.n = prefix, width, 0

    def next(self) -> str:
        self.n += 1
        return f"{self.prefix}{self.n:0{self.width}d}"


@dataclass
class Member:
    """A stakeholder as the activity generator sees them."""

    id: str
    name: str
    title: str | None
    key: bool
    executive: bool
    champion: bool
    last: int | None
    mood: int
    exact: bool = False  # planted people: ordinary touches carry exactly their mood


@dataclass
class _Event:
    offset: int
    kind: str
    author: str
    people: list[tuple[Member, int | None]]
    text: str | None = None


def _touch_plan(rng: random.Random, members: list[Member], count: int, horizon: int) -> list[tuple[int, Member]]:
    """``count`` (offset, main participant) pairs: everyone reachable once at their last touch, the rest
    spread over the year before it (key people more often). People left over when ``count`` is small
    become never-met."""
    reachable = sorted(
        (m for m in members if m.last is not None),
        key=lambda m: (m.last >= LAPSED_FROM, not m.key, m.last),  # type: ignore[operator]
    )
    for m in reachable[count:]:
        m.last = None
    reachable = reachable[:count]
    touches = [(m.last, m) for m in reachable if m.last is not None]
    extra = count - len(touches)
    if extra > 0 and reachable:
        weights = [0.6 if (m.last or 0) >= LAPSED_FROM else 3.0 if m.key else 1.5 for m in reachable]
        for m in rng.choices(reachable, weights, k=extra):
            low = (m.last or 0) + 1
            touches.append((rng.randint(low, max(low, horizon)), m))
    return touches  # type: ignore[return-value]


def _sentiment(rng: random.Random, m: Member, kind: str) -> int | None:
    if m.exact:
        return m.mood
    if kind == "email" and not m.key and rng.random() < 0.2:
        return None
    r = rng.random()
    value = m.mood + (1 if r < 0.15 else -1 if r < 0.30 else 0)
    value = max(-2, min(2, value))
    return max(value, 1) if m.champion else value


def interactions_for(
    rng: random.Random,
    *,
    account_id: str,
    owner: str,
    manager: str | None,
    members: list[Member],
    count: int,
    horizon: int,
    qbrs: tuple[int, ...],
    notes: tuple[Note, ...],
    business_units: tuple[str, ...],
    day: Day,
    ids: Counter,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The account's interactions and participants, oldest first."""
    events: list[_Event] = []
    for offset, main in _touch_plan(rng, members, count, horizon):
        r = rng.random()
        kind = next(k for k, edge in zip(_KINDS, _KIND_CUMULATIVE, strict=True) if r < edge)
        people = [main]
        r = rng.random()
        extra = 2 if r < 0.1 else 1 if r < 0.42 else 0
        if extra:
            pool = [m for m in members if m is not main and m.last is not None and m.last <= offset]
            people += rng.sample(pool, min(extra, len(pool)))
        author = manager if manager and kind == "meeting" and main.executive and rng.random() < 0.2 else owner
        events.append(_Event(offset, kind, author, [(m, _sentiment(rng, m, kind)) for m in people]))
    for offset in qbrs:
        group = [m for m in members if m.last is not None and m.last <= offset and (m.executive or m.champion)]
        if group:
            events.append(_Event(offset, "qbr", owner, [(m, _sentiment(rng, m, "qbr")) for m in group[:4]]))
    by_name = {m.name: m for m in members}
    for note in notes:
        people = [(by_name[name], sentiment) for name, sentiment in note.people]
        events.append(_Event(note.days_ago, note.kind, note.author, people, note.text))
    events.sort(key=lambda e: -e.offset)
    _soften_drops(events)

    interactions: list[dict[str, Any]] = []
    participants: list[dict[str, Any]] = []
    for e in events:
        iid = ids.next()
        text = e.text or note_text(rng, e.kind, [Person(m.name, m.title, s) for m, s in e.people], business_units)
        interactions.append({"id": iid, "account_id": account_id, "date": day(e.offset), "kind": e.kind,
                             "author_id": e.author, "text": text})
        for m, s in e.people:
            participants.append({"interaction_id": iid, "stakeholder_id": m.id, "sentiment": s})
    return interactions, participants


def _soften_drops(events: list[_Event]) -> None:
    """Ordinary people never fall by 2 or more between two touches (only planted stories do)."""
    previous: dict[str, int] = {}
    for e in events:
        if e.text is not None:
            for m, s in e.people:
                if s is not None:
                    previous[m.id] = s
            continue
        for i, (m, s) in enumerate(e.people):
            if s is None:
                continue
            if not m.exact and m.id in previous and s < previous[m.id] - 1:
                s = previous[m.id] - 1
                e.people[i] = (m, s)
            previous[m.id] = s


def commitments_for(
    rng: random.Random,
    *,
    account_id: str,
    owner: str,
    count: int,
    contacts: list[str],
    business_units: tuple[str, ...],
    young: bool,
    day: Day,
    ids: Counter,
) -> list[dict[str, Any]]:
    """Ordinary commitments: mostly done or due later; some long overdue, a few due within two days.

    Past-due dates stay before ``as_of - 31`` so that nothing falls overdue inside a drift window by chance.
    """
    rows = []
    for _ in range(count):
        side = "customer" if contacts and rng.random() < 0.3 else "ours"
        status, done = "open", None
        r = rng.random()
        if young or r < 0.30:
            due = -rng.randint(3, 60)
        elif r < 0.75:
            due = rng.randint(35, 300)
            status, done = "done", max(31, due + rng.randint(-3, 5))
        elif r < 0.80:
            due, status = rng.randint(40, 200), "cancelled"
        elif r < 0.92:
            due = rng.randint(35, 90)
        else:
            due = -rng.randint(0, 2)
        contact = rng.choice(contacts) if contacts else ""
        rows.append({
            "id": ids.next(), "account_id": account_id, "side": side, "owner_id": owner,
            "description": commitment_text(rng, side, contact, business_units), "due": day(due),
            "status": status, "done": None if done is None else day(done),
        })
    return rows


def promises_rows(promises: tuple[Promise, ...], *, account_id: str, owner: str, day: Day,
                  ids: Counter) -> list[dict[str, Any]]:
    return [
        {"id": ids.next(), "account_id": account_id, "side": p.side, "owner_id": owner, "description": p.description,
         "due": day(-p.due), "status": p.status, "done": None if p.done is None else day(-p.done)}
        for p in promises
    ]


def opportunities_for(
    rng: random.Random,
    *,
    account_id: str,
    count: int,
    growth_target: float,
    business_units: tuple[str, ...],
    products: tuple[tuple[str, str], ...],
    young: bool,
    day: Day,
    ids: Counter,
) -> list[dict[str, Any]]:
    """Open deals closing in the coming months, and deals won or lost over the past year (none inside the
    last 34 days, so a close never moves a drift comparison by chance)."""
    rows = []
    for product_id, product_name in rng.sample(products, min(count, len(products))):
        r = rng.random()
        amount = float(max(10_000, round(growth_target * rng.uniform(0.2, 0.9) / 5_000) * 5_000))
        if young or r < 0.6:
            stage = rng.choice(_OPEN_STAGES)
            created, close = rng.randint(10, 60 if young else 220), -rng.randint(14, 200)
        else:
            stage = "closed_won" if r < 0.85 else "closed_lost"
            created = rng.randint(120, 364)
            close = rng.randint(35, created - 10)
        bu = rng.choice(business_units)
        rows.append({
            "id": ids.next(), "account_id": account_id, "name": f"{product_name} {rng.choice(_DEAL_KINDS)} ({bu})",
            "product": product_id, "business_unit": bu, "amount": amount, "stage": stage,
            "created": day(created), "close_date": day(close),
        })
    return rows


def deals_rows(deals: tuple[Deal, ...], *, account_id: str, day: Day, ids: Counter) -> list[dict[str, Any]]:
    return [
        {"id": ids.next(), "account_id": account_id, "name": d.name, "product": d.product,
         "business_unit": d.business_unit, "amount": float(d.amount), "stage": d.stage, "created": day(d.created),
         "close_date": day(-d.close)}
        for d in deals
    ]


def plan_offsets(rng: random.Random, tier: str) -> list[int]:
    """Days ago of an account's plan versions: refreshed about quarterly for big accounts, rarely for mid ones."""
    if tier == "strategic":
        latest = rng.randint(20, 120)
        return [latest + 90 * k + rng.randint(-10, 10) for k in range(rng.randint(1, 3))][::-1]
    if tier == "core" and rng.random() < 0.5:
        return [rng.randint(60, 300)]
    return []
