"""The rules config: SPEC 5 defaults built in, a TOML file overrides parts, a bad file is refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.rules import Rules, RulesError, load_rules


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_spec_5() -> None:
    r = Rules()
    assert r.scoring.attractiveness_weights == {
        "revenue": 0.30, "gross_margin": 0.20, "growth_potential": 0.30, "strategic_fit": 0.20
    }
    assert r.scoring.strength_weights == {
        "relationship_depth": 0.30, "competitive_position": 0.25, "share_of_wallet": 0.25,
        "propensity_to_partner": 0.20,
    }
    assert r.scoring.threshold == 3.0 and r.scoring.min_weight_share == 0.5
    assert [r.scoring.gross_margin_bands.score(v) for v in (9.99, 10, 19.99, 20, 29.99, 30, 39.99, 40)] == [
        1, 2, 2, 3, 3, 4, 4, 5
    ]
    assert {q: c.key_touch_days for q, c in r.coverage.items()} == {
        "strategic_growth": 30, "develop": 45, "defend": 60, "maintain_exit": 120
    }
    assert {q: c.qbr_every_days for q, c in r.coverage.items()} == {
        "strategic_growth": 90, "develop": 90, "defend": 180, "maintain_exit": 365
    }
    assert r.coverage["maintain_exit"].plan_refresh_days is None
    assert r.portfolio.scope_inflation_share == 0.20 and r.portfolio.calibration_gap == 0.75
    assert r.stakeholders.other_window_factor == 2.0 and r.stakeholders.thin_coverage_share == 0.60


def test_no_file_means_defaults() -> None:
    assert load_rules(None) == Rules()


def test_overrides_merge_with_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[scoring]
threshold = 3.5

[scoring.attractiveness_weights]
revenue = 0.5

[coverage.develop]
key_touch_days = 30

[stakeholders]
other_window_factor = 3.0
""")
    r = load_rules(path)
    assert r.scoring.threshold == 3.5
    # one weight changed, the others kept
    assert r.scoring.attractiveness_weights == {
        "revenue": 0.5, "gross_margin": 0.20, "growth_potential": 0.30, "strategic_fit": 0.20
    }
    assert r.coverage["develop"].key_touch_days == 30
    assert r.coverage["develop"].qbr_every_days == 90  # untouched field of the same table
    assert r.coverage["defend"] == Rules().coverage["defend"]
    assert r.stakeholders.other_window_factor == 3.0
    assert r.health == Rules().health


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('[scoring]\nthreshold = "high"\n', "scoring.threshold", "valid number"),
        ("[scoring.attractiveness_weights]\nrevnue = 0.3\n", "scoring.attractiveness_weights",
         "unknown criterion revnue"),
        ("[scoring.strength_weights]\nshare_of_wallet = -1.0\n", "scoring.strength_weights", "non-negative"),
        ("[bogus]\na = 1\n", "bogus", "Extra inputs"),
        ("[scoring]\nthreshhold = 3\n", "scoring.threshhold", "Extra inputs"),
        ("[scoring.gross_margin_bands]\nupper = [[20, 1], [10, 2]]\n", "scoring.gross_margin_bands.upper", "ascend"),
        ("[coverage.develop]\nkey_touch_days = 0\n", "coverage.develop.key_touch_days", "greater than 0"),
        ('[coverage.defend]\nexec_sponsor = "maybe"\n', "coverage.defend.exec_sponsor", "must be one of"),
        ('[coverage.growth]\nkey_touch_days = 3\nqbr_every_days = 3\nexec_sponsor = "none"\naccount_plan = "none"\n',
         "coverage", "unknown quadrant(s) growth"),
        ('[stakeholders]\nunscored_quadrant = "nowhere"\n', "stakeholders.unscored_quadrant", "must name a quadrant"),
    ],
)
def test_bad_config_is_refused_with_key_and_problem(tmp_path: Path, text: str, key: str, problem: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RulesError) as info:
        load_rules(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert f"{key}: " in message
    assert problem in message


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="rules file not found"):
        load_rules(tmp_path / "missing.toml")
    with pytest.raises(RulesError, match="not valid TOML"):
        load_rules(_write(tmp_path, "x = ["))


def test_quadrant_labels_are_configurable_and_json_values_stay(tmp_path: Path) -> None:
    from tools.rules import quadrant_label

    assert quadrant_label("maintain_exit") == "Maintain/Exit" and quadrant_label("unscored") == "Unscored"
    rules = load_rules(_write(tmp_path, '[labels.quadrants]\nstrategic_growth = "Strategic"\ndevelop = "Star"\n'
                                        'defend = "Status"\nmaintain_exit = "Streamline"\n'))
    assert [quadrant_label(q, rules) for q in ("strategic_growth", "develop", "defend", "maintain_exit", "unscored")] \
        == ["Strategic", "Star", "Status", "Streamline", "Unscored"]
    assert "strategic_growth" in rules.coverage  # the values (and everything keyed by them) are the SPEC's
    with pytest.raises(RulesError, match=r"labels.quadrants: unknown quadrant\(s\) stars"):
        load_rules(_write(tmp_path, '[labels.quadrants]\nstars = "Star"\n'))
    with pytest.raises(RulesError, match="empty label for defend"):
        load_rules(_write(tmp_path, '[labels.quadrants]\ndefend = " "\n'))
