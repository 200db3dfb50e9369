"""Builds the labelled note set of the retrieval eval: ``notes_corpus.jsonl`` and ``notes_queries.jsonl``.

Run once (``python -m evals.retrieval.make_note_set``); the two files are committed and the eval reads
them. Each note is written from a bank of hand-written sentences for its topic, product, competitor and
people, with paraphrases that often share no word with the queries. Every query is labelled by the facts
it asks about (person, topic, product, competitor, account): the relevant notes are the notes whose facts
match, so the labels do not depend on any ranking.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SEED = 20260401
N_NOTES = 360

REPS = {"u-riley": "Riley Chen", "u-sam": "Sam Ortiz", "u-kim": "Kim Novak"}
ACCOUNTS = {
    "acme": ("Acme Corp", "u-riley"),
    "globex": ("Globex", "u-sam"),
    "initech": ("Initech", "u-riley"),
    "umbrella": ("Umbrella Health", "u-kim"),
    "stark": ("Stark Logistics", "u-sam"),
    "wayne": ("Wayne Foods", "u-kim"),
    "tyrell": ("Tyrell Biotech", "u-riley"),
    "soylent": ("Soylent Retail", "u-sam"),
    "hooli": ("Hooli Media", "u-kim"),
    "vandelay": ("Vandelay Imports", "u-riley"),
}
# Shared first names across accounts on purpose (two Danas, two Priyas, two Marcos).
PEOPLE = {
    "acme": [("Dana Reyes", "CFO"), ("Tom Becker", "IT Director"), ("Priya Shah", "Head of Procurement")],
    "globex": [("Dana Whitfield", "VP Procurement"), ("Lars Eriksen", "CIO"), ("Mei Tanaka", "Ops Manager")],
    "initech": [("Bill Lumbergh", "VP Operations"), ("Joanna Park", "Security Lead")],
    "umbrella": [("Alice Moreau", "CISO"), ("Marco Rossi", "CFO"), ("Ngozi Okafor", "Clinical IT Lead")],
    "stark": [("Pepper Hill", "COO"), ("Happy Diaz", "Fleet Manager"), ("Priya Nair", "Finance Director")],
    "wayne": [("Lucius Fox", "CTO"), ("Selina Kyle", "Procurement Lead")],
    "tyrell": [("Rachael Sato", "Head of Research IT"), ("Marco Bianchi", "Lab Operations")],
    "soylent": [("Harriet Cole", "CEO"), ("Omar Haddad", "Store Systems Manager")],
    "hooli": [("Gavin Belson", "CEO"), ("Monica Hall", "VP Engineering")],
    "vandelay": [("Art Vandelay", "Owner"), ("George Costa", "Buyer")],
}
PRODUCTS = ["Sentinel EDR", "Analytics Suite", "FleetTrack", "Payroll Cloud", "DataVault"]
COMPETITORS = ["Vortex", "Nimbus", "Corvid"]
TOPICS = ["pricing", "renewal", "onboarding", "outage", "security", "expansion", "competitor", "sponsor"]

# {first}: a participant's first name, {product}, {competitor}. Several phrasings per topic, some with no
# topic keyword at all, as reps write.
BANK: dict[str, list[str]] = {
    "pricing": [
        "{first} said the quote for {product} is well above what finance budgeted.",
        "{first} pushed back hard on price and asked for a discount on {product}.",
        "Cost is the blocker: {first} thinks {product} is too expensive for next year.",
        "{first} wants a cheaper tier of {product} before signing anything.",
    ],
    "renewal": [
        "{first} confirmed the {product} contract comes up for renewal in the autumn.",
        "Talked through extending the {product} agreement for three more years with {first}.",
        "{first} is not sure they will re-sign {product} when the term ends.",
    ],
    "onboarding": [
        "Kicked off the {product} rollout with {first}; training for the first site is booked.",
        "{first} says adoption of {product} is slow and users need more training.",
        "Go-live of {product} slipped two weeks; {first} wants a revised onboarding plan.",
    ],
    "outage": [
        "{first} escalated the {product} outage on Monday; the support ticket sat for two days.",
        "Downtime in {product} hit the night shift; {first} wants a root cause report.",
        "{first} was angry about the incident and the slow response from our support desk.",
    ],
    "security": [
        "{first} sent the security questionnaire for {product}; pen test results are needed.",
        "Compliance review of {product}: {first} asked about data residency and SOC 2.",
        "{first} needs the audit evidence for {product} before legal will approve.",
    ],
    "expansion": [
        "{first} wants {product} for two more business units next quarter.",
        "Upsell opportunity: {first} asked about adding {product} across the plants.",
        "{first} is looking to roll {product} out to the whole group, not just one division.",
    ],
    "competitor": [
        "{first} is evaluating {competitor} as an alternative to {product}.",
        "{competitor} ran a demo for {first}'s team and undercut us on {product}.",
        "{first} mentioned {competitor} offered a free pilot against our {product}.",
    ],
    "sponsor": [
        "{first} agreed to act as executive sponsor for the {product} programme.",
        "Met {first} one on one; strong sponsor support for {product} at board level.",
        "{first} will champion {product} internally and introduce us to the leadership team.",
    ],
}
FILLER = [
    "Next step: send a summary and book the follow-up.",
    "Action: share the updated timeline by Friday.",
    "We agreed to meet again after the quarter close.",
    "",
    "",
]


def _notes(rng: random.Random) -> list[dict[str, Any]]:
    notes = []
    start = dt.date(2025, 10, 1)
    for n in range(N_NOTES):
        account = rng.choice(list(ACCOUNTS))
        people = PEOPLE[account]
        picked = rng.sample(people, k=1 if rng.random() < 0.7 else min(2, len(people)))
        topic = rng.choice(TOPICS)
        product = rng.choice(PRODUCTS)
        competitor = rng.choice(COMPETITORS) if topic == "competitor" else None
        first = picked[0][0].split()[0]
        text = rng.choice(BANK[topic]).format(first=first, product=product, competitor=competitor or "")
        filler = rng.choice(FILLER)
        notes.append(
            {
                "id": f"n{n:04d}",
                "account_id": account,
                "date": (start + dt.timedelta(days=rng.randrange(180))).isoformat(),
                "author_id": ACCOUNTS[account][1],
                "kind": rng.choice(["meeting", "call", "email"]),
                "text": f"{text} {filler}".strip(),
                "participants": [[f"{account}-{people.index(p)}", p[0]] for p in picked],
                "facts": {"topic": topic, "product": product, "competitor": competitor,
                          "people": [p[0] for p in picked]},
            }
        )
    return notes


# (query, facts it asks about, scope): scope "all" or a rep id (that rep's accounts).
QUERIES: list[tuple[str, dict[str, Any], str]] = [
    ("what did Dana Reyes say about pricing of DataVault?",
     {"person": "Dana Reyes", "topic": "pricing", "product": "DataVault"}, "all"),
    ("Dana Whitfield price concerns", {"person": "Dana Whitfield", "topic": "pricing"}, "all"),
    ("what did Dana say about the renewal", {"person": "Dana Reyes", "topic": "renewal"}, "u-riley"),
    ("Lars and the outage", {"person": "Lars Eriksen", "topic": "outage"}, "all"),
    ("Alice Moreau security questionnaire", {"person": "Alice Moreau", "topic": "security"}, "all"),
    ("Marco Rossi budget", {"person": "Marco Rossi", "topic": "pricing"}, "all"),
    ("did Pepper agree to sponsor us", {"person": "Pepper Hill", "topic": "sponsor"}, "u-sam"),
    ("Lucius Fox expansion plans", {"person": "Lucius Fox", "topic": "expansion"}, "all"),
    ("Harriet Cole renewal", {"person": "Harriet Cole", "topic": "renewal"}, "all"),
    ("Gavin Belson competitor", {"person": "Gavin Belson", "topic": "competitor"}, "all"),
    ("what did Monica say about onboarding", {"person": "Monica Hall", "topic": "onboarding"}, "u-kim"),
    ("Sentinel EDR rollout at Vandelay", {"product": "Sentinel EDR", "topic": "onboarding", "account": "vandelay"},
     "all"),
    ("Joanna Park compliance", {"person": "Joanna Park", "topic": "security"}, "all"),
    ("Rachael onboarding training", {"person": "Rachael Sato", "topic": "onboarding"}, "u-riley"),
    ("Priya Shah pricing", {"person": "Priya Shah", "topic": "pricing"}, "all"),
    ("Selina Kyle discount", {"person": "Selina Kyle", "topic": "pricing"}, "all"),
    ("Omar outage at the stores", {"person": "Omar Haddad", "topic": "outage"}, "all"),
    ("Sentinel EDR pen test", {"product": "Sentinel EDR", "topic": "security", "account": "umbrella"}, "all"),
    ("FleetTrack outage at Stark", {"product": "FleetTrack", "topic": "outage", "account": "stark"}, "all"),
    ("Payroll Cloud outage at Initech", {"product": "Payroll Cloud", "topic": "outage", "account": "initech"},
     "all"),
    ("DataVault expansion Stark", {"product": "DataVault", "topic": "expansion", "account": "stark"}, "all"),
    ("Analytics Suite go-live at Umbrella",
     {"product": "Analytics Suite", "topic": "onboarding", "account": "umbrella"}, "all"),
    ("Vortex", {"competitor": "Vortex", "account": "globex"}, "u-sam"),
    ("Nimbus free pilot", {"competitor": "Nimbus", "account": "tyrell"}, "all"),
    ("Corvid undercutting us", {"competitor": "Corvid", "account": "wayne"}, "all"),
    ("is anyone evaluating Vortex at Vandelay", {"competitor": "Vortex", "account": "vandelay"}, "all"),
    ("too expensive Sentinel EDR Hooli", {"product": "Sentinel EDR", "topic": "pricing", "account": "hooli"},
     "all"),
    ("executive sponsor for FleetTrack", {"product": "FleetTrack", "topic": "sponsor", "account": "tyrell"},
     "u-riley"),
    ("slow support response on DataVault at Umbrella",
     {"topic": "outage", "account": "umbrella", "product": "DataVault"}, "u-kim"),
    ("root cause report Wayne Foods", {"topic": "outage", "account": "wayne"}, "all"),
    ("SOC 2 data residency Tyrell", {"topic": "security", "account": "tyrell"}, "all"),
    ("Nimbus at Stark", {"competitor": "Nimbus", "account": "stark"}, "all"),
    ("Art Vandelay on FleetTrack", {"person": "Art Vandelay", "product": "FleetTrack"}, "all"),
    ("Ngozi and Payroll Cloud", {"person": "Ngozi Okafor", "product": "Payroll Cloud"}, "u-kim"),
    ("Happy Diaz Payroll Cloud", {"person": "Happy Diaz", "product": "Payroll Cloud"}, "all"),
    ("Mei Tanaka analytics", {"person": "Mei Tanaka", "product": "Analytics Suite"}, "all"),
    ("George Costa Payroll Cloud", {"person": "George Costa", "product": "Payroll Cloud"}, "all"),
]


def _matches(note: dict[str, Any], want: dict[str, Any]) -> bool:
    facts = note["facts"]
    return (
        ("person" not in want or want["person"] in facts["people"])
        and ("topic" not in want or facts["topic"] == want["topic"])
        and ("product" not in want or facts["product"] == want["product"])
        and ("competitor" not in want or facts["competitor"] == want["competitor"])
        and ("account" not in want or note["account_id"] == want["account"])
    )


def scope_accounts(scope: str) -> list[str]:
    if scope == "all":
        return sorted(ACCOUNTS)
    return sorted(a for a, (_, owner) in ACCOUNTS.items() if owner == scope)


TOPIC_WORDS = {
    "pricing": "price", "renewal": "renewal", "onboarding": "rollout", "outage": "outage",
    "security": "security review", "expansion": "expansion", "competitor": "competition", "sponsor": "sponsor",
}


def _generated_queries(notes: list[dict[str, Any]], rng: random.Random) -> list[tuple[str, dict[str, Any], str]]:
    """More name and product queries, drawn from facts that 1-4 notes share, phrased as reps ask."""
    out: list[tuple[str, dict[str, Any], str]] = []

    def count(want: dict[str, Any]) -> int:
        return sum(_matches(n, want) for n in notes)

    people = sorted({p for n in notes for p in n["facts"]["people"]})
    for person in rng.sample(people, 12):
        product = rng.choice(PRODUCTS)
        want = {"person": person, "product": product}
        if 1 <= count(want) <= 4:
            out.append((rng.choice(["{p} {x}", "what did {p} say about {x}", "{x} with {p}"]).format(
                p=person if rng.random() < 0.6 else person.split()[0] + " " + person.split()[1][0], x=product
            ), want, "all"))
    for account, (name, owner) in sorted(ACCOUNTS.items()):
        product, topic = rng.choice(PRODUCTS), rng.choice(TOPICS)
        want = {"account": account, "product": product, "topic": topic}
        if 1 <= count(want) <= 4:
            out.append((f"{product} {TOPIC_WORDS[topic]} {name}", want, rng.choice(["all", owner])))
    return out


def build() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    notes = _notes(random.Random(SEED))
    queries = []
    for text, want, scope in QUERIES + _generated_queries(notes, random.Random(SEED + 1)):
        accounts = set(scope_accounts(scope))
        relevant = [n["id"] for n in notes if n["account_id"] in accounts and _matches(n, want)]
        if not relevant:
            raise SystemExit(f"query {text!r} has no relevant note; change the seed or the query")
        kind = "name" if "person" in want else "product" if {"product", "competitor"} & set(want) else "topic"
        queries.append({"query": text, "relevant": relevant, "scope": scope, "kind": kind, "facts": want})
    return notes, queries


def main() -> None:
    notes, queries = build()
    with (HERE / "notes_corpus.jsonl").open("w", encoding="utf-8") as f:
        for n in notes:
            f.write(json.dumps(n, ensure_ascii=False) + "\n")
    with (HERE / "notes_queries.jsonl").open("w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    sizes = sorted(len(q["relevant"]) for q in queries)
    print(f"{len(notes)} notes, {len(queries)} queries; relevant per query: min {sizes[0]}, max {sizes[-1]}")


if __name__ == "__main__":
    main()
