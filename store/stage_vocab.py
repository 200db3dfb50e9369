"""Opportunity stage words as CRMs write them, mapped onto our six stages.

The importer understands, with no configuration, our own stage names, Salesforce's default opportunity
stages and HubSpot's default deal stages (by label and by internal id). A team's own stages are added in
the rules file under ``[import.stages]`` (``identified = "prospecting"``); a team's word wins over a
built-in one. Words are compared on letters and digits only, in any case: ``Closed Won``, ``closed-won``
and ``closedwon`` are the same word, as are ``Id. Decision Makers`` and ``id decision makers``.

See docs/crm.md for the table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from store.models import STAGES

_OURS = {stage: stage for stage in STAGES} | {"won": "closed_won", "lost": "closed_lost"}

SALESFORCE_STAGES: dict[str, str] = {
    "Prospecting": "prospecting",
    "Qualification": "qualification",
    "Needs Analysis": "qualification",
    "Value Proposition": "qualification",
    "Id. Decision Makers": "qualification",
    "Perception Analysis": "proposal",
    "Proposal/Price Quote": "proposal",
    "Negotiation/Review": "negotiation",
    "Closed Won": "closed_won",
    "Closed Lost": "closed_lost",
}

# HubSpot's default sales pipeline: internal id -> (label, our stage).
HUBSPOT_STAGES: dict[str, tuple[str, str]] = {
    "appointmentscheduled": ("Appointment Scheduled", "prospecting"),
    "qualifiedtobuy": ("Qualified To Buy", "qualification"),
    "presentationscheduled": ("Presentation Scheduled", "proposal"),
    "decisionmakerboughtin": ("Decision Maker Bought-In", "proposal"),
    "contractsent": ("Contract Sent", "negotiation"),
    "closedwon": ("Closed Won", "closed_won"),
    "closedlost": ("Closed Lost", "closed_lost"),
}

RULES_HINT = "map it under [import.stages] in the rules file (KAM_RULES_FILE)"


def stage_key(word: str) -> str:
    """A stage word reduced to lower-case letters and digits, the form words are compared in."""
    return re.sub(r"[^0-9a-z]+", "", word.casefold())


def _builtin() -> dict[str, str]:
    table: dict[str, str] = {}
    for word, stage in _OURS.items():
        table[stage_key(word)] = stage
    for label, stage in SALESFORCE_STAGES.items():
        table[stage_key(label)] = stage
    for internal, (label, stage) in HUBSPOT_STAGES.items():
        table[stage_key(internal)] = stage
        table[stage_key(label)] = stage
    return table


_BUILTIN = _builtin()


def our_stage(word: str) -> str | None:
    """One of our six stages for ``word`` in any spelling (``Closed Won``, ``closed-won``), else ``None``."""
    return _OURS.get(word.strip().lower().replace("-", "_").replace(" ", "_"))


class StageVocabulary:
    """The built-in words plus a team's own (``{their word: our stage}``)."""

    def __init__(self, team: Mapping[str, str] | None = None) -> None:
        self._table = dict(_BUILTIN)
        for word, stage in (team or {}).items():
            ours = our_stage(stage)
            if ours is None:
                raise ValueError(f"stage {word!r} is mapped to {stage!r}, which is not one of: {', '.join(STAGES)}")
            self._table[stage_key(word)] = ours

    def resolve(self, word: str) -> str | None:
        """Our stage for ``word``, or ``None`` when nobody mapped it."""
        return self._table.get(stage_key(word))

    def check(self, word: str) -> str:
        """Our stage for ``word``; a ``ValueError`` naming the word and where to map it otherwise."""
        stage = self.resolve(word)
        if stage is None:
            example = stage_key(word) or "their_stage"
            raise ValueError(
                f"unknown stage {word!r}: {RULES_HINT}, e.g. {example} = \"qualification\" "
                f"(our stages: {', '.join(STAGES)})"
            )
        return stage


DEFAULT_VOCABULARY = StageVocabulary()
