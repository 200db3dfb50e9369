"""Believable call-note and commitment texts for the demo portfolio, built from seeded choices.

A note opens with the kind of contact and who took part, then says something concrete (pricing,
budget, renewal, a named product, a competitor, an integration problem, headcount) in the tone of the
main participant's sentiment, and sometimes adds how a second person reacted and a next step.
Dates are never written into the text, so a note reads the same whatever day the demo is built for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from store.demo_cast import COMPETITORS, DOCUMENTS, PRODUCTS

_PRODUCT_NAMES = tuple(name for _, name in PRODUCTS)

_POSITIVE = (
    "{first} confirmed the {product} rollout in {bu} is on schedule and asked about adding {n} more seats.",
    "{first} said usage of {product} is up {pct}% since the last review and wants to show the results to "
    "their leadership team.",
    "{first} is keen to extend {product} to {bu} and asked for a proposal before their budget cycle closes.",
    "{first} expects the renewal to be straightforward and hinted at a multi-year term if pricing stays flat.",
    "{first} introduced us to the {bu} team; they are hiring {n} people this year and will need {product}.",
    "The ERP integration with {product} went live; {first} thanked the team for the weekend cut-over support.",
    "{first} shared that {bu} closed the quarter ahead of plan and credits the {product} dashboards.",
)
_NEUTRAL = (
    "Routine check-in with {first}: no blockers, and renewal paperwork will start next quarter.",
    "{first} asked for a breakdown of {product} licence usage by department before the renewal.",
    "Walked {first} through the {product} roadmap; interested, but wants to see pricing for {bu} first.",
    "{first} mentioned they are also talking to {competitor}, mainly to benchmark pricing.",
    "Reviewed the open support tickets with {first}; two remain and both are minor.",
    "{first} said budget planning for next year starts next month and will share the timeline.",
    "{first} wants to understand how {product} would fit with their data warehouse before committing.",
)
_NEGATIVE = (
    "{first} raised the integration problems between {product} and their warehouse system again; tickets have "
    "been open for {n} weeks.",
    "{first} pushed back on the {pct}% price increase in the renewal quote and said {competitor} offered less.",
    "{first} said budget is tight: finance wants a {pct}% cut across vendors and {product} is on the review list.",
    "{first} complained about slow support responses and asked for a named escalation contact.",
    "{first} told us a headcount freeze in {bu} puts the {n} extra seats of {product} on hold.",
    "{first} is unhappy with the {product} onboarding; the {bu} team stopped using it after two weeks.",
)
_SECOND = {
    1: "{first} was supportive and offered to help with the business case.",
    0: "{first} listened in and asked about data retention.",
    -1: "{first} was sceptical and questioned the ROI.",
}
_NEXT = "Next step: send the {doc} by the end of the week."
_OPENERS = {
    "meeting": "Meeting with {names}.",
    "call": "Call with {names}.",
    "email": "Email exchange with {names}.",
    "qbr": "QBR with {names}: reviewed adoption, support tickets and the plan for next quarter.",
    "demo": "Demo of {product} for {names}.",
}


@dataclass(frozen=True)
class Person:
    """A participant as a note mentions them."""

    name: str
    title: str | None
    sentiment: int | None

    @property
    def first(self) -> str:
        return self.name.split()[0]


def _names(people: list[Person]) -> str:
    shown = [f"{p.name} ({p.title})" if p.title else p.name for p in people]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def note_text(rng: random.Random, kind: str, people: list[Person], business_units: tuple[str, ...]) -> str:
    """A call note of ``kind`` with ``people`` (the first is the main participant)."""
    product = rng.choice(_PRODUCT_NAMES)
    slots = {
        "product": product,
        "bu": rng.choice(business_units),
        "competitor": rng.choice(COMPETITORS),
        "n": rng.choice((3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 40)),
        "pct": rng.choice((5, 7, 8, 10, 12, 15, 20)),
    }
    main = people[0]
    mood = main.sentiment if main.sentiment is not None else 0
    pool = _POSITIVE if mood >= 1 else _NEGATIVE if mood <= -1 else _NEUTRAL
    parts = [_OPENERS[kind].format(names=_names(people), product=product),
             rng.choice(pool).format(first=main.first, **slots)]
    if len(people) > 1:
        other = people[1]
        tone = max(-1, min(1, other.sentiment if other.sentiment is not None else 0))
        parts.append(_SECOND[tone].format(first=other.first))
    if rng.random() < 0.5:
        parts.append(_NEXT.format(doc=rng.choice(DOCUMENTS)))
    return " ".join(parts)


_OURS = (
    "Send the {doc} for {product}",
    "Share the revised pricing proposal for {bu}",
    "Fix the SSO integration issue raised by {bu}",
    "Deliver the {product} usage report",
    "Schedule the executive briefing with our VP of Customer Success",
    "Send reference customer contacts for {product}",
    "Answer the security questionnaire for {product}",
    "Provide the implementation plan for {bu}",
)
_CUSTOMER = (
    "{first} to share last quarter's usage data",
    "{first} to confirm budget for the {product} expansion",
    "{first} to introduce us to the {bu} leadership",
    "{first} to send the signed order form",
    "{first} to provide API credentials for the integration test",
)


def commitment_text(rng: random.Random, side: str, contact: str, business_units: tuple[str, ...]) -> str:
    """A commitment description: ours (a deliverable) or the customer's (``contact`` owes something)."""
    pool = _OURS if side == "ours" else _CUSTOMER
    return rng.choice(pool).format(
        doc=rng.choice(DOCUMENTS), product=rng.choice(_PRODUCT_NAMES), bu=rng.choice(business_units),
        first=contact.split()[0],
    )
