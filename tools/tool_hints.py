"""What a client may know about each tool before calling it: a human title and how the call behaves.

One mapping, by tool name (names live in ``tools/``), read by the MCP face for its tool annotations and meant to
move onto ``ToolSpec`` as fields. Whether a tool changes anything comes from the registry (``ToolSpec.writes``);
these hints add what the registry cannot infer:

- ``destructive``: the call may remove or reverse something (MCP ``destructiveHint``); otherwise a write tool
  only adds (a score in the history, a plan version, a proposal) or sets a status forward.
- ``idempotent``: the same call again, on the same day, changes nothing more (MCP ``idempotentHint``).
- ``note``: what a model calling the tool over MCP must know beyond the docstring (the confirmation rule).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ToolHints:
    title: str
    destructive: bool = False
    idempotent: bool = False
    note: str = ""


TOOL_HINTS: dict[str, ToolHints] = {
    "score_account": ToolHints("Score an account", note="Each call adds a dated entry to the score history."),
    "assign_quadrant": ToolHints("Place an account in its quadrant"),
    "show_matrix": ToolHints("Show the KAM matrix"),
    "draft_plan": ToolHints("Draft an account plan", note="Each call stores a new dated version of the plan."),
    "flag_dark_stakeholders": ToolHints("Flag dark stakeholders"),
    "prep_qbr": ToolHints("Prepare a QBR brief"),
    "log_note": ToolHints(
        "Propose a meeting note",
        note="Nothing is stored by this call: it returns a proposal with a pending_id. Show the proposal to the "
             "user and call confirm_note with that pending_id only after the user says yes; cancel_note discards "
             "it. When the result has questions, ask the user and call log_note again with the answer."),
    "find_drifting_accounts": ToolHints("Find drifting accounts"),
    "list_commitments": ToolHints("List commitments"),
    "search_notes": ToolHints("Search call notes"),
    "account_overview": ToolHints("Show one account at a glance"),
    "ask_guidance": ToolHints("Ask the KAM guidance"),
    "confirm_note": ToolHints(
        "Store a proposed note", idempotent=True,
        note="Call only when the user has confirmed the proposal. Confirming an already stored note again "
             "stores nothing twice."),
    "cancel_note": ToolHints("Discard a proposed note", destructive=True, idempotent=True),
    "undo_note": ToolHints("Undo a stored note", destructive=True, idempotent=True,
                           note="Removes the note and what it stored; call only when the user asks."),
    "complete_commitment": ToolHints("Mark a commitment done", idempotent=True,
                                     note="Call only when the user says the commitment was delivered."),
    "snooze_commitment": ToolHints("Snooze a commitment", idempotent=True),
}
