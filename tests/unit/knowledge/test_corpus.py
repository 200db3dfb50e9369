"""The guidance corpus: it loads, its sections fit retrieval, its numbers agree with the rules, it is ours.

The rules checks read the figures the guidance quotes (coverage table, weights, bands, thresholds)
and compare them with ``tools.rules.Rules()`` defaults, so guidance and tools cannot drift apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from repo import ROOT

from knowledge.corpus import GUIDANCE_DIR, CorpusError, GuidanceSection, load_guidance
from tools.rules import Bands, Rules

QUERIES = ROOT / "evals" / "retrieval" / "guidance_queries.jsonl"
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
MIN_WORDS, MAX_WORDS = 120, 350
COPY_RUN = 12

QUADRANT_NAMES = {
    "Strategic Growth": "strategic_growth",
    "Develop": "develop",
    "Defend": "defend",
    "Maintain/Exit": "maintain_exit",
}
QUADRANT_SECTIONS = {
    "strategic_growth": "strategic-growth-plays",
    "develop": "develop-plays",
    "defend": "defend-plays",
    "maintain_exit": "maintain-exit-plays",
}


@pytest.fixture(scope="module")
def sections() -> list[GuidanceSection]:
    return load_guidance()


@pytest.fixture(scope="module")
def by_id(sections: list[GuidanceSection]) -> dict[str, GuidanceSection]:
    return {s.id: s for s in sections}


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules()


def _flat(section: GuidanceSection) -> str:
    return " ".join(section.text.split())


def _table(section: GuidanceSection) -> list[dict[str, str]]:
    """The first markdown table of a section, as rows keyed by header."""
    lines = [ln.strip() for ln in section.text.splitlines() if ln.strip().startswith("|")]
    assert len(lines) >= 3, f"{section.id}: no markdown table"
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    header, rows = cells[0], cells[2:]
    return [dict(zip(header, row, strict=True)) for row in rows]


def _days(cell: str) -> int | None:
    return None if cell == "none" else int(cell.removesuffix(" days"))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", ""))


def _bands_as_quoted(bands: Bands) -> list[tuple[float, int]]:
    return [(float(b), s) for b, s in bands.upper]


def _quoted_under_bands(text: str) -> list[tuple[float, int]]:
    return [(float(b), int(s)) for b, s in re.findall(r"under ([\d.]+)%? scores (\d)", text)]


def _quoted_else(text: str) -> list[tuple[float, int]]:
    return [(float(b), int(s)) for b, s in re.findall(r"([\d.]+)%? or more scores (\d)", text)]


# --- the corpus as a whole ---------------------------------------------------------------------


def test_corpus_loads_with_enough_sections(sections: list[GuidanceSection]) -> None:
    assert len(sections) >= 30
    assert len({s.file for s in sections}) >= 6
    for s in sections:
        assert s.title and s.text
        assert s.heading_path[-1] == s.title and s.heading_path[0]
        assert "<!-- id:" not in s.text


def test_ids_are_unique(sections: list[GuidanceSection]) -> None:
    ids = [s.id for s in sections]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("section", load_guidance(), ids=lambda s: s.id)
def test_section_within_word_bounds(section: GuidanceSection) -> None:
    assert MIN_WORDS <= section.word_count <= MAX_WORDS, f"{section.id}: {section.word_count} words"


def test_sections_are_self_contained(sections: list[GuidanceSection]) -> None:
    """A passage is retrieved alone, so it must not lean on its neighbours."""
    leaning = re.compile(r"\b(as above|see above|as below|see below|previous section|next section)\b", re.I)
    offenders = [s.id for s in sections if leaning.search(s.text)]
    assert not offenders


def test_no_vendor_names_or_pitches(sections: list[GuidanceSection]) -> None:
    banned = re.compile(r"arpedio|ultimahub|salesforce|agentforce|request a free consultation|book a demo", re.I)
    assert not [s.id for s in sections if banned.search(s.title + " " + s.text)]


def test_topics_of_the_brief_are_covered(by_id: dict[str, GuidanceSection]) -> None:
    required = {
        "kam-matrix", "attractiveness-axis", "supplier-strength-axis", "quadrant-assignment",
        "strategic-growth-plays", "develop-plays", "defend-plays", "maintain-exit-plays", "coverage-models",
        "segmentation", "scope-inflation", "scoring-calibration", "calibration-workshop", "account-economics",
        "lifetime-value", "cost-to-serve", "margin-leakage", "account-plan-parts", "white-space",
        "stakeholder-mapping", "influence-networks", "stakeholder-sentiment", "going-dark", "cooling",
        "sentiment-drop", "re-engagement", "multi-threading", "executive-sponsorship", "qbr-scoring",
        "running-a-qbr", "pipeline-coverage", "plan-currency", "commitments-discipline", "governance-cadence",
        "kam-metrics", "seven-step-programme", "rep-transitions", "common-failure-points", "land-and-expand",
        "cross-sell", "multi-site-rollout", "executive-alignment",
    }
    assert required <= set(by_id)


# --- the labelled retrieval set -------------------------------------------------------------------


def test_retrieval_queries_name_existing_sections(by_id: dict[str, GuidanceSection]) -> None:
    lines = [ln for ln in QUERIES.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert len(lines) >= 60
    queries = []
    for number, line in enumerate(lines, start=1):
        item = json.loads(line)
        assert set(item) == {"query", "relevant"}, f"line {number}"
        assert isinstance(item["query"], str) and item["query"].strip(), f"line {number}"
        assert 1 <= len(item["relevant"]) <= 2, f"line {number}"
        unknown = [r for r in item["relevant"] if r not in by_id]
        assert not unknown, f"line {number}: unknown section id(s) {unknown}"
        queries.append(item["query"].strip().lower())
    assert len(queries) == len(set(queries)), "duplicate queries"
    labelled = {r for ln in lines for r in json.loads(ln)["relevant"]}
    assert len(labelled) >= 0.8 * len(by_id), "most sections should be the answer to some query"


# --- numbers quoted in the guidance agree with the rules ------------------------------------------


def test_coverage_table_matches_rules(by_id: dict[str, GuidanceSection], rules: Rules) -> None:
    rows = _table(by_id["coverage-models"])
    assert {QUADRANT_NAMES[r["quadrant"]] for r in rows} == set(rules.coverage)
    for row in rows:
        cov = rules.coverage[QUADRANT_NAMES[row["quadrant"]]]
        assert _days(row["QBR every"]) == cov.qbr_every_days
        assert _days(row["key-stakeholder touch within"]) == cov.key_touch_days
        assert row["executive sponsor"] == cov.exec_sponsor
        assert row["account plan"] == cov.account_plan
        assert _days(row["plan refresh"]) == cov.plan_refresh_days


@pytest.mark.parametrize("quadrant", list(QUADRANT_SECTIONS))
def test_quadrant_sections_quote_their_coverage(
    quadrant: str, by_id: dict[str, GuidanceSection], rules: Rules
) -> None:
    text = _flat(by_id[QUADRANT_SECTIONS[quadrant]])
    cov = rules.coverage[quadrant]
    line = re.search(r"\*\*Coverage defaults:\*\*(.*?)\.", text)
    assert line, "no coverage defaults line"
    quoted = line.group(1)
    assert re.search(r"QBR every (\d+) days", quoted).group(1) == str(cov.qbr_every_days)
    assert re.search(r"touched within (\d+) days", quoted).group(1) == str(cov.key_touch_days)
    sponsor = re.search(r"(no executive sponsor|executive sponsor (\w+))", quoted)
    assert (sponsor.group(2) or "none") == cov.exec_sponsor
    plan = re.search(r"account plan (required|recommended|not required)", quoted).group(1)
    assert {"not required": "none"}.get(plan, plan) == cov.account_plan
    refresh = re.search(r"refreshed every (\d+) days", quoted)
    assert (int(refresh.group(1)) if refresh else None) == cov.plan_refresh_days


def test_key_touch_windows_quoted_everywhere(by_id: dict[str, GuidanceSection], rules: Rules) -> None:
    want = [rules.coverage[q].key_touch_days for q in QUADRANT_SECTIONS]
    dark = re.search(r"(\d+) days in Strategic Growth, (\d+) in Develop, (\d+) in Defend, (\d+) in Maintain/Exit",
                     _flat(by_id["going-dark"]))
    key = re.search(r"(\d+) days for Strategic Growth accounts, (\d+) days for Develop, (\d+) days for Defend "
                    r"and (\d+) days for Maintain/Exit", _flat(by_id["key-stakeholders"]))
    assert [int(g) for g in dark.groups()] == want
    assert [int(g) for g in key.groups()] == want
    fallback = rules.coverage[rules.stakeholders.unscored_quadrant].key_touch_days
    other = int(fallback * rules.stakeholders.other_window_factor)
    assert f"touched within {fallback} days, others within {other}" in _flat(by_id["unscored-accounts"])
    moves = _flat(by_id["quadrant-moves"])
    assert (f"from {rules.coverage['develop'].key_touch_days} to "
            f"{rules.coverage['strategic_growth'].key_touch_days} days") in moves


@pytest.mark.parametrize(("section_id", "axis"), [("attractiveness-axis", "attractiveness_weights"),
                                                  ("supplier-strength-axis", "strength_weights")])
def test_axis_weights_match_rules(
    section_id: str, axis: str, by_id: dict[str, GuidanceSection], rules: Rules
) -> None:
    quoted = {row["criterion"]: float(row["weight"]) for row in _table(by_id[section_id])}
    assert quoted == getattr(rules.scoring, axis)


def test_worked_example_and_threshold(by_id: dict[str, GuidanceSection], rules: Rules) -> None:
    text = _flat(by_id["quadrant-assignment"])
    assert f"threshold of {rules.scoring.threshold:.1f}" in text
    a = rules.scoring.attractiveness_weights
    s = rules.scoring.strength_weights
    attractiveness = 4 * a["revenue"] + 3 * a["gross_margin"] + 4 * a["growth_potential"] + 2 * a["strategic_fit"]
    parts = [2 * s["relationship_depth"], 3 * s["competitive_position"], 2 * s["share_of_wallet"]]
    strength = sum(parts) + 3 * s["propensity_to_partner"]
    partial = sum(parts) / (1 - s["propensity_to_partner"])
    assert f"= {attractiveness:.2f}, which is high" in text and attractiveness >= rules.scoring.threshold
    assert f"= {strength:.2f}, which is low" in text and strength < rules.scoring.threshold
    assert f"= {round(partial, 2):.2f}" in text


@pytest.mark.parametrize(("section_id", "bands"), [
    ("attractiveness-axis", "gross_margin_bands"),
    ("supplier-strength-axis", "share_of_wallet_bands"),
    ("relationship-depth", "relationship_depth_bands"),
])
def test_scoring_bands_match_rules(
    section_id: str, bands: str, by_id: dict[str, GuidanceSection], rules: Rules
) -> None:
    band = getattr(rules.scoring, bands)
    text = _flat(by_id[section_id])
    assert _quoted_under_bands(text) == _bands_as_quoted(band)
    assert _quoted_else(text) == [(float(band.upper[-1][0]), band.else_score)]


def test_pipeline_bands_and_default_target(
    sections: list[GuidanceSection], by_id: dict[str, GuidanceSection], rules: Rules
) -> None:
    band = rules.health.pipeline_bands
    text = _flat(by_id["pipeline-coverage"])
    assert _quoted_under_bands(text) == _bands_as_quoted(band)
    assert _quoted_else(text) == [(float(band.upper[-1][0]), band.else_score)]
    share = round(rules.health.default_growth_target_share * 100)
    quoted = {int(m) for s in sections for m in re.findall(r"(\d+)% of (?:the account's )?annual revenue", _flat(s))}
    assert quoted == {share}


def test_plan_currency_bands(by_id: dict[str, GuidanceSection], rules: Rules) -> None:
    band = rules.health.plan_currency_bands
    text = _flat(by_id["plan-currency"])
    quoted = [(float(m), int(s)) for m, s in re.findall(r"within ([\d.]+)x the refresh window scores (\d)", text)]
    assert quoted == _bands_as_quoted(band)
    assert re.search(r"older than that scores (\d)", text).group(1) == str(band.else_score)
    refresh = rules.coverage["strategic_growth"].plan_refresh_days
    days = [(int(d), int(s)) for d, s in re.findall(r"up to (\d+) days(?: old)? scores (\d)", text)]
    assert days == [(round(refresh * m), s) for m, s in band.upper]


def test_commitment_bands_and_due_soon(by_id: dict[str, GuidanceSection], rules: Rules) -> None:
    band = rules.health.commitment_bands
    text = _flat(by_id["commitments-discipline"])
    quoted = [(0.0, int(re.search(r"none overdue scores (\d)", text).group(1)))]
    quoted += [(int(p) / 100, int(s)) for p, s in re.findall(r"up to (\d+)% overdue scores (\d)", text)]
    assert quoted == _bands_as_quoted(band)
    assert re.search(r"more than that scores (\d)", text).group(1) == str(band.else_score)
    assert f"within the next {rules.commitments.due_soon_days} days" in text


def test_portfolio_checks_match_rules(by_id: dict[str, GuidanceSection], rules: Rules) -> None:
    p = rules.portfolio
    assert (f"more than {p.scope_inflation_share * 100:.0f}% of the accounts in a matrix are Strategic Growth"
            in _flat(by_id["scope-inflation"]))
    calibration = _flat(by_id["scoring-calibration"])
    assert f"{p.calibration_gap} or more above" in calibration
    assert f"{p.calibration_gap} or more below" in calibration
    assert f"at least {p.calibration_min_accounts} accounts" in calibration
    leakage = _flat(by_id["margin-leakage"])
    assert f"under {p.margin_leakage_contribution_share * 100:.0f}% of revenue" in leakage
    assert "revenue score is 5" in leakage


def test_stakeholder_rules_match(by_id: dict[str, GuidanceSection], rules: Rules) -> None:
    st = rules.stakeholders
    key = _flat(by_id["key-stakeholders"])
    assert " or ".join(st.key_authorities[-2:]) in key and f"influence is {st.key_min_influence} or more" in key
    cooling = _flat(by_id["cooling"])
    assert f"the last {st.cooling_window_days} days, and the {st.cooling_window_days} days before that" in cooling
    assert st.cooling_ratio == 0.5 and "fewer than half" in cooling
    assert f"had at least {st.cooling_min_previous}" in cooling
    drop = _flat(by_id["sentiment-drop"])
    assert f"at least {st.sentiment_drop} points below the highest" in drop
    assert f"in the {st.sentiment_drop_window_days} days before it" in drop
    assert f"latest sentiment is {st.champion_max_sentiment} or below" in drop
    threads = _flat(by_id["multi-threading"])
    window = rules.scoring.engaged_window_days
    assert (f"at most {st.single_threaded_max_engaged} stakeholder engaged in the last {window} days, "
            f"out of {st.single_threaded_min_mapped} or more mapped") in threads
    assert f"fewer than {st.thin_coverage_share * 100:.0f}% of mapped stakeholders" in threads


def test_health_and_drift_rules_match(by_id: dict[str, GuidanceSection], rules: Rules) -> None:
    health = _flat(by_id["account-health"])
    sentiment = (f"engaged in the last {rules.health.sentiment_window_days} days, "
                 f"plus {rules.health.sentiment_offset:.0f}")
    assert sentiment in health and sentiment in _flat(by_id["stakeholder-sentiment"])
    depth = _flat(by_id["relationship-depth"])
    assert f"in the {rules.scoring.engaged_window_days} days up to the scoring date" in depth
    assert "One point is then taken off" in depth and rules.scoring.no_exec_penalty == 1
    drift = _flat(by_id["drifting-accounts"])
    d = rules.drift
    assert f"{d.window_days} days earlier" in drift
    assert f"overall health fell by {d.overall_drop} or more" in drift
    assert f"dimension fell by {d.dimension_drop} or more" in drift


# --- the corpus is written in the project's own words ---------------------------------------------


def test_no_long_run_copied_from_the_seed_texts(sections: list[GuidanceSection]) -> None:
    seeds = sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
    if not seeds:
        pytest.skip(f"{SEEDS_DIR}: seed texts not present")
    seen: set[tuple[str, ...]] = set()
    for path in seeds:
        words = _words(path.read_text(encoding="utf-8"))
        seen.update(tuple(words[i:i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1))
    copied = []
    for s in sections:
        words = _words(s.title + " " + s.text)
        copied += [f"{s.id}: {' '.join(words[i:i + COPY_RUN])}" for i in range(len(words) - COPY_RUN + 1)
                   if tuple(words[i:i + COPY_RUN]) in seen]
    assert not copied, copied[:5]


# --- the loader's errors --------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_loader_reads_a_small_corpus(tmp_path: Path) -> None:
    _write(tmp_path, "b.md", "# Theme B\n\n## Second\n<!-- id: second -->\n\nMore text.\n")
    _write(tmp_path, "a.md", "# Theme A\n\n## First\n<!-- id: first -->\n\nSome text.\n\n### Detail\n\nStill first.\n"
                             "\n```\n## not a heading\n```\n")
    sections = load_guidance(tmp_path)
    assert [s.id for s in sections] == ["first", "second"]
    first = sections[0]
    assert first.file == "a.md" and first.heading_path == ("Theme A", "First") and first.line == 3
    assert "### Detail" in first.text and "## not a heading" in first.text
    assert first.citation == "First [first]"


def test_default_directory_is_the_bundled_corpus() -> None:
    assert GUIDANCE_DIR.is_dir() and load_guidance() == load_guidance(GUIDANCE_DIR)


@pytest.mark.parametrize(("files", "message"), [
    ({"a.md": "# A\n\n## One\n<!-- id: x -->\ntext\n", "b.md": "# B\n\n## Two\n<!-- id: x -->\ntext\n"},
     r"b\.md:3: duplicate id 'x' \(first used in a\.md:3\)"),
    ({"a.md": "# A\n\n## One\n\ntext without an id\n"}, r"a\.md:3: section 'One' has no id line"),
    ({"a.md": "# A\n\n## One\n\n## Two\n<!-- id: two -->\ntext\n"}, r"a\.md:3: section 'One' has no id line"),
    ({"a.md": "# A\n\n## One\n<!-- id: Not_Valid -->\ntext\n"}, r"a\.md:4: bad id 'Not_Valid'"),
    ({"a.md": "# A\n\n## One\n<!-- id: one -->\n\n"}, r"a\.md:3: section 'One' has no text"),
    ({"a.md": "# A\nstray intro\n## One\n<!-- id: one -->\ntext\n"}, r"a\.md:2: text outside any '##' section"),
    ({"a.md": "# A\n\n## One\n<!-- id: one -->\n```\nnever closed\n"}, r"a\.md: a code fence is never closed"),
    ({"a.md": "# A\n\nnothing else\n"}, r"a\.md:3: text outside"),
    ({"a.md": "# A\n"}, r"a\.md: no '##' sections"),
    ({"a.md": "# A\n\n## One\n<!-- id: one -->\ntext\n# B\n"}, r"a\.md:6: a second '#' title"),
])
def test_loader_errors_name_file_and_line(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        _write(tmp_path, name, text)
    with pytest.raises(CorpusError, match=message):
        load_guidance(tmp_path)


def test_loader_refuses_missing_or_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found"):
        load_guidance(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no guidance files"):
        load_guidance(tmp_path)
    (tmp_path / "bad.md").write_bytes(b"# A\n\n## One\n<!-- id: one -->\n\xff\xfe\n")
    with pytest.raises(CorpusError, match="bad.md: not valid UTF-8"):
        load_guidance(tmp_path)
