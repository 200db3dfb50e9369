"""One tool call of a turn, as the agent makes it: the arguments checked against the tool's lenient schema (what
the model may pass: unknown fields dropped), a record-changing tool refused unless the user asked for that record
in their own words, then the one use-case runner (``tools.runner.run_tool``) as the acting user on ``as_of``.

``agent.lc_tools`` wraps this as LangChain tools for the agent graph; the offline loop (``agent/offline_turn.py``)
calls it directly, with the arguments LangChain's ``StructuredTool`` would pass.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import select

from agent.deps import AgentDeps, TurnContext
from agent.planner.entities import Catalog
from agent.planner.intents import rule_scores
from agent.planner.records import described_commitment, is_direct_command, stated_ids
from store.models import Account, Commitment, User
from tools.registry import ToolSpec
from tools.runner import run_tool

_SCHEMAS: dict[type[BaseModel], type[BaseModel]] = {}


def lenient_schema(spec: ToolSpec) -> type[BaseModel]:
    """The tool's argument model, ignoring fields it does not have (the acting user and day are never arguments)."""
    schema = _SCHEMAS.get(spec.args_model)
    if schema is None:
        lenient = {"model_config": ConfigDict(extra="ignore")}
        schema = _SCHEMAS.setdefault(spec.args_model, type(f"{spec.args_model.__name__}ForAgent",
                                                            (spec.args_model,), lenient))
    return schema


def tool_kwargs(spec: ToolSpec, args: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments LangChain's ``StructuredTool`` passes for ``args``: each given field validated, and
    every field with a default. Raises pydantic's ``ValidationError`` for arguments the schema refuses."""
    schema = lenient_schema(spec)
    result = schema.model_validate(args)
    fields = schema.model_fields
    out = {}
    for key in result.model_dump():
        given = key in args or key in result.model_fields_set
        if given or (key in fields and key not in {"args", "kwargs"} and not fields[key].is_required()):
            out[key] = getattr(result, key)
    return out


def call_tool_for_turn(deps: AgentDeps, spec: ToolSpec, kwargs: dict[str, Any],
                       turn: TurnContext) -> tuple[str, dict[str, Any]]:
    """The tool's answer as text (what the model reads) and as a record (``ToolCall.as_record()``)."""
    refusal = _unstated_record(deps, spec, kwargs, turn.message)
    if refusal:
        # The arguments are not echoed: an id the user did not type is not shown back to anyone.
        return f"Error: {refusal}", {"name": spec.name, "args": {}, "ok": False,
                                      "result": {"error": refusal, "code": "invalid", "suggestions": []}}
    call = run_tool(deps, turn.user_id, spec, kwargs, as_of=turn.as_of, thread_id=turn.thread_id,
                    event_key=turn.event_key, today=turn.today)
    return call.as_text(), call.as_record()


def _unstated_record(deps: AgentDeps, spec: ToolSpec, args: dict[str, Any], message: str) -> str | None:
    """Why a tool acting on one record may not run this turn: the user did not ask for it in their own words,
    as a short command naming that record's id or describing it (text they pasted, or a note or document the
    model read, never counts). ``None`` when it may run."""
    if not spec.planner.record_id:
        return None
    wanted = {str(v).upper() for k, v in args.items() if k == "commitment"}
    if len(wanted) == 1 and is_direct_command(message):
        (ref,) = wanted
        # the account may go unsaid ("and close out the quote one") only in an order this very tool's verb gives
        ordered = bool(rule_scores(message, {spec.name: spec.planner}))
        if ref in stated_ids(message, spec.planner.record_id) or _describes(deps, message, ref, ordered):
            return None
    return ("I change a commitment only when you ask for it yourself, naming its id in a short message "
            "(e.g. \"mark <its id> done\").")


def _describes(deps: AgentDeps, message: str, ref: str, account_unsaid: bool = False) -> bool:
    """The message describes the commitment ``ref``: its description's words and its account's name (with
    ``account_unsaid``, the account may go unsaid when the message names none)."""
    with deps.db.session() as session:
        row = session.get(Commitment, ref)
        # every account's name, so that a message naming another account never describes this one
        accounts = [(a.id, a.name) for a in session.exec(select(Account)).all()] if row is not None else []
    if row is None or row.account_id not in {aid for aid, _ in accounts}:
        return False
    one = Catalog.of(User(id="-", name="-", role="rep"), accounts,
                     commitments=[(row.id, row.account_id, row.description)])
    return described_commitment(message, one, row.account_id if account_unsaid else None) == row.id
