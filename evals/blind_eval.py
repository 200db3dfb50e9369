"""The blind eval: requests, notes and multi-turn threads written by someone who never read the planner,
the extractor or the project's own eval sets, run through the agent as a user would type them.

The set lives in ``evals/blind/`` (its README says who wrote it and the formats). It is never tuned on: a
blind case that fails is fixed only by a general mechanism, and the files are never edited to pass.

Figures, each over the whole agent turn (not the extractor alone) on a fresh demo store:

- requests: the right tool (any of a list, when the writer allowed several) and, where expected, the right
  arguments (accounts compared as ids, whatever name reached the tool);
- notes: whether the note was understood as a note at all (a proposal, or a question when the writer wanted
  one); participants + sentiment sign and commitments (side + due) precision / recall / F1 on the proposal,
  and again on the record stored after confirming it; whether every ambiguous person, unknown company and
  unreadable date got a question and nothing was stored;
- threads: the share that end with the record the writer meant (and the commitment states they meant).

``python -m evals.blind_eval [--part requests|notes|threads|all] [--json] [-v]``; ``kam eval --blind``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.record_scores import mood_breakdown, prf

BLIND_DIR = Path(__file__).with_name("blind")
PARTS = ("requests", "notes", "threads")
_SIDES = {"theirs": "customer", "customer": "customer", "ours": "ours"}


def load(part: str, directory: Path = BLIND_DIR) -> list[dict[str, Any]]:
    """The cases of one part, in file order; a malformed line names its file and line."""
    path = directory / f"{part}.jsonl"
    cases: list[dict[str, Any]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name}:{number}: not JSON: {exc}") from exc
        if not isinstance(case, dict) or not case.get("id") or not case.get("user"):
            raise ValueError(f"{path.name}:{number}: each line is an object with an id and a user")
        cases.append(case)
    return cases


# -- comparing records -------------------------------------------------------------------------------------


@dataclass
class Record:
    """A note record in the shape both the gold and the agent's output are reduced to."""

    account_id: str | None = None
    date: str | None = None
    participants: set[tuple[str, int]] = field(default_factory=set)  # (stakeholder id or new:name, sign)
    commitments: Counter[tuple[str, str | None]] = field(default_factory=Counter)  # (side, due)
    changes: set[tuple[str, str]] = field(default_factory=set)  # (stakeholder id, kind)


def _sign(value: Any) -> int:
    number = int(value or 0)
    return (number > 0) - (number < 0)


def gold_record(gold: dict[str, Any]) -> Record:
    # a new person is written "name" (as the proposal's JSON names them) or "new" (as evals/notes_gold.jsonl does)
    people = {(p.get("stakeholder_id") or "new:" + str(p.get("name") or p.get("new") or "").casefold().strip(),
               _sign(p.get("sentiment")))
              for p in gold.get("participants", [])}
    commitments = Counter((_SIDES.get(c.get("side", "ours"), c.get("side")), c.get("due"))
                          for c in gold.get("commitments", []))
    changes = {(c["stakeholder_id"], c.get("kind") or c.get("type")) for c in gold.get("changes", [])
               if c.get("stakeholder_id")}
    return Record(gold.get("account_id"), gold.get("date"), people, commitments, changes)


def proposal_record(proposal: dict[str, Any]) -> Record:
    """The record a pending proposal (``pending_confirmation`` / ``log_note``'s JSON) would store."""
    people = {(p.get("stakeholder_id") or "new:" + str(p.get("name", "")).casefold().strip(), _sign(p.get("sentiment")))
              for p in proposal.get("participants", [])}
    commitments = Counter((_SIDES.get(c.get("side", "ours"), c.get("side")), c.get("due"))
                          for c in proposal.get("commitments", []))
    changes = {(c["stakeholder_id"], c["kind"]) for c in proposal.get("changes", []) if c.get("stakeholder_id")}
    date = proposal.get("interaction_date")
    return Record(proposal.get("account_id"), str(date) if date else None, people, commitments, changes)


def stored_record(db: Any, interaction_id: str, imported: set[str]) -> Record | None:
    """The record as it stands in the store (None when it is not there: never stored, or undone). A person
    not in ``imported`` (the demo's stakeholder ids) was created by the note, and is compared by name."""
    from sqlmodel import select

    from store.models import Commitment, Interaction, Participant, Stakeholder

    with db.session() as session:
        interaction = session.get(Interaction, interaction_id)
        if interaction is None:
            return None
        people: set[tuple[str, int]] = set()
        for row in session.exec(select(Participant).where(Participant.interaction_id == interaction_id)):
            person = session.get(Stakeholder, row.stakeholder_id)
            created_here = person is not None and person.id not in imported
            key = "new:" + person.name.casefold().strip() if created_here and person else row.stakeholder_id
            people.add((key, _sign(row.sentiment)))
        commitments = Counter(
            (c.side, c.due.isoformat() if c.due else None)
            for c in session.exec(select(Commitment).where(Commitment.source_interaction_id == interaction_id))
        )
    return Record(interaction.account_id, interaction.date.isoformat(), people, commitments)


def same_record(want: Record, have: Record | None) -> bool:
    return (have is not None and want.account_id == have.account_id and want.date == have.date
            and want.participants == have.participants and want.commitments == have.commitments)


# -- running turns -----------------------------------------------------------------------------------------


@dataclass
class Turn:
    reply: str
    tools: list[str]
    pending: dict[str, Any] | None
    stored_ids: list[str]
    calls: list[Any]

    @property
    def kind(self) -> str:
        """What the turn did, as the blind set's ``expect`` words name it."""
        if self.stored_ids:
            return "stored"
        if self.pending is not None:
            return "proposal"
        if any(n == "cancel_note" for n in self.tools):
            return "cancelled"
        if "?" in self.reply and not any(n != "log_note" for n in self.tools):
            return "question"
        return "answer"


class Session:
    """One demo store and the agent over it; ``say`` runs a turn for a user in a thread."""

    def __init__(self, runtime: Any, as_of: dt.date) -> None:
        self.runtime = runtime
        self.as_of = as_of
        self.agent = runtime.agent()
        self._users: dict[str, Any] = {}
        self._run = uuid.uuid4().hex[:8]
        self.imported = _stakeholder_ids(runtime)

    def user(self, user_id: str) -> Any:
        from store.models import User

        if user_id not in self._users:
            with self.runtime.db.session() as session:
                user = session.get(User, user_id)
            if user is None:
                raise ValueError(f"no user {user_id!r} in the demo store")
            self._users[user_id] = user
        return self._users[user_id]

    def say(self, user_id: str, message: str, thread: str, as_of: dt.date | None = None) -> Turn:
        response = self.agent.turn(self.user(user_id), message, thread_id=f"blind-{self._run}-{thread}",
                                   as_of=as_of or self.as_of)
        stored = [str(c.result["interaction_id"]) for c in response.tool_calls
                  if c.ok and isinstance(c.result, dict) and c.result.get("interaction_id")
                  and c.result.get("status") == "stored"]
        return Turn(reply=response.reply, tools=[c.name for c in response.tool_calls],
                    pending=response.pending_confirmation, stored_ids=stored, calls=response.tool_calls)


# -- requests ----------------------------------------------------------------------------------------------


def run_requests(session: Session, cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    from evals.runner import _Accounts, compare_args

    accounts = _Accounts(session.runtime, session.as_of)
    right_tool = right_all = 0
    failures = []
    for case in cases:
        turn = session.say(case["user"], case["message"], case["id"], _day(case.get("as_of"), session.as_of))
        first = turn.calls[0] if turn.calls else None
        tool = first.name if first else None
        wanted = case.get("tool")
        allowed = set(wanted) if isinstance(wanted, list) else {wanted}
        # Expecting no tool: a question back, or a refusal (a call that failed, e.g. an account out of scope).
        tool_ok = tool in allowed if wanted is not None else not any(c.ok for c in turn.calls)
        problems: list[str] = []
        if tool_ok and first is not None and wanted is not None:
            result = first.result if isinstance(first.result, dict) else {}
            problems = compare_args(_loose(case.get("args") or {}), _loose(dict(first.args or {})),
                                    accounts.resolver(case["user"], result))
        right_tool += tool_ok
        right_all += tool_ok and not problems
        if not (tool_ok and not problems):
            failures.append({"id": case["id"], "message": case["message"], "expected": wanted,
                             "expected_args": case.get("args"), "tool": tool,
                             "args": dict(first.args or {}) if first else {}, "problems": problems,
                             "reply": turn.reply[:160]})
    n = len(cases)
    return {"cases": n, "tool_accuracy": _rate(right_tool, n), "tool_and_args_accuracy": _rate(right_all, n),
            "failures": failures}


def _loose(args: dict[str, Any]) -> dict[str, Any]:
    """Ids and scope words compared without case (``c0075`` names the same commitment as ``C0075``); a set may
    spell the commitment's argument ``commitment_id`` (the commitment tools are not in the SPEC's table)."""
    named = {("commitment" if k == "commitment_id" else k): v for k, v in args.items()}
    return {k: (v.upper() if k == "commitment" and isinstance(v, str) else v) for k, v in named.items()}


# -- notes -------------------------------------------------------------------------------------------------


def run_notes(session: Session, cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    understood = asked_right = asked_total = 0
    proposal_people, proposal_commitments = [], []
    stored_people, stored_commitments = [], []
    failures = []
    for case in cases:
        as_of = _day(case.get("as_of"), session.as_of)
        gold = case["gold"]
        want = gold_record(gold)
        turn = session.say(case["user"], case["text"], case["id"], as_of)
        if case.get("expect") == "question":
            asked_total += 1
            needles = [n.casefold() for n in gold.get("questions", [])]
            ok = (turn.kind == "question" and not turn.stored_ids
                  and all(n in turn.reply.casefold() for n in needles))
            asked_right += ok
            understood += turn.kind in ("question", "proposal")
            if not ok:
                failures.append({"id": case["id"], "expect": "question", "got": turn.kind,
                                 "needles": gold.get("questions"), "reply": turn.reply[:200]})
            continue
        understood += turn.kind == "proposal"
        have = proposal_record(turn.pending) if turn.pending is not None else Record()
        proposal_people.append((Counter(want.participants), Counter(have.participants)))
        proposal_commitments.append((want.commitments, have.commitments))
        stored: Record | None = None
        if turn.pending is not None:
            confirm = session.say(case["user"], "confirm", case["id"], as_of)
            if confirm.stored_ids:
                stored = stored_record(session.runtime.db, confirm.stored_ids[0], session.imported)
        got = stored or Record()
        stored_people.append((Counter(want.participants), Counter(got.participants)))
        stored_commitments.append((want.commitments, got.commitments))
        if not same_record(want, stored):
            failures.append({"id": case["id"], "expect": "proposal", "got": turn.kind,
                             "want": _show(want), "stored": _show(stored) if stored else None,
                             "reply": turn.reply[:200]})
    n = len(cases)
    return {
        "cases": n,
        "understood": _rate(understood, n),
        "questions_asked": f"{asked_right} of {asked_total}",
        "proposal": {"participants_sentiment": prf(proposal_people), "commitments_side_due": prf(proposal_commitments),
                     "breakdown": mood_breakdown(proposal_people)},
        "stored": {"participants_sentiment": prf(stored_people), "commitments_side_due": prf(stored_commitments)},
        "failures": failures,
    }


# -- threads -----------------------------------------------------------------------------------------------


def run_threads(session: Session, cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    from store.models import Commitment

    good = turns_right = turns_total = 0
    failures = []
    for case in cases:
        as_of = _day(case.get("as_of"), session.as_of)
        stored_ids: list[str] = []
        kinds: list[str] = []
        for step in case["turns"]:
            turn = session.say(case["user"], step["message"], case["id"], as_of)
            stored_ids += turn.stored_ids
            kinds.append(turn.kind)
            expected = step.get("expect")
            turns_total += 1
            turns_right += (expected == turn.kind or (expected == "revised" and turn.kind == "proposal")
                            or (expected == "tool" and turn.kind == "answer"))
        final = case.get("final") or {}
        # the record meant: ``stored`` itself, or ``stored: true`` with the record under ``gold``
        want = final.get("gold") if isinstance(final.get("stored"), bool) and final["stored"] else final.get("stored")
        records = (stored_record(session.runtime.db, i, session.imported) for i in reversed(stored_ids))
        have = next((r for r in records if r), None)
        ok = same_record(gold_record(want), have) if want else have is None
        with session.runtime.db.session() as s:
            for cid, status in (final.get("commitment_status") or {}).items():
                row = s.get(Commitment, cid)
                state = None if row is None else ("snoozed" if row.status == "open" and row.snoozed_until
                                                  and row.snoozed_until > as_of else row.status)
                # "open" is the stored status, which a snooze keeps; "snoozed" asks for the snooze itself.
                ok = ok and (state == status or (status == "open" and row is not None and row.status == "open"))
        good += ok
        if not ok:
            failures.append({"id": case["id"], "turns": [t["message"] for t in case["turns"]], "kinds": kinds,
                             "expected": [t.get("expect") for t in case["turns"]],
                             "want": _show(gold_record(want)) if want else None,
                             "stored": _show(have) if have else None})
    n = len(cases)
    return {"cases": n, "threads_right": _rate(good, n), "turns_right": _rate(turns_right, turns_total),
            "failures": failures}


# -- the run -----------------------------------------------------------------------------------------------


RUNNERS: dict[str, Callable[[Session, Sequence[dict[str, Any]]], dict[str, Any]]] = {
    "requests": run_requests, "notes": run_notes, "threads": run_threads,
}


def run(parts: Sequence[str] = PARTS, *, settings: Any = None, directory: Path = BLIND_DIR) -> dict[str, Any]:
    """Each part on its own fresh demo store (writes of one part never change another's answers)."""
    from evals.fixtures import DEMO_AS_OF, fresh_demo_store, remove_store
    from integrations.runtime import Runtime
    from store.settings import Settings

    result: dict[str, Any] = {"set": directory.name, "as_of": DEMO_AS_OF.isoformat()}
    if len(parts) > 1:  # "all" means every part the set has; a part asked for by name must exist
        parts = [part for part in parts if (directory / f"{part}.jsonl").exists()]
    for part in parts:
        store = fresh_demo_store(base=settings or Settings())
        runtime = Runtime.build(store.settings)
        try:
            result[part] = RUNNERS[part](Session(runtime, DEMO_AS_OF), load(part, directory))
        finally:
            runtime.close()
            remove_store(store)
    return result


def _stakeholder_ids(runtime: Any) -> set[str]:
    from sqlmodel import select

    from store.models import Stakeholder

    with runtime.db.session() as session:
        return set(session.exec(select(Stakeholder.id)))


def _day(value: Any, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else default


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _show(record: Record) -> dict[str, Any]:
    return {"account": record.account_id, "date": record.date, "people": sorted(record.participants),
            "commitments": sorted(record.commitments.elements(), key=str)}


def format_report(result: dict[str, Any], verbose: bool = False) -> str:
    lines = [f"{result.get('set', 'blind')} eval (as of {result['as_of']})"]
    if "requests" in result:
        r = result["requests"]
        lines.append(f"requests: {r['cases']}: right tool {_pct(r['tool_accuracy'])}, "
                     f"right tool and arguments {_pct(r['tool_and_args_accuracy'])}")
    if "notes" in result:
        r = result["notes"]
        lines.append(f"notes: {r['cases']}: understood as a note {_pct(r['understood'])}; "
                     f"questions asked where needed {r['questions_asked']}")
        for stage in ("proposal", "stored"):
            ps, cs = r[stage]["participants_sentiment"], r[stage]["commitments_side_due"]
            lines.append(f"  {stage:<8} participants+sentiment P/R/F1 {ps['precision']:.3f}/{ps['recall']:.3f}/"
                         f"{ps['f1']:.3f}   commitments side+due P/R/F1 {cs['precision']:.3f}/{cs['recall']:.3f}/"
                         f"{cs['f1']:.3f}")
        breakdown = r["proposal"].get("breakdown")
        if breakdown:
            pp = breakdown["people"]
            mistakes = ", ".join(f"{pair} {n}" for pair, n in breakdown["confusion"].items() if pair[:2] != pair[3:])
            lines.append(f"  people whatever their mood P/R/F1 {pp['precision']:.3f}/{pp['recall']:.3f}/"
                         f"{pp['f1']:.3f}; "
                         f"mood sign right for {breakdown['mood_right']} of {breakdown['mood_of']} found"
                         f" (gold>got: {mistakes or 'none'})")
    if "threads" in result:
        r = result["threads"]
        lines.append(f"threads: {r['cases']}: end with the record meant {_pct(r['threads_right'])}; "
                     f"turns as expected {_pct(r['turns_right'])}")
    if verbose:
        for part in PARTS:
            for failure in (result.get(part) or {}).get("failures", []):
                lines.append(f"- {part} {json.dumps(failure, default=str)}")
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.blind_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=[*PARTS, "all"], default="all")
    parser.add_argument("--json", action="store_true", dest="as_json")
    parser.add_argument("-v", action="store_true", dest="verbose", help="list every failure")
    parser.add_argument("--dir", type=Path, default=BLIND_DIR,
                        help="another set in the same formats, e.g. evals/wild (the tuning set)")
    ns = parser.parse_args(argv)
    result = run(PARTS if ns.part == "all" else (ns.part,), directory=ns.dir)
    print(json.dumps(result, indent=2, default=str) if ns.as_json else format_report(result, ns.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
