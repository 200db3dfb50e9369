"""Wording a turn's tool results as the reply: each result's one-line ``lead()`` (from its own fields), then its
own markdown rendering. Every number in the reply therefore comes from a tool result."""

from __future__ import annotations

from typing import Any

from tools.registry import typed_result


def lead(tool: str, result: Any) -> str:
    """The lead sentence of ``tool``'s JSON ``result`` ("" when it has none)."""
    typed = typed_result(tool, result)
    return typed.lead() if typed is not None else ""


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
