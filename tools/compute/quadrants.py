"""The four quadrants of the KAM matrix (and "unscored"), with their labels and their order."""

from __future__ import annotations

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
        return _LABELS[self]

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


_LABELS = {
    Quadrant.STRATEGIC_GROWTH: "Strategic Growth",
    Quadrant.DEVELOP: "Develop",
    Quadrant.DEFEND: "Defend",
    Quadrant.MAINTAIN_EXIT: "Maintain/Exit",
    Quadrant.UNSCORED: "Unscored",
}
QUADRANT_LABELS: dict[str, str] = {q.value: q.label for q in Quadrant}
QUADRANT_RANK: dict[str, int] = {q.value: i for i, q in enumerate(Quadrant) if q is not Quadrant.UNSCORED}
SCORED = tuple(q.value for q in Quadrant if q is not Quadrant.UNSCORED)
