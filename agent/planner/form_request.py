"""A request typed as a form: "Action: prep QBR - Emerald Coast Utilities", "Field: quadrant. Account: Lumen
Telecom. Action: assign." Reps who live in a CRM write requests the way they fill its fields. A message made only
of such fields, one of them the action, is read as the sentence its values make ("assign quadrant Lumen Telecom");
a note in fields ("Account: ... / Date: ... / Contact: ... / Next step: ...") has fields no request has and stays a
note.
"""

from __future__ import annotations

import re

_FIELD = re.compile(r"(?:^|(?<=[.\n/|;]))\s*(?P<label>[A-Za-z][A-Za-z ]{0,18}?)\s*:\s*(?P<value>[^\n/|;:]*?)"
                    r"\s*(?=[.\n/|;]\s*[A-Za-z][A-Za-z ]{0,18}?\s*:|[.\n/|;]?\s*$)")
_ACTION = ("action", "task", "request", "requested", "report requested", "request type", "to do", "todo", "ask")
# The labels a request's fields may carry, in the order their values make a sentence.
_ORDER = (*_ACTION, "field", "what", "tool", "report", "account", "customer", "client", "for", "scope", "owner", "rep",
          "commitment", "days", "window", "period", "to", "query", "topic")


def form_request(text: str) -> str | None:
    """The sentence a request typed as fields makes, or None when ``text`` is not one."""
    fields = {m.group("label").strip().casefold(): m.group("value").strip(" .-")
              for m in _FIELD.finditer(text) if m.group("value").strip(" .-")}
    if not fields or not any(label in fields for label in _ACTION):
        return None
    covered = sum(len(m.group(0)) for m in _FIELD.finditer(text))
    if any(label not in _ORDER for label in fields) or covered < 0.8 * len(text.strip(" .")):
        return None  # "Date:", "Contact:", "Outcome:" or free text besides: a note, or something else
    return " ".join(fields[label] for label in _ORDER if label in fields)
