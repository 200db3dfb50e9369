"""Escaping where data meets a format: Slack mrkdwn and markdown. Only our own code writes mentions, links,
headings and table cells; a note, a description or an imported name is shown as the text it is.

- ``slack_text``: Slack's own rule for text from outside: ``&``, ``<``, ``>`` become ``&amp;``, ``&lt;``,
  ``&gt;``. ``<!channel>``, ``<@U123>`` or ``<https://evil.example|Olivia>`` in a note then reach Slack as
  characters, never as a mention or a disguised link.
- ``md_inline``: data inside a markdown line: line breaks become spaces (a quoted name cannot start a heading
  or a list of its own) and the characters that make links, cells or raw HTML (``\\ [ ] | < >``) are
  backslash-escaped, so the same call serves a table cell.
- ``md_unescape``: the text back from ``md_inline`` (for Slack, which has no backslash escapes).
- ``escaped``: a copy of a result model (or any nested data) with every string passed through ``md_inline``,
  which is what a result's ``as_markdown`` renders from (``tools.results.ToolResult``): the renderers then
  interpolate data freely and stay safe wherever they move.
"""

from __future__ import annotations

import re
from typing import TypeVar

from pydantic import BaseModel

T = TypeVar("T")

_SLACK = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_MD_SPECIAL = re.compile(r"([\\\[\]|<>])")
_MD_ESCAPED = re.compile(r"\\([\\\[\]|<>])")


def slack_text(text: object) -> str:
    """``text`` safe inside a Slack mrkdwn or message ``text`` field, on one line (a name cannot forge a line)."""
    return _BREAKS.sub(" ", str(text)).translate(_SLACK)


def md_inline(text: object) -> str:
    """``text`` as one markdown line's worth of plain text: no line breaks, no links, cells or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", str(text)))


def md_unescape(text: str) -> str:
    """Undo ``md_inline``'s backslashes."""
    return _MD_ESCAPED.sub(r"\1", text)


def escaped(value: T, *, keep: frozenset[str] = frozenset()) -> T:
    """``value`` with every string in it passed through ``md_inline`` (dict keys and the model fields named in
    ``keep``, which hold markdown we rendered, are left alone). Models are copied without validation."""
    if isinstance(value, str):
        return md_inline(value)  # type: ignore[return-value]
    if isinstance(value, BaseModel) and not getattr(type(value), "__tablename__", None):
        fields = {k: v if k in keep else escaped(v) for k, v in value.__dict__.items()}
        return type(value).model_construct(_fields_set=value.model_fields_set, **fields)
    if isinstance(value, list | tuple):
        return type(value)(escaped(v) for v in value)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {k: escaped(v) for k, v in value.items()}  # type: ignore[return-value]
    return value
