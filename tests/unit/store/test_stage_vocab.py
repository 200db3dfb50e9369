"""Opportunity stages as CRMs write them: Salesforce and HubSpot defaults with no configuration, a team's
own words from ``[import.stages]`` of the rules file, and an unknown stage refused with file, line, the
stage and the hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from test_importer import BASE, write_book
from typer.testing import CliRunner

from integrations.cli.main import app
from store.db import Database
from store.importer import import_dir
from store.models import Opportunity
from store.stage_vocab import HUBSPOT_STAGES, SALESFORCE_STAGES, StageVocabulary
from tools.rules import RulesError, load_rules

OPP_HEADER = "id,account_id,name,product,business_unit,amount,stage,created,close_date"


def _book_with_stages(directory: Path, stages: list[str]) -> Path:
    rows = [f"O{i},A1,Deal {i},,,1000,{stage},2026-01-01,2026-12-01" for i, stage in enumerate(stages, 1)]
    return write_book(directory, {**BASE, "opportunities": [OPP_HEADER, *rows]})


def test_vocabulary_maps_crm_defaults_by_label_and_internal_id() -> None:
    vocabulary = StageVocabulary()
    for label, stage in SALESFORCE_STAGES.items():
        assert vocabulary.resolve(label) == stage
    for internal, (label, stage) in HUBSPOT_STAGES.items():
        assert vocabulary.resolve(internal) == vocabulary.resolve(label) == stage
    assert vocabulary.resolve("closed-won") == vocabulary.resolve("Won") == "closed_won"
    assert vocabulary.resolve("ID. DECISION MAKERS") == "qualification"
    assert vocabulary.resolve("identified") is None
    with pytest.raises(ValueError, match="not one of"):
        StageVocabulary({"identified": "maybe"})


def test_crm_default_stages_import_with_no_configuration(db: Database, tmp_path: Path) -> None:
    words = ["Needs Analysis", "Proposal/Price Quote", "Negotiation/Review", "contractsent", "Closed Lost",
             "Decision Maker Bought-In"]
    report = import_dir(db, _book_with_stages(tmp_path / "book", words), actor="t")
    assert report.ok, report.errors
    with db.session() as s:
        stages = {o.id: o.stage for o in s.exec(select(Opportunity))}
    assert stages == {"O1": "qualification", "O2": "proposal", "O3": "negotiation", "O4": "negotiation",
                      "O5": "closed_lost", "O6": "proposal"}


def test_team_stages_refused_with_the_hint_then_imported_once_mapped(db: Database, tmp_path: Path) -> None:
    book = _book_with_stages(tmp_path / "book", ["identified", "qualified", "won"])
    refused = import_dir(db, book, actor="t")
    assert not refused.ok
    errors = [str(e) for e in refused.file("opportunities").errors]
    assert errors[0].startswith("opportunities.csv:2: stage: unknown stage 'identified': map it under "
                                "[import.stages] in the rules file")
    assert "opportunities.csv:3: stage: unknown stage 'qualified'" in errors[1]
    assert len(errors) == 2  # "won" is ours
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text('[import.stages]\nidentified = "prospecting"\nqualified = "Qualification"\n')
    rules = load_rules(rules_file)
    report = import_dir(db, book, actor="t", stages=rules.import_.stages)
    assert report.ok, report.errors
    with db.session() as s:
        assert [o.stage for o in s.exec(select(Opportunity).order_by(Opportunity.id))] == [
            "prospecting", "qualification", "closed_won"]


def test_rules_file_refuses_a_mapping_onto_no_stage_of_ours(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text('[import.stages]\nidentified = "maybe"\n')
    with pytest.raises(RulesError, match=r"import\.stages: .*'identified' is mapped to 'maybe'"):
        load_rules(bad)


def test_kam_import_reads_import_stages_from_the_rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _book_with_stages(tmp_path / "book", ["identified"])
    runner = CliRunner()
    refused = runner.invoke(app, ["import", str(book), "--as-of", "2026-11-22"])
    assert refused.exit_code == 1
    assert "opportunities.csv:2: stage: unknown stage 'identified'" in refused.output
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text('[import.stages]\nidentified = "prospecting"\n')
    monkeypatch.setenv("KAM_RULES_FILE", str(rules_file))
    accepted = runner.invoke(app, ["import", str(book), "--as-of", "2026-11-22"])
    assert accepted.exit_code == 0, accepted.output
