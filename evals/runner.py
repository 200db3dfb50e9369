"""The agent eval: every request of ``evals/requests.jsonl`` through ``Agent.turn``, scored.

Each request runs on the configured backend (the offline planner unless ``KAM_LLM_BASE_URL`` is set) on a
fresh demo store at the demo's fixed date; requests that share a ``thread`` key run in file order in one
conversation thread. Scores:

- tool accuracy: the first tool call's name equals the expected tool, or no tool was called when the
  expected tool is ``null`` (the right answer was a question);
- argument accuracy, over requests that expect a tool: the right tool with every expected argument equal
  (accounts compared as ids, whatever name the model passed; ``query_has`` keywords all in the query);
- per-tool accuracy (by expected tool), model calls and tokens per turn;
- grounding: replies with a number that no tool result of the turn (nor the message) contains;
- note extraction precision / recall / F1 from ``evals.notes_eval``.

``python -m evals.runner [--split dev|test|all] [--max N] [--check] [--json]``; ``kam eval`` is the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.report import format_report

REQUESTS = Path(__file__).with_name("requests.jsonl")
SPLITS = ("dev", "test")
THRESHOLDS = {"tool_accuracy": 0.95, "argument_accuracy": 0.90, "extraction_f1": 0.85}
_ARG_KEYS = {"account", "scope", "status", "window_days", "query_has", "question_has", "owner", "side", "commitment",
             "days", "to"}


def _tools() -> tuple[str, ...]:
    """The tools a request may expect: the agent's own, from the catalogue (never a copy of it)."""
    from tools.registry import agent_tool_specs

    return tuple(spec.name for spec in agent_tool_specs())


class EvalDataError(ValueError):
    """The requests file is malformed; the message names the line and the problem."""


@dataclass(frozen=True)
class EvalRequest:
    id: str
    user: str
    message: str
    tool: str | None
    args: dict[str, Any]
    split: str
    thread: str | None = None
    also: tuple[str, ...] = ()  # other tools that answer the request as well ("tool": [first, *also])


@dataclass
class Outcome:
    """What the agent did with one request, and how it scored."""

    request: EvalRequest
    tool: str | None
    args: dict[str, Any]
    tool_ok: bool
    args_ok: bool
    problems: list[str]
    reply: str
    ungrounded: list[str] = field(default_factory=list)
    model_calls: int = 0
    tokens: int = 0
    seconds: float = 0.0


def load_requests(path: Path = REQUESTS, split: str = "all") -> list[EvalRequest]:
    """The requests of ``split`` (``dev``, ``test`` or ``all``) in file order, validated."""
    if split not in (*SPLITS, "all"):
        raise EvalDataError(f"unknown split {split!r}; use dev, test or all")
    requests: list[EvalRequest] = []
    seen: set[str] = set()
    thread_split: dict[str, str] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{Path(path).name}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalDataError(f"{where}: not JSON: {exc}") from exc
        request = _request(row, where)
        if request.id in seen:
            raise EvalDataError(f"{where}: duplicate id {request.id!r}")
        seen.add(request.id)
        if request.thread:
            first = thread_split.setdefault(request.thread, request.split)
            if first != request.split:
                raise EvalDataError(f"{where}: thread {request.thread!r} spans splits {first} and {request.split}")
        if split in ("all", request.split):
            requests.append(request)
    return requests


def _request(row: Any, where: str) -> EvalRequest:
    if not isinstance(row, dict):
        raise EvalDataError(f"{where}: each line must be a JSON object")
    for key in ("id", "user", "message", "split"):
        if not isinstance(row.get(key), str) or not row[key].strip():
            raise EvalDataError(f"{where}: {key!r} must be a non-empty string")
    wanted = row.get("tool")
    tools = wanted if isinstance(wanted, list) and wanted else [wanted]
    known = _tools()
    if "tool" not in row or any(t is not None and t not in known for t in tools) or (None in tools and len(tools) > 1):
        raise EvalDataError(f"{where}: 'tool' must be one of {', '.join(known)}, a list of them, or null")
    if row["split"] not in SPLITS:
        raise EvalDataError(f"{where}: 'split' must be dev or test")
    args = row.get("args") or {}
    if not isinstance(args, dict) or set(args) - _ARG_KEYS:
        raise EvalDataError(f"{where}: 'args' keys must be among {', '.join(sorted(_ARG_KEYS))}")
    if tools[0] is None and args:
        raise EvalDataError(f"{where}: a request expecting no tool has no expected args")
    thread = row.get("thread")
    if thread is not None and not isinstance(thread, str):
        raise EvalDataError(f"{where}: 'thread' must be a string")
    return EvalRequest(id=row["id"], user=row["user"], message=row["message"], tool=tools[0], args=args,
                       split=row["split"], thread=thread, also=tuple(tools[1:]))


# -- scoring one request -------------------------------------------------------------------------------


def compare_args(expected: dict[str, Any], actual: dict[str, Any], account_id: Any) -> list[str]:
    """The expected arguments the actual call got wrong (empty when all match).

    ``account_id`` maps the account argument the model passed (a name or an id) to the id it names.
    """
    problems: list[str] = []
    for key, want in expected.items():
        if key == "query_has" or key == "question_has":
            field_name = "query" if key == "query_has" else "question"
            text = str(actual.get(field_name) or "").lower()
            missing = [w for w in want if w.lower() not in text]
            if missing:
                problems.append(f"{field_name} {text!r} lacks {', '.join(missing)}")
            continue
        got = actual.get(key)
        if key == "account":
            got = account_id(got)
        if key in ("query", "question") and isinstance(got, str) and isinstance(want, str):
            got, want = " ".join(got.casefold().split()), " ".join(want.casefold().split())  # free text: any case
        if got != want:
            problems.append(f"{key}: expected {want!r}, got {got!r}")
    return problems


def _first_call(response: Any) -> tuple[str | None, dict[str, Any], Any]:
    if not response.tool_calls:
        return None, {}, None
    call = response.tool_calls[0]
    return call.name, dict(call.args or {}), call.result


class _Accounts:
    """Resolves the account argument of a call to an id, as the tool itself would for that user."""

    def __init__(self, runtime: Any, as_of: dt.date) -> None:
        self._runtime = runtime
        self._as_of = as_of
        self._cache: dict[tuple[str, str], str] = {}

    def resolver(self, user_id: str, result: Any) -> Any:
        def resolve(value: Any) -> Any:
            if value is None or (isinstance(value, str) and not value.strip()):
                # log_note may leave the account to the extractor: the proposal then names it.
                return result.get("account_id") if isinstance(result, dict) else None
            key = (user_id, str(value))
            if key not in self._cache:
                self._cache[key] = self._resolve(user_id, str(value))
            return self._cache[key]

        return resolve

    def _resolve(self, user_id: str, value: str) -> str:
        from store.models import User
        from tools.accounts import resolve_account
        from tools.errors import ToolError

        with self._runtime.db.session() as session:
            user = session.get(User, user_id)
            if user is None:
                return value
            ctx = self._runtime.context(session, user, self._as_of, with_knowledge=False)
            try:
                return resolve_account(ctx, value).id
            except ToolError:
                return value


def run_requests(runtime: Any, requests: Sequence[EvalRequest], as_of: dt.date) -> list[Outcome]:
    """Send each request through the agent; threads keep their conversation."""
    from agent.grounding import ungrounded_numbers
    from store.models import User

    agent = runtime.agent()
    accounts = _Accounts(runtime, as_of)
    run_key = uuid.uuid4().hex[:8]
    users: dict[str, Any] = {}
    outcomes: list[Outcome] = []
    for request in requests:
        if request.user not in users:
            with runtime.db.session() as session:
                user = session.get(User, request.user)
            if user is None:
                raise EvalDataError(f"{request.id}: no user {request.user!r} in the demo store")
            users[request.user] = user
        thread_id = f"eval-{run_key}-{request.thread or request.id}"
        started = time.perf_counter()
        response = agent.turn(users[request.user], request.message, thread_id=thread_id, as_of=as_of)
        seconds = time.perf_counter() - started
        tool, args, result = _first_call(response)
        tool_ok = tool == request.tool or (tool is not None and tool in request.also)
        problems: list[str] = []
        if tool_ok and request.tool is not None:
            problems = compare_args(request.args, args, accounts.resolver(request.user, result))
        records = [c.model_dump(mode="json") for c in response.tool_calls]
        outcomes.append(Outcome(
            request=request, tool=tool, args=args, tool_ok=tool_ok, args_ok=tool_ok and not problems,
            problems=problems, reply=response.reply,
            ungrounded=ungrounded_numbers(response.reply, records, request.message),
            model_calls=response.model_calls, tokens=response.tokens, seconds=seconds,
        ))
    return outcomes


# -- figures --------------------------------------------------------------------------------------------


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Tool and argument accuracy, per tool, per turn costs and grounding over ``outcomes``."""
    with_tool = [o for o in outcomes if o.request.tool is not None]
    per_tool: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.request.tool or "(question)"].append(o)
    for name in [*_tools(), "(question)"]:
        group = groups.get(name, [])
        if not group:
            continue
        per_tool[name] = {
            "n": len(group),
            "tool_accuracy": _rate(sum(o.tool_ok for o in group), len(group)),
            "argument_accuracy": _rate(sum(o.args_ok for o in group), len(group)) if name != "(question)" else None,
        }
    n = len(outcomes)
    return {
        "requests": n,
        "tool_accuracy": _rate(sum(o.tool_ok for o in outcomes), n),
        "argument_accuracy": _rate(sum(o.args_ok for o in with_tool), len(with_tool)),
        "per_tool": per_tool,
        "model_calls_per_turn": round(sum(o.model_calls for o in outcomes) / n, 2) if n else None,
        "tokens_per_turn": round(sum(o.tokens for o in outcomes) / n, 1) if n else None,
        "seconds_per_turn": round(sum(o.seconds for o in outcomes) / n, 4) if n else None,
        "ungrounded_replies": sum(1 for o in outcomes if o.ungrounded),
    }


def _failure(o: Outcome) -> dict[str, Any]:
    return {
        "id": o.request.id,
        "split": o.request.split,
        "thread": o.request.thread,
        "message": o.request.message,
        "expected_tool": o.request.tool,
        "expected_args": o.request.args,
        "tool": o.tool,
        "args": o.args,
        "problems": o.problems if o.tool_ok else [f"tool: expected {o.request.tool}, got {o.tool}"],
        "reply": o.reply[:200],
    }


def extraction_figures(settings: Any = None) -> dict[str, Any]:
    """Precision / recall / F1 of note extraction from ``evals.notes_eval`` with the configured extractor
    (the model's structured output when ``KAM_LLM_BASE_URL`` is set, else the offline one), or why it was
    skipped."""
    try:
        from evals import notes_eval
    except ImportError as exc:
        return {"skipped": f"note extraction eval not available ({exc})"}
    extractor = None
    if settings is not None and getattr(settings, "llm_base_url", None):
        from agent.extraction import make_extractor_factory

        extractor = make_extractor_factory(settings)()
    figures = notes_eval.run(extractor)
    return dict(figures) if isinstance(figures, dict) else {"skipped": "notes_eval.run() returned no figures"}


def _extraction_f1(extraction: dict[str, Any]) -> float | None:
    for key in ("f1", "F1", "micro_f1"):
        value = extraction.get(key)
        if isinstance(value, int | float):
            return float(value)
    overall = extraction.get("overall")
    return _extraction_f1(overall) if isinstance(overall, dict) else None


def check(result: dict[str, Any]) -> list[str]:
    """The thresholds ``result`` misses (empty when it meets all of them)."""
    misses: list[str] = []
    for key in ("tool_accuracy", "argument_accuracy"):
        value = result.get(key)
        if value is None or value < THRESHOLDS[key]:
            misses.append(f"{key} {value} < {THRESHOLDS[key]}")
    extraction = result.get("extraction") or {}
    if "not_run" not in extraction:
        f1 = _extraction_f1(extraction)
        if f1 is None:
            misses.append(f"extraction F1 unavailable ({extraction.get('skipped', 'no figure')})")
        elif f1 < THRESHOLDS["extraction_f1"]:
            misses.append(f"extraction_f1 {f1} < {THRESHOLDS['extraction_f1']}")
    return misses


def run(
    split: str = "all",
    max_requests: int | None = None,
    *,
    settings: Any = None,
    requests: Sequence[EvalRequest] | None = None,
    only: Iterable[str] | None = None,
    extraction: bool = True,
    runtime: Any = None,
) -> dict[str, Any]:
    """Run the eval and return its figures (see the module docstring).

    ``settings`` gives the model backend (default: the environment's); the store is always a fresh demo
    store unless ``runtime`` (one already on a demo store) is passed. ``only`` runs the named requests
    and the earlier turns of their threads.
    """
    from agent.backends import backend_name
    from evals.fixtures import DEMO_AS_OF, fresh_demo_store, remove_store

    started = time.perf_counter()
    chosen = list(requests) if requests is not None else load_requests(split=split)
    if only:
        chosen = _with_thread_context(chosen, set(only))
    if max_requests is not None:
        chosen = chosen[:max_requests]
    store = None
    if runtime is None:
        from integrations.runtime import Runtime
        from store.settings import Settings

        store = fresh_demo_store(base=settings or Settings())
        runtime = Runtime.build(store.settings)
    runtime_settings = runtime.settings
    try:
        outcomes = run_requests(runtime, chosen, DEMO_AS_OF)
        backend = backend_name(runtime.agent().deps)
    finally:
        if store is not None:
            runtime.close()
            remove_store(store)
    result: dict[str, Any] = {"backend": backend, "split": split, "as_of": DEMO_AS_OF.isoformat(),
                              **summarise(outcomes)}
    result["splits"] = {
        name: {k: v for k, v in summarise(part).items() if k != "per_tool"}
        for name in SPLITS
        if (part := [o for o in outcomes if o.request.split == name])
    }
    result["ungrounded"] = [{"id": o.request.id, "numbers": o.ungrounded} for o in outcomes if o.ungrounded]
    result["failures"] = [_failure(o) for o in outcomes if not o.args_ok]
    result["extraction"] = extraction_figures(runtime_settings) if extraction else {"not_run": True}
    result["thresholds"] = dict(THRESHOLDS)
    result["misses"] = check(result)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def _with_thread_context(requests: Sequence[EvalRequest], ids: set[str]) -> list[EvalRequest]:
    keep: list[EvalRequest] = []
    for index, request in enumerate(requests):
        later = requests[index:]
        wanted = request.id in ids or (request.thread is not None and any(
            r.thread == request.thread and r.id in ids for r in later))
        if wanted:
            keep.append(request)
    return keep


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.runner", description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--max", type=int, default=None, dest="max_requests", help="run only the first N requests")
    parser.add_argument("--only", default=None, help="comma-separated request ids (with their threads)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a threshold is missed")
    parser.add_argument("--json", action="store_true", dest="as_json", help="print the figures as JSON")
    parser.add_argument("--no-extraction", action="store_true", help="skip the note extraction eval")
    ns = parser.parse_args(argv)
    only = [i.strip() for i in ns.only.split(",") if i.strip()] if ns.only else None
    result = run(ns.split, ns.max_requests, only=only, extraction=not ns.no_extraction)
    print(json.dumps(result, indent=2, default=str) if ns.as_json else format_report(result))
    return 1 if ns.check and result["misses"] else 0


if __name__ == "__main__":
    sys.exit(main())
