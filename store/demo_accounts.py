"""Figures for the demo's ordinary accounts: revenue, margin, wallet, cost to serve, growth target and
judgment scores, shaped so the matrix looks like a real book rather than noise.

Each ordinary account gets a profile (the quadrant its owner would expect it in): few Strategic Growth,
more Develop and Defend, most Maintain/Exit. The profile steers the inputs (higher revenue, margin and
growth potential for the attractive ones; a larger share of wallet, better competitive position and
more engaged people for the strong ones), never the result: the scoring tools compute the quadrant.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

PROFILES = ("strategic_growth", "develop", "defend", "maintain_exit")
_CORE_MIX = (1, 9, 9, 13)  # ordinary scored accounts of the default 40, per profile
_LARGE_WEIGHTS = (0.10, 0.28, 0.28, 0.34)


@dataclass(frozen=True)
class Profile:
    name: str
    revenue: float

    @property
    def attractive(self) -> bool:
        return self.name in ("strategic_growth", "develop")

    @property
    def strong(self) -> bool:
        return self.name in ("strategic_growth", "defend")


def core_profiles(seed: int, scored: list[int], young: list[int], taken: set[float]) -> dict[int, Profile]:
    """Profiles for the ordinary accounts of the default book: the mix above, with the larger revenues
    going to the attractive ones. Revenues are unique (and differ from ``taken``): no ties in the demo."""
    rng = random.Random(f"{seed}:profiles")
    mix = [name for name, count in zip(PROFILES, _CORE_MIX, strict=True) for _ in range(count)]
    while len(mix) < len(scored):
        mix.append("maintain_exit")
    mix = mix[: len(scored)]
    rng.shuffle(mix)
    revenues: list[float] = []
    for _ in range(len(scored) + len(young)):
        value = round(min(3_300_000, max(120_000, math.exp(rng.gauss(math.log(850_000), 0.7)))) / 5_000) * 5_000.0
        while value in taken:
            value += 5_000
        taken.add(value)
        revenues.append(value)
    revenues.sort(reverse=True)
    n_attractive = sum(1 for name in mix if name in ("strategic_growth", "develop"))
    high, low = revenues[:n_attractive], revenues[n_attractive:]
    rng.shuffle(high)
    rng.shuffle(low)
    profiles: dict[int, Profile] = {}
    for index, name in zip(scored, mix, strict=True):
        pool = high if name in ("strategic_growth", "develop") else low
        profiles[index] = Profile(name, pool.pop())
    for index in young:
        profiles[index] = Profile("develop", low.pop())
    return profiles


def large_profile(rng: random.Random) -> Profile:
    """A profile for an account beyond the default 40 (revenue drawn freely; ties are possible but rare)."""
    name = rng.choices(PROFILES, _LARGE_WEIGHTS)[0]
    scale = 1.8 if name in ("strategic_growth", "develop") else 1.0
    revenue = float(round(min(25_000_000, max(50_000, scale * math.exp(rng.gauss(math.log(700_000), 0.8)))), -3))
    return Profile(name, revenue)


def _pick(rng: random.Random, high: bool) -> int:
    return rng.choice((3, 4, 4, 5) if high else (1, 2, 2, 3))


def figures(rng: random.Random, profile: Profile, *, bias: float, young: bool) -> dict[str, float | int | None]:
    """The account's economics and judgment scores; ``bias`` is the scorer's habit (0 for a fair scorer)."""
    revenue = profile.revenue
    margin = rng.gauss(36, 6) if profile.attractive else rng.gauss(20, 6)
    wallet_factor = rng.uniform(1.5, 3.2) if profile.strong else rng.uniform(4.5, 9.0)
    judgment: list[int | None] = [
        _pick(rng, profile.attractive), _pick(rng, profile.attractive),
        _pick(rng, profile.strong), _pick(rng, profile.strong),
    ]
    judgment = [None if v is None else max(1, min(5, round(v + bias))) for v in judgment]
    if young:
        judgment = [None, None, None, None]
    return {
        "annual_revenue": revenue,
        "gross_margin_pct": round(max(6.0, min(55.0, margin)) * 2) / 2,
        "wallet_estimate": None if young else round(revenue * wallet_factor / 10_000) * 10_000.0,
        "cost_to_serve": round(revenue * rng.uniform(0.04, 0.16) / 1_000) * 1_000.0,
        "growth_target": round(revenue * rng.uniform(0.12, 0.3) / 5_000) * 5_000.0,
        "growth_potential": judgment[0],
        "strategic_fit": judgment[1],
        "competitive_position": judgment[2],
        "propensity_to_partner": judgment[3],
    }
