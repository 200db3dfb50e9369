"""The demo portfolio: a seeded, realistic book of key accounts written as SPEC 8 CSV files.

``generate_portfolio(as_of=...)`` returns the rows of every import file; ``write_csvs`` writes them.
The same (seed, as_of) always gives the same portfolio. Names (users, accounts, stakeholders,
products, titles) depend on the seed only, never on ``as_of``; every date is an offset from ``as_of``
(a year of history up to it, deals and commitments ahead of it), and note texts never contain dates,
so generating for another day only shifts the calendar.

Cast (fixed): U01 Grace Okafor (manager), U02 Sam Patel (KAM), U03 Jordan Lee, U04 Maria Santos and
U05 Tom Becker (reps), all reporting to Grace, and U06 Lena Fischer (admin). Products P01-P08
(Nimbus Analytics, Nimbus Data Platform, FlowOps Automation, Sentinel Security Suite, Atlas
Integration Hub, Pulse Customer Insights, Ledger Billing, Beacon Field Service); competitors Corvane,
Stratify, Quantrix Cloud and BlueHarbor Software appear in notes.

The default 40 accounts: the KAM owns 10, Jordan 10, Maria 9, Tom 9 and Grace 2. Planted stories
(ids fixed; see ``store/demo_stories.py`` for every detail):

- A001 Acme Corp (KAM): the flagship, Strategic Growth. CFO Dana Whitfield (budget authority,
  executive) pushed back on renewal pricing 12 days ago and 5 days ago said she is worried about
  budget and pricing (sentiment 0, then -1). Two people share a first name: Priya Raman (VP
  Operations, champion) and Priya Shah (Procurement Manager): "Priya" alone is ambiguous. Ray Dalton
  (IT Director) is tagged blocker; Sofia Marin was never met. Last QBR 85 days ago; ROI summary due
  in 2 days; a customer-side questionnaire is overdue.
- A002 Halcyon Retail Group (Maria): DRIFTING. Champion Nina Alvarez turned negative 9 days ago
  (+2 -> -2, an order-sync outage, evaluating Corvane), CFO Robert Lang went to -1 over budget cuts,
  and two of our commitments fell overdue inside the window.
- A003 Northwind Logistics (Jordan): DRIFTING. Executive sponsor Olivia Grant (COO) was last met 38
  days ago, at a QBR, just past the 30-day key-stakeholder window of a Strategic Growth account.
- A004 Brightwater Foods (Tom): DRIFTING. Four of our commitments fell due 26, 19, 11 and 3 days ago
  and are still open (none were overdue 30 days ago).
- A005 Keystone Mutual Insurance (Jordan): SINGLE-THREADED. Five people mapped, only Gary Whitman
  (procurement) engaged in the last 90 days; the CIO lapsed 240 days ago, the CFO was never met.
- A006 Globex Manufacturing (KAM): MARGIN LEAKAGE. The largest revenue at a 12% margin and a heavy
  cost to serve; a cost-to-serve review 42 days overdue.
- Every seller (U02-U05) has overdue commitments and commitments due within 2 days.
- Tom Becker (U05) inflates his judgment scores: about a point above everyone else's on his
  accounts, enough to lift a few of them into Strategic Growth and the book just past the 20% limit.
- A038 and A039 were onboarded recently: no wallet estimate and no judgment scores (unscored), a
  few people and a few weeks of contact. A015 and A027 lack one judgment criterion but are scored.
- A second blocker sits at A012.

Ordinary accounts are kept calm on purpose: their key people were touched within the last 24 days
or lapsed more than 215 days ago, ordinary sentiment never falls by 2 between touches, and their
overdue commitments and closed deals are all older than 30 days. So the drifting accounts above are
the planted ones, not noise.

Larger portfolios (``n_accounts`` > 40) keep the 40 above and add generated accounts (generated
names such as "Amber Valley Foods Group"), one extra rep per 25 of them and one extra manager per 8
extra reps, reporting to Grace. ``stakeholders_per_account`` and ``interactions_per_account`` fix
those counts for the ordinary accounts (the planted ones keep their cast).
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from store import demo_cast as cast
from store.demo_accounts import core_profiles, figures, large_profile
from store.demo_activity import (
    LAPSED_FROM,
    Counter,
    Member,
    commitments_for,
    deals_rows,
    interactions_for,
    opportunities_for,
    plan_offsets,
    promises_rows,
)
from store.demo_stories import DRIFTING_IDS, STORIES, Story
from store.import_schema import COLUMNS

__all__ = ["DEMO_SEED", "DRIFTING_IDS", "STORIES", "Portfolio", "generate_portfolio", "write_csvs"]

DEMO_SEED = 1729
CORE_ACCOUNTS = 40
_MANAGER_OWNED = (20, 33)
_YOUNG = (38, 39)
_ONE_CRITERION_MISSING = (15, 27)
_BLOCKER = (12,)
_INFLATION = 1.5  # Tom Becker's habit: his judgment scores run this much above what the account merits
_ACCOUNTS_PER_EXTRA_REP = 25
_REPS_PER_EXTRA_MANAGER = 8
_STORY_BY_INDEX = {int(s.id[1:]): s for s in STORIES}
_TAKEN_FIRST_NAMES = {p.name.split()[0] for s in STORIES for p in s.people} | {
    name.split()[0] for _, name, _, _ in cast.USERS
}
_FIRST_POOL = tuple(n for n in cast.FIRST_NAMES if n not in _TAKEN_FIRST_NAMES)


@dataclass
class Portfolio:
    """The rows of every import file, keyed by file name without ``.csv``, columns in SPEC 8 order."""

    seed: int
    as_of: date
    tables: dict[str, list[dict[str, Any]]]

    def __getitem__(self, name: str) -> list[dict[str, Any]]:
        return self.tables[name]

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


def generate_portfolio(
    *,
    as_of: date,
    seed: int = DEMO_SEED,
    n_accounts: int = CORE_ACCOUNTS,
    stakeholders_per_account: int | None = None,
    interactions_per_account: int | None = None,
) -> Portfolio:
    """A deterministic portfolio for (seed, as_of); see the module docstring for the cast and stories."""
    if n_accounts < 1:
        raise ValueError("n_accounts must be at least 1")
    gen = _Generator(as_of, seed, stakeholders_per_account, interactions_per_account)
    gen.add_users(n_accounts)
    for index in range(1, n_accounts + 1):
        story = _STORY_BY_INDEX.get(index)
        if story is not None:
            gen.add_story(story)
        else:
            gen.add_ordinary(index)
    return Portfolio(seed=seed, as_of=as_of, tables=gen.tables)


def write_csvs(portfolio: Portfolio, directory: Path | str) -> Path:
    """Write ``<name>.csv`` for every table of ``portfolio`` into ``directory`` (created if needed)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, columns in COLUMNS.items():
        with (directory / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            writer.writerows([_cell(row.get(c)) for c in columns] for row in portfolio.tables.get(name, ()))
    return directory


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _clamp(value: float, low: int = 1, high: int = 5) -> int:
    return max(low, min(high, round(value)))


class _Generator:
    def __init__(self, as_of: date, seed: int, per_account_people: int | None, per_account_touches: int | None):
        self.as_of, self.seed = as_of, seed
        self.people_n, self.touches_n = per_account_people, per_account_touches
        self.tables: dict[str, list[dict[str, Any]]] = {name: [] for name in COLUMNS}
        self.ids = {k: Counter(p, w) for k, (p, w) in
                    {"S": ("S", 4), "I": ("I", 5), "O": ("O", 4), "C": ("C", 4)}.items()}
        self._days: dict[int, date] = {}
        companies = list(cast.COMPANIES)
        random.Random(f"{seed}:companies").shuffle(companies)
        self._companies = companies
        self._extra_reps: list[str] = []
        self.manager_of: dict[str, str | None] = {}
        core = [i for i in range(1, CORE_ACCOUNTS + 1) if i not in _STORY_BY_INDEX]
        self._profiles = core_profiles(seed, [i for i in core if i not in _YOUNG], [i for i in core if i in _YOUNG],
                                       {float(s.revenue) for s in STORIES})
        name_space = len(cast.NAME_HEADS) * len(cast.NAME_PLACES) * len(cast.NAME_TRADES) * len(cast.NAME_TAILS)
        rng = random.Random(f"{seed}:generated-names")
        step = rng.randrange(1, name_space)
        while math.gcd(step, name_space) != 1:
            step = rng.randrange(1, name_space)
        self._name_space, self._name_step, self._name_shift = name_space, step, rng.randrange(name_space)

    def day(self, offset: int) -> date:
        """``offset`` days before ``as_of`` (negative: after it)."""
        d = self._days.get(offset)
        if d is None:
            d = self._days[offset] = self.as_of - timedelta(days=offset)
        return d

    # users and products ---------------------------------------------------------------------------

    def add_users(self, n_accounts: int) -> None:
        users = self.tables["users"]
        for uid, name, role, manager in cast.USERS:
            users.append({"id": uid, "name": name, "role": role, "manager_id": manager,
                          "slack_user_id": self._slack_id(uid)})
            self.manager_of[uid] = manager
        extra_reps = math.ceil(max(0, n_accounts - CORE_ACCOUNTS) / _ACCOUNTS_PER_EXTRA_REP)
        rng = random.Random(f"{self.seed}:user-names")
        taken = {name for _, name, _, _ in cast.USERS}
        number = len(cast.USERS)
        manager: str | None = None
        for k in range(extra_reps):
            if k % _REPS_PER_EXTRA_MANAGER == 0:
                number += 1
                manager = f"U{number:02d}"
                users.append(self._user(manager, rng, taken, "manager", cast.MANAGER))
            number += 1
            rep = f"U{number:02d}"
            users.append(self._user(rep, rng, taken, "rep", manager))
            self._extra_reps.append(rep)
        for pid, name in cast.PRODUCTS:
            self.tables["products"].append({"id": pid, "name": name})

    def _user(self, uid: str, rng: random.Random, taken: set[str], role: str, manager: str | None) -> dict[str, Any]:
        name = f"{rng.choice(_FIRST_POOL)} {rng.choice(cast.LAST_NAMES)}"
        while name in taken:
            name = f"{rng.choice(_FIRST_POOL)} {rng.choice(cast.LAST_NAMES)}"
        taken.add(name)
        self.manager_of[uid] = manager
        return {"id": uid, "name": name, "role": role, "manager_id": manager, "slack_user_id": self._slack_id(uid)}

    def _slack_id(self, uid: str) -> str:
        code = random.Random(f"{self.seed}:slack:{uid}").getrandbits(40)
        return f"U{code:010X}"

    # accounts -------------------------------------------------------------------------------------

    def _owner(self, index: int) -> str:
        if index > CORE_ACCOUNTS:
            return self._extra_reps[(index - CORE_ACCOUNTS - 1) // _ACCOUNTS_PER_EXTRA_REP]
        if index in _MANAGER_OWNED:
            return cast.MANAGER
        ordinary = [i for i in range(1, CORE_ACCOUNTS + 1) if i not in _STORY_BY_INDEX and i not in _MANAGER_OWNED]
        return ("U03", "U04", "U05", "U02")[ordinary.index(index) % 4]

    def _company(self, index: int) -> tuple[str, str]:
        if index <= CORE_ACCOUNTS:
            ordinary = [i for i in range(1, CORE_ACCOUNTS + 1) if i not in _STORY_BY_INDEX]
            return self._companies[ordinary.index(index) % len(self._companies)]
        k = index - CORE_ACCOUNTS - 1
        code = (k * self._name_step + self._name_shift) % self._name_space
        code, tail = divmod(code, len(cast.NAME_TAILS))
        code, trade = divmod(code, len(cast.NAME_TRADES))
        head, place = divmod(code, len(cast.NAME_PLACES))
        word, industry = cast.NAME_TRADES[trade]
        parts = [cast.NAME_HEADS[head], cast.NAME_PLACES[place], word, cast.NAME_TAILS[tail]]
        name = " ".join(p for p in parts if p)
        if k >= self._name_space:
            name += f" {k // self._name_space + 1}"
        return name, industry

    def add_ordinary(self, index: int) -> None:
        names = random.Random(f"{self.seed}:names:{index}")
        rng = random.Random(f"{self.seed}:account:{index}")
        account_id = f"A{index:03d}"
        owner = self._owner(index)
        name, industry = self._company(index)
        young = index in _YOUNG or (index > CORE_ACCOUNTS and rng.random() < 0.02)
        profile = self._profiles.get(index) or large_profile(rng)
        numbers = figures(rng, profile, bias=_INFLATION if owner == cast.INFLATING_SCORER else 0.0, young=young)
        criteria = ("growth_potential", "strategic_fit", "competitive_position", "propensity_to_partner")
        if index in _ONE_CRITERION_MISSING:
            numbers[criteria[index % 4]] = None
        self.tables["accounts"].append({
            "id": account_id, "name": name, "owner_id": owner, "industry": industry, **numbers,
            "scored_by": None if young else owner,
        })
        revenue = profile.revenue
        tier = "strategic" if revenue >= 2_000_000 else "core" if revenue >= 600_000 else "small"
        business_units = cast.INDUSTRIES[industry]
        sizes = {"strategic": (6, 9, 28, 40, 3, 5, 2, 5), "core": (5, 7, 16, 26, 2, 4, 1, 4),
                 "small": (4, 5, 8, 14, 1, 3, 1, 3)}[tier]
        if young:
            sizes = (2, 3, 3, 5, 1, 1, 1, 1)
        n_people = self.people_n if self.people_n is not None else rng.randint(sizes[0], sizes[1])
        n_touches = self.touches_n if self.touches_n is not None else rng.randint(sizes[2], sizes[3])
        blocker = index in _BLOCKER or (index > CORE_ACCOUNTS and rng.random() < 0.03)
        members = self._ordinary_members(names, rng, account_id, n_people, young=young, blocker=blocker,
                                         engaged=profile.strong)
        qbrs: tuple[int, ...] = ()
        if tier == "strategic" and not young:
            qbrs = tuple(range(rng.randint(20, 80), 365, 91))
        self._activity(rng, account_id, owner, members, n_touches, 60 if young else 364, qbrs, (), business_units)
        contacts = [m.name for m in members if m.last is not None]
        self.tables["commitments"] += commitments_for(
            rng, account_id=account_id, owner=owner, count=rng.randint(sizes[6], sizes[7]), contacts=contacts,
            business_units=business_units, young=young, day=self.day, ids=self.ids["C"])
        self.tables["opportunities"] += opportunities_for(
            rng, account_id=account_id, count=rng.randint(sizes[4], sizes[5]),
            growth_target=float(numbers["growth_target"] or 0), business_units=business_units,
            products=cast.PRODUCTS, young=young, day=self.day, ids=self.ids["O"])
        if not young:
            self._plans(account_id, plan_offsets(rng, tier))

    def add_story(self, story: Story) -> None:
        rng = random.Random(f"{self.seed}:account:{story.id}")
        gp, sf, cp, ptp = story.judgment
        self.tables["accounts"].append({
            "id": story.id, "name": story.name, "owner_id": story.owner, "industry": story.industry,
            "annual_revenue": float(story.revenue), "gross_margin_pct": float(story.margin),
            "wallet_estimate": None if story.wallet is None else float(story.wallet),
            "cost_to_serve": float(story.cost_to_serve), "growth_target": float(story.growth_target),
            "growth_potential": gp, "strategic_fit": sf, "competitive_position": cp, "propensity_to_partner": ptp,
            "scored_by": story.scored_by,
        })
        if story.people:
            members = self._story_members(story)
        else:
            names = random.Random(f"{self.seed}:names:{story.id}")
            members = self._ordinary_members(names, rng, story.id, 7, young=False, blocker=False)
        self._activity(rng, story.id, story.owner, members, story.activity, 364, story.qbrs, story.notes,
                       story.business_units)
        self.tables["commitments"] += promises_rows(story.commitments, account_id=story.id, owner=story.owner,
                                                    day=self.day, ids=self.ids["C"])
        self.tables["opportunities"] += deals_rows(story.deals, account_id=story.id, day=self.day,
                                                   ids=self.ids["O"])
        self._plans(story.id, list(story.plans))

    # people ---------------------------------------------------------------------------------------

    def _story_members(self, story: Story) -> list[Member]:
        ids = {p.name: self.ids["S"].next() for p in story.people}
        members = []
        for p in story.people:
            key = p.authority != "none" or p.influence >= 4 or p.tag == "champion" or p.executive
            self.tables["stakeholders"].append({
                "id": ids[p.name], "account_id": story.id, "name": p.name, "title": p.title,
                "department": p.department, "authority": p.authority, "influence": p.influence,
                "is_executive": p.executive, "reports_to": ids.get(p.reports_to or ""), "tag": p.tag,
            })
            members.append(Member(ids[p.name], p.name, p.title, key, p.executive, p.tag == "champion", p.last,
                                  p.mood, exact=True))
        return members

    def _ordinary_members(self, names: random.Random, rng: random.Random, account_id: str, n: int, *,
                          young: bool, blocker: bool, engaged: bool = True) -> list[Member]:
        roles = _roles(names, n)
        firsts = names.sample(_FIRST_POOL, min(n, len(_FIRST_POOL)))
        firsts += [names.choice(_FIRST_POOL) for _ in range(n - len(firsts))]
        people = [f"{first} {names.choice(cast.LAST_NAMES)}" for first in firsts]
        ids = [self.ids["S"].next() for _ in range(n)]
        by_group = {r[5]: ids[i] for i, r in reversed(list(enumerate(roles)))}
        blocker_at = next((i for i, r in enumerate(roles) if r[5] == "other"), None) if blocker else None
        members: list[Member] = []
        for i, (title, department, authority, influence, executive, group) in enumerate(roles):
            tag = "champion" if group == "champion" else "blocker" if i == blocker_at else None
            if tag == "blocker":
                influence = max(influence, 3)
            sponsor = by_group.get("approver") or by_group.get("budget")
            boss = {"champion": sponsor, "veto": by_group.get("budget"),
                    "other": by_group.get("champion") if names.random() < 0.5 else sponsor}.get(group)
            self.tables["stakeholders"].append({
                "id": ids[i], "account_id": account_id, "name": people[i], "title": title, "department": department,
                "authority": authority, "influence": influence, "is_executive": executive,
                "reports_to": boss if boss != ids[i] else None, "tag": tag,
            })
            key = authority != "none" or influence >= 4 or executive or group == "champion"
            mood = 2 if group == "champion" else -1 if tag == "blocker" else rng.choice(
                (1, 1, 1, 0, 0, -1) if executive else (1, 1, 0, 0, 0, -1))
            members.append(Member(ids[i], people[i], title, key, executive, group == "champion",
                                  _last_touch(rng, group, key, young, engaged), mood))
        active = [m for m in members if m.last is not None and m.last < LAPSED_FROM]
        if n >= 3 and len(active) < 2:
            for m in members:
                if m not in active:
                    m.last = rng.randint(1, 24)
                    break
        return members

    # activity -------------------------------------------------------------------------------------

    def _activity(self, rng: random.Random, account_id: str, owner: str, members: list[Member], count: int,
                  horizon: int, qbrs: tuple[int, ...], notes: tuple[Any, ...], business_units: tuple[str, ...]) -> None:
        interactions, participants = interactions_for(
            rng, account_id=account_id, owner=owner, manager=self.manager_of.get(owner), members=members,
            count=count, horizon=horizon, qbrs=qbrs, notes=notes, business_units=business_units, day=self.day,
            ids=self.ids["I"])
        self.tables["interactions"] += interactions
        self.tables["participants"] += participants

    def _plans(self, account_id: str, offsets: list[int]) -> None:
        for offset in sorted(set(offsets), reverse=True):
            self.tables["plans"].append({"account_id": account_id, "date": self.day(offset)})


_ACTIVE_ODDS = {"budget": (0.75, 0.10), "approver": (0.65, 0.15), "champion": (1.0, 0.0), "veto": (0.65, 0.15),
                "other": (0.55, 0.20)}


def _last_touch(rng: random.Random, group: str, key: bool, young: bool, engaged: bool) -> int | None:
    """Days since an ordinary person's last touch: recent (key people within 24 days), lapsed, or never.
    Accounts where we are weak reach fewer of their people."""
    active, lapsed = _ACTIVE_ODDS[group]
    if not engaged and group != "champion":
        active *= 0.6
    r = rng.random()
    if r < active:
        return rng.randint(1, 24 if key else 30 if young else 45)
    if r < active + lapsed and not young:
        return rng.randint(LAPSED_FROM, 330)
    return None


def _roles(names: random.Random, n: int) -> list[tuple[str, str, str, int, bool, str]]:
    """(title, department, authority, influence, executive, group) for an account's ``n`` people."""
    if n <= 0:
        return []
    champion = (*names.choice(cast.CHAMPION_TITLES), "none", 4, False, "champion")
    if n == 1:
        return [champion]
    title, dept = names.choice(cast.EXEC_BUDGET)
    roles = [(title, dept, "budget", 5 if title.startswith("Chief") else 4, True, "budget"), champion]
    if n >= 3:
        roles.append((*names.choice(cast.EXEC_APPROVER), "approver", 5, True, "approver"))
    if n >= 4 and names.random() < 0.75:
        roles.append((*names.choice(cast.VETO_TITLES), "veto", 3, False, "veto"))
    others = names.sample(cast.OTHER_TITLES, min(n - len(roles), len(cast.OTHER_TITLES)))
    others += [names.choice(cast.OTHER_TITLES) for _ in range(n - len(roles) - len(others))]
    for title, dept in others:
        influence = names.choice((1, 2, 2, 3, 3, 4))
        authority = "approver" if title == "IT Director" and influence >= 3 else "none"
        roles.append((title, dept, authority, influence, False, "other"))
    return roles
