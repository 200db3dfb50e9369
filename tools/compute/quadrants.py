"""The four quadrants of the KAM matrix (and "unscored"), with their labels and their order.

The labels are the words people read. They are the SPEC's unless the rules file says otherwise
(``[labels.quadrants]``): the composition root (``integrations.runtime.Runtime``) calls ``use_labels`` once at
start, so every answer, page and image of the process uses the team's words. JSON values never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Quadrant(StrEnum):
    """Where an account sits in the matrix: its value is the JSON form, ``label`` the words people read."""

    STRATEGIC_GROWTH = "strategic_growth"
    DEVELOP = "develop"
    DEFEND = "defend"
    MAINTAIN_EXIT = "maintain_exit"
    UNSCORED = "unscored"

    @property
    def label(self) -> str:
        return QUADRANT_LABELS[self.value]

    @property
    def rank(self) -> int | None:
        """Lower is a better position ("moved down" compares these); ``None`` for unscored."""
        return QUADRANT_RANK.get(self)

    @classmethod
    def label_of(cls, value: object) -> str:
        """The label of a quadrant given as text; the text itself when it is no quadrant."""
        try:
            return cls(str(value)).label
        except ValueError:
            return str(value)


SPEC_LABELS: dict[str, str] = {
    Quadrant.STRATEGIC_GROWTH.value: "Strategic Growth",
    Quadrant.DEVELOP.value: "Develop",
    Quadrant.DEFEND.value: "Defend",
    Quadrant.MAINTAIN_EXIT.value: "Maintain/Exit",
    Quadrant.UNSCORED.value: "Unscored",
}
QUADRANT_LABELS: dict[str, str] = dict(SPEC_LABELS)  # what this process shows (``use_labels``)


def use_labels(labels: Mapping[str, str] | None = None) -> None:
    """Show ``labels`` (quadrant value -> words) over the SPEC's from now on; ``None``: the SPEC's again."""
    QUADRANT_LABELS.clear()
    QUADRANT_LABELS.update(SPEC_LABELS)
    QUADRANT_LABELS.update({q: words for q, words in (labels or {}).items() if q in SPEC_LABELS})
QUADRANT_RANK: dict[str, int] = {q.value: i for i, q in enumerate(Quadrant) if q is not Quadrant.UNSCORED}
SCORED = tuple(q.value for q in Quadrant if q is not Quadrant.UNSCORED)
