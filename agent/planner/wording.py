"""Wording a tool's result as the reply: a one-line lead built from the result's own fields, then the
tool's own markdown rendering. Every number in the reply therefore comes from the tool result."""

from __future__ import annotations

from typing import Any

from tools.compute.quadrants import Quadrant

quadrant_name = Quadrant.label_of


def _listed(result: dict[str, Any], key: str) -> bool | None:
    """Whether the result lists anything under ``key`` (``None`` when it has no such list)."""
    value = result.get(key)
    return bool(value) if isinstance(value, list) else None


def _name(result: dict[str, Any]) -> str:
    for key in ("account_name", "name"):
        if isinstance(result.get(key), str):
            return result[key]
    account = result.get("account")
    if isinstance(account, dict) and isinstance(account.get("name"), str):
        return account["name"]
    return "the account"


def lead(tool: str, result: dict[str, Any]) -> str:
    """One sentence saying what the tool found, from its own fields.

    A lead states no figure of its own: counts and scores are in the tool's rendering that follows, so
    every number in the reply is one the tool printed.
    """
    if tool == "score_account":
        if result.get("quadrant") == "unscored":
            return f"{_name(result)} cannot be placed yet: it is unscored (criteria are missing)."
        return f"{_name(result)} scores as {quadrant_name(result.get('quadrant'))}."
    if tool == "assign_quadrant":
        return f"{_name(result)} sits in {quadrant_name(result.get('quadrant'))}."
    if tool == "show_matrix":
        return "Here is the KAM matrix."
    if tool == "flag_dark_stakeholders":
        found = _listed(result, "flags")
        if found is False and not result.get("account_flags"):
            return "No stakeholder flags: everyone key is within their expected touch."
        return "These stakeholders need attention, with the evidence for each."
    if tool == "find_drifting_accounts":
        found = _listed(result, "accounts")
        if found is False:
            return "No accounts are drifting."
        return "These accounts are drifting, worst first."
    if tool == "list_commitments":
        found = _listed(result, "commitments")
        if found is False:
            return "Nothing matches: no commitments in that list."
        return "Here are the commitments."
    if tool == "draft_plan":
        return f"I drafted a new account plan for {_name(result)} and saved it as a dated version."
    if tool == "prep_qbr":
        return f"Your QBR brief for {_name(result)}."
    if tool == "search_notes":
        found = _listed(result, "hits")
        return "No notes match." if found is False else "Here is what the call notes say."
    if tool == "ask_guidance":
        return ""
    if tool == "log_note":
        if result.get("status") == "stored":
            return "Logged."
        if result.get("status") == "question":
            return "Before I log this, I need to check something with you; nothing is stored yet."
        return "Here is what I understood from your note. Reply `confirm` to store it, or correct me."
    return ""


def word_results(records: list[dict[str, Any]], texts: list[str]) -> str:
    """The reply for one turn's tool calls: leads plus each tool's markdown, errors passed on as said."""
    parts: list[str] = []
    for record, text in zip(records, texts, strict=True):
        if not record.get("ok", True):
            error = record.get("result") or {}
            message = error.get("error") if isinstance(error, dict) else None
            parts.append(str(message or text))
            continue
        head = lead(str(record.get("name")), record.get("result") or {})
        parts.append(f"{head}\n\n{text}".strip() if head else text)
    return "\n\n".join(parts).strip()
