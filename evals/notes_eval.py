"""Extraction eval: meeting notes written against the demo portfolio, scored item by item.

``evals/notes_gold.jsonl`` holds one case per line: the user who writes the note, ``as_of``, the note, an
optional ``account`` argument, and the gold extraction. Each extracted item is compared with the gold:

- ``account``: the account id;
- ``date`` / ``kind``: the interaction's day and kind, counted only where one side differs from the default
  (``as_of``, a meeting), so the defaults do not pad the score;
- ``participants``: known stakeholder ids, or new people by name; ``new_titles``: a new person's title;
- ``sentiment``: (person, value) for every non-zero sentiment on either side;
- ``commitments``: side, owner (the writing user for ours; a stakeholder id, ``new:<name>`` or none for the
  customer's), due date and a description that says the same thing (fuzzy match), all four at once;
- ``changes``: (stakeholder, left_company | title_change, new title);
- ``questions``: each gold question is a word or phrase that one of the extractor's questions must contain.

Run ``python -m evals.notes_eval`` (or ``run()`` from the eval runner) for precision, recall and F1 per item
type and over all items.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from tools.notes.extract import Extractor, OfflineExtractor
from tools.notes.schema import KnownAccount, KnownPerson, NoteExtraction
from tools.notes.validate import validate

GOLD_PATH = Path(__file__).with_name("notes_gold.jsonl")
ITEM_TYPES = ("account", "date", "kind", "participants", "new_titles", "sentiment", "commitments", "changes",
              "questions")
DEMO_AS_OF = dt.date(2026, 11, 22)
_DESCRIPTION_MATCH = 60.0

Counts = tuple[int, int, int]


def load_gold(path: Path = GOLD_PATH) -> list[dict[str, Any]]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name}:{number}: not valid JSON: {exc}") from exc
    return cases


def score_extraction(gold: dict[str, Any], predicted: NoteExtraction) -> dict[str, Counts]:
    """(tp, fp, fn) per item type for one case: ``gold`` is a line of the gold file (with its ``user`` and
    ``as_of``), ``predicted`` the validated extraction."""
    as_of = dt.date.fromisoformat(gold["as_of"])
    user = gold["user"]
    g = gold["gold"]
    out: dict[str, Counts] = {}

    out["account"] = _sets({g["account_id"]} - {None}, {predicted.account.id} if predicted.account else set())
    gold_date = dt.date.fromisoformat(g["date"]) if g.get("date") else as_of
    pred_date = predicted.interaction_date(as_of)
    out["date"] = _sets({gold_date} - {as_of}, {pred_date} - {as_of})
    out["kind"] = _sets({g.get("kind", "meeting")} - {"meeting"}, {predicted.interaction_kind()} - {"meeting"})

    gold_people = {_gold_key(p): p for p in g.get("participants", [])}
    pred_people = {_pred_key(p.stakeholder_id, p.name): p for p in predicted.participants}
    out["participants"] = _sets(set(gold_people), set(pred_people))
    out["new_titles"] = _sets(
        {(k, _norm(p.get("title"))) for k, p in gold_people.items() if "new" in p and p.get("title")},
        {(k, _norm(p.title)) for k, p in pred_people.items() if p.is_new and p.title},
    )
    out["sentiment"] = _sets(
        {(k, p.get("sentiment", 0)) for k, p in gold_people.items() if p.get("sentiment", 0)},
        {(k, p.sentiment) for k, p in pred_people.items() if p.sentiment},
    )
    out["commitments"] = _commitments(g.get("commitments", []), predicted, user)
    out["changes"] = _sets(
        {(c["stakeholder_id"], c["kind"], _norm(c.get("new_title"))) for c in g.get("changes", [])},
        {(c.stakeholder_id, c.kind, _norm(c.new_title)) for c in predicted.changes},
    )
    out["questions"] = _questions(g.get("questions", []), predicted.questions)
    return out


def _sets(gold: set[Any], pred: set[Any]) -> Counts:
    return len(gold & pred), len(pred - gold), len(gold - pred)


def _norm(text: str | None) -> str | None:
    return " ".join(text.casefold().split()) if text else None


def _gold_key(person: dict[str, Any]) -> str:
    return person.get("stakeholder_id") or "new:" + str(person["new"]).casefold()


def _pred_key(stakeholder_id: str | None, name: str) -> str:
    return stakeholder_id or "new:" + name.casefold()


def _commitments(gold: list[dict[str, Any]], predicted: NoteExtraction, user: str) -> Counts:
    pred = [
        {
            "side": c.side,
            "owner": user if c.side == "ours" else (c.owner or (f"new:{c.owner_name.casefold()}" if c.owner_name
                                                                   else None)),
            "due": c.due.isoformat() if c.due else None,
            "description": c.description,
        }
        for c in predicted.commitments
    ]
    unmatched = list(range(len(pred)))
    tp = 0
    for want in gold:
        owner = want.get("owner")
        owner = owner.casefold() if isinstance(owner, str) and owner.startswith("new:") else owner
        for i in unmatched:
            have = pred[i]
            same = (have["side"] == want["side"] and have["owner"] == owner and have["due"] == want.get("due")
                    and fuzz.token_set_ratio(have["description"].lower(), want["description"].lower())
                    >= _DESCRIPTION_MATCH)
            if same:
                unmatched.remove(i)
                tp += 1
                break
    return tp, len(unmatched), len(gold) - tp


def _questions(needles: list[str], asked: list[str]) -> Counts:
    found = {n for n in needles if any(n.casefold() in q.casefold() for q in asked)}
    answered = [q for q in asked if any(n.casefold() in q.casefold() for n in needles)]
    return len(found), len(asked) - len(answered), len(needles) - len(found)


def demo_scope(as_of: dt.date = DEMO_AS_OF) -> dict[str, tuple[list[KnownAccount], list[KnownPerson]]]:
    """Per demo user, the accounts they see (SPEC 9) and those accounts' people, from the demo portfolio."""
    from store.demo import generate_portfolio

    tables = generate_portfolio(as_of=as_of).tables
    users = {u["id"]: u for u in tables["users"]}
    reports: dict[str, list[str]] = {}
    for u in users.values():
        if u.get("manager_id"):
            reports.setdefault(u["manager_id"], []).append(u["id"])

    def team(uid: str) -> set[str]:
        seen, stack = {uid}, [uid]
        while stack:
            for child in reports.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    out = {}
    for uid, u in users.items():
        owners = None if u["role"] == "admin" else team(uid) if u["role"] == "manager" else {uid}
        accounts = [KnownAccount(a["id"], a["name"]) for a in tables["accounts"]
                    if owners is None or a["owner_id"] in owners]
        ids = {a.id for a in accounts}
        people = [KnownPerson(s["id"], s["name"], s["account_id"], s.get("title") or None)
                  for s in tables["stakeholders"] if s["account_id"] in ids]
        out[uid] = (accounts, people)
    return out


def run(extractor: Extractor | None = None, cases: Iterable[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Extract every gold note with ``extractor`` (default: offline), validate, score; figures and failures."""
    extractor = extractor or OfflineExtractor()
    cases = list(cases) if cases is not None else load_gold()
    scopes = demo_scope()
    totals = {t: [0, 0, 0] for t in ITEM_TYPES}
    failures = []
    for case in cases:
        accounts, people = scopes[case["user"]]
        as_of = dt.date.fromisoformat(case["as_of"])
        account_id = _account_arg(case.get("account"), accounts)
        raw = extractor.extract(case["text"], as_of=as_of, people=people, accounts=accounts, account_id=account_id)
        predicted, _ = validate(raw, text=case["text"], as_of=as_of, people=people, accounts=accounts,
                                account_id=account_id)
        scores = score_extraction(case, predicted)
        wrong = {t: s for t, s in scores.items() if s[1] or s[2]}
        if wrong:
            failures.append({"id": case["id"], "wrong": wrong})
        for t, (tp, fp, fn) in scores.items():
            totals[t][0] += tp
            totals[t][1] += fp
            totals[t][2] += fn
    per_type = {t: _prf(*v) for t, v in totals.items()}
    tp, fp, fn = (sum(v[i] for v in totals.values()) for i in range(3))
    return {"cases": len(cases), "extractor": getattr(extractor, "name", type(extractor).__name__),
            "per_type": per_type, **_prf(tp, fp, fn), "failures": failures}


def _account_arg(ref: str | None, accounts: list[KnownAccount]) -> str | None:
    if not ref:
        return None
    matches = [a.id for a in accounts if a.id == ref or ref.casefold() in a.name.casefold()]
    return matches[0] if len(matches) == 1 else None


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3), "recall": round(recall, 3),
            "f1": round(f1, 3)}


def main(argv: list[str] | None = None) -> int:
    verbose = "-v" in (argv if argv is not None else sys.argv[1:])
    report = run()
    print(f"note extraction eval: {report['cases']} notes, extractor {report['extractor']}")
    print(f"{'item':<14}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'f1':>7}")
    for t, r in report["per_type"].items():
        print(f"{t:<14}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}{r['precision']:>11.3f}{r['recall']:>8.3f}{r['f1']:>7.3f}")
    print(f"{'overall':<14}{report['tp']:>5}{report['fp']:>5}{report['fn']:>5}{report['precision']:>11.3f}"
          f"{report['recall']:>8.3f}{report['f1']:>7.3f}")
    if verbose:
        for failure in report["failures"]:
            print(f"  {failure['id']}: {failure['wrong']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
