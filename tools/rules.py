"""The KAM rules (docs/rules.md) as configuration: defaults built in, overridable from a TOML file.

A band list ``[[10, 1], [20, 2], [30, 3], [40, 4]]`` with ``else_score = 5`` reads:
value < 10 -> 1, < 20 -> 2, < 30 -> 3, < 40 -> 4, else 5.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from store.stage_vocab import StageVocabulary
from tools.compute.quadrants import SCORED as QUADRANTS
from tools.compute.quadrants import SPEC_LABELS

DATA_CRITERIA = ("revenue", "gross_margin", "share_of_wallet", "relationship_depth")
JUDGMENT_CRITERIA = ("growth_potential", "strategic_fit", "competitive_position", "propensity_to_partner")
CRITERIA = DATA_CRITERIA + JUDGMENT_CRITERIA


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bands(_Strict):
    """Upper bounds (exclusive by default) and the score below each; ``else_score`` above the last."""

    upper: list[tuple[float, int]]
    else_score: int
    inclusive: bool = False

    @field_validator("upper")
    @classmethod
    def _ascending(cls, v: list[tuple[float, int]]) -> list[tuple[float, int]]:
        bounds = [b for b, _ in v]
        if bounds != sorted(bounds):
            raise ValueError("band bounds must ascend")
        return v

    def score(self, value: float) -> int:
        for bound, score in self.upper:
            if value < bound or (self.inclusive and value == bound):
                return score
        return self.else_score


COVERAGE_LEVELS = ("required", "recommended", "optional", "none")


class Coverage(_Strict):
    qbr_every_days: int = Field(gt=0)
    key_touch_days: int = Field(gt=0)
    exec_sponsor: str  # required | recommended | optional | none
    account_plan: str  # required | recommended | optional | none
    plan_refresh_days: int | None = Field(default=None, gt=0)

    @field_validator("exec_sponsor", "account_plan")
    @classmethod
    def _level(cls, v: str) -> str:
        if v not in COVERAGE_LEVELS:
            raise ValueError(f"must be one of {', '.join(COVERAGE_LEVELS)}")
        return v


def _default_coverage() -> dict[str, Coverage]:
    return {
        "strategic_growth": Coverage(
            qbr_every_days=90, key_touch_days=30, exec_sponsor="required", account_plan="required",
            plan_refresh_days=90,
        ),
        "develop": Coverage(
            qbr_every_days=90, key_touch_days=45, exec_sponsor="recommended", account_plan="required",
            plan_refresh_days=90,
        ),
        "defend": Coverage(
            qbr_every_days=180, key_touch_days=60, exec_sponsor="optional", account_plan="recommended",
            plan_refresh_days=180,
        ),
        "maintain_exit": Coverage(
            qbr_every_days=365, key_touch_days=120, exec_sponsor="none", account_plan="none",
            plan_refresh_days=None,
        ),
    }


class Scoring(_Strict):
    attractiveness_weights: dict[str, float] = Field(
        default_factory=lambda: {"revenue": 0.30, "gross_margin": 0.20, "growth_potential": 0.30,
                                 "strategic_fit": 0.20}
    )
    strength_weights: dict[str, float] = Field(
        default_factory=lambda: {"relationship_depth": 0.30, "competitive_position": 0.25,
                                 "share_of_wallet": 0.25, "propensity_to_partner": 0.20}
    )
    threshold: float = 3.0
    min_weight_share: float = 0.5
    gross_margin_bands: Bands = Bands(upper=[(10, 1), (20, 2), (30, 3), (40, 4)], else_score=5)
    share_of_wallet_bands: Bands = Bands(upper=[(0.10, 1), (0.20, 2), (0.35, 3), (0.50, 4)], else_score=5)
    relationship_depth_bands: Bands = Bands(upper=[(0.20, 1), (0.40, 2), (0.60, 3), (0.70, 4)], else_score=5)
    engaged_window_days: int = 90
    no_exec_penalty: int = 1


class Portfolio(_Strict):
    scope_inflation_share: float = 0.20
    calibration_gap: float = 0.75
    calibration_min_accounts: int = 5
    margin_leakage_contribution_share: float = 0.10


class Stakeholders(_Strict):
    key_authorities: list[str] = Field(default_factory=lambda: ["budget", "approver", "veto"])
    key_min_influence: int = 4
    key_tags: list[str] = Field(default_factory=lambda: ["champion"])
    other_window_factor: float = 2.0
    unscored_quadrant: str = "develop"
    cooling_window_days: int = 90
    cooling_min_previous: int = 2
    cooling_ratio: float = 0.5
    sentiment_drop: int = 2
    sentiment_drop_window_days: int = 90  # the earlier touches a latest sentiment is held against
    champion_max_sentiment: int = 0
    single_threaded_max_engaged: int = 1
    single_threaded_min_mapped: int = 3
    thin_coverage_share: float = 0.60


class Health(_Strict):
    default_growth_target_share: float = 0.20
    pipeline_bands: Bands = Bands(upper=[(0.5, 1), (1, 2), (2, 3), (3, 4)], else_score=5)
    plan_currency_bands: Bands = Bands(upper=[(1.0, 5), (1.5, 4), (2.0, 3), (3.0, 2)], else_score=1,
                                       inclusive=True)
    commitment_bands: Bands = Bands(upper=[(0.0, 5), (0.10, 4), (0.25, 3), (0.50, 2)], else_score=1,
                                    inclusive=True)
    sentiment_window_days: int = 180
    sentiment_offset: float = 3.0


class Drift(_Strict):
    window_days: int = 30
    overall_drop: float = 0.5
    dimension_drop: int = 2


class Commitments(_Strict):
    due_soon_days: int = 2


DEFAULT_QUADRANT_LABELS = dict(SPEC_LABELS)


class Labels(_Strict):
    """The words people see for the quadrants (``[labels.quadrants]``; some teams say Strategic / Status / Star /
    Streamline). Only what people read changes: the JSON values stay the SPEC's."""

    quadrants: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_QUADRANT_LABELS))

    @field_validator("quadrants")
    @classmethod
    def _known(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(DEFAULT_QUADRANT_LABELS))
        if unknown:
            raise ValueError(f"unknown quadrant(s) {', '.join(unknown)}; use {', '.join(DEFAULT_QUADRANT_LABELS)}")
        blank = sorted(q for q, label in value.items() if not label.strip())
        if blank:
            raise ValueError(f"empty label for {', '.join(blank)}")
        return value


class ImportRules(_Strict):
    """``[import.stages]``: a team's own opportunity stage words mapped onto ours (store/stage_vocab.py).
    ``[import.fields.PROFILE.FILE]``: a team's own CRM fields, per export profile and file of ours, e.g.
    ``[import.fields.salesforce.accounts]`` ``industry = ["Sector__c"]`` (store/import_profiles.py)."""

    stages: dict[str, str] = Field(default_factory=dict)
    fields: dict[str, dict[str, dict[str, list[str]]]] = Field(default_factory=dict)

    @field_validator("stages")
    @classmethod
    def _ours(cls, v: dict[str, str]) -> dict[str, str]:
        StageVocabulary(v)  # refuses a word mapped to something that is not one of our stages
        return v


class Rules(_Strict):
    """All of the default rules (docs/rules.md); a team overrides any part in its TOML file."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    scoring: Scoring = Scoring()
    coverage: dict[str, Coverage] = Field(default_factory=_default_coverage)
    portfolio: Portfolio = Portfolio()
    stakeholders: Stakeholders = Stakeholders()
    health: Health = Health()
    drift: Drift = Drift()
    commitments: Commitments = Commitments()
    labels: Labels = Labels()
    import_: ImportRules = Field(default_factory=ImportRules, alias="import")

    @model_validator(mode="after")
    def _check(self) -> Rules:
        missing = [q for q in QUADRANTS if q not in self.coverage]
        if missing:
            raise ValueError(f"coverage: missing quadrant(s) {', '.join(missing)}")
        unknown_q = sorted(set(self.coverage) - set(QUADRANTS))
        if unknown_q:
            raise ValueError(f"coverage: unknown quadrant(s) {', '.join(unknown_q)}; use {', '.join(QUADRANTS)}")
        for axis in ("attractiveness_weights", "strength_weights"):
            weights = getattr(self.scoring, axis)
            if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
                raise ValueError(f"scoring.{axis}: weights must be non-negative with a positive sum")
            unknown = sorted(set(weights) - set(CRITERIA))
            if unknown:
                raise ValueError(
                    f"scoring.{axis}: unknown criterion {', '.join(unknown)}; the criteria are {', '.join(CRITERIA)}"
                )
        if self.stakeholders.unscored_quadrant not in QUADRANTS:
            raise ValueError("stakeholders.unscored_quadrant: must name a quadrant")
        return self


def quadrant_label(quadrant: str, rules: Rules | None = None) -> str:
    """What people read for ``quadrant``: the rules file's label, else the SPEC's; an unknown value as given."""
    labels = (rules or Rules()).labels.quadrants
    return labels.get(quadrant) or DEFAULT_QUADRANT_LABELS.get(quadrant, quadrant)


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the key and the problem."""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_rules(path: Path | None) -> Rules:
    """The default rules, overridden by ``path`` when given. Refuses a bad file with key and problem."""
    if path is None:
        return Rules()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RulesError(f"{path}: rules file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return Rules.model_validate(_merge(Rules().model_dump(by_alias=True), data))
    except ValidationError as exc:
        problems = "; ".join(_problem(err) for err in exc.errors())
        raise RulesError(f"{path}: {problems}") from exc


def _problem(err: Any) -> str:
    """One validation error as ``key: problem`` (whole-file checks already name their key)."""
    message = str(err["msg"]).removeprefix("Value error, ")
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {message}" if where else message
