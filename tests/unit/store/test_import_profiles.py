"""Export profiles: Salesforce-shaped and HubSpot-shaped export files import with ``--profile``, with the
same validation (errors name the CRM's file, line and column), idempotent upsert and audit as SPEC 8."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from crm_mocks.seed import count_rows
from sqlmodel import select
from typer.testing import CliRunner

from integrations.cli.main import app
from store.db import Database
from store.import_profiles import ProfileError, load_profile
from store.importer import ImportDirError, import_dir
from store.models import Account, AuditLog, Interaction, Opportunity, Participant, Stakeholder, User
from store.settings import Settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "crm"
SF, SF_REPORT, HS = FIXTURES / "salesforce_export", FIXTURES / "salesforce_report", FIXTURES / "hubspot_export"



def test_salesforce_data_export_imports_and_reimports_unchanged(db: Database) -> None:
    profile = load_profile("salesforce")
    report = import_dir(db, SF, actor="t", profile=profile)
    assert report.ok, [str(e) for e in report.errors]
    with db.session() as s:
        acme = s.get(Account, "0018c00000B2aaAAAA")
        assert acme and (acme.name, acme.owner_id, acme.annual_revenue) == ("Acme Corp", "0058c00000A1bcEAAR", 4200000)
        dana = s.get(Stakeholder, "0038c00000C3aaAAAA")
        assert dana and (dana.title, dana.department, dana.account_id) == ("CFO", "Finance", "0018c00000B2aaAAAA")
        assert s.get(Stakeholder, "0038c00000C3acAAAA") is None  # a private contact is left out
        stages = {o.id[-6:]: o.stage for o in s.exec(select(Opportunity))}
        assert stages == {"aaAAAA": "negotiation", "abAAAA": "closed_won", "acAAAA": "qualification"}
        call = s.get(Interaction, "00T8c00000E5aaAAAA")
        assert call and (call.kind, str(call.date)) == ("call", "2026-11-03")
        assert call.text == "Call: budget for 2027\n\nDana confirmed the budget\nis approved for Q1."
        assert s.get(Interaction, "00T8c00000E5abAAAA") is None  # a task on a lead
        assert s.get(Interaction, "00T8c00000E5adAAAA") is None  # an open task: a to-do, not an interaction
        meeting = s.get(Interaction, "00U8c00000F6aaAAAA")
        assert meeting and meeting.kind == "meeting"
        people = {(p.interaction_id[:3], p.stakeholder_id) for p in s.exec(select(Participant))}
        assert people == {("00T", "0038c00000C3aaAAAA"), ("00U", "0038c00000C3abAAAA")}
        assert s.get(User, "0058c00000A1bcEAAR").manager_id == "0058c00000A1bcDAAR"  # type: ignore[union-attr]
    assert any("left out" in w for f in report.files for w in f.warnings)
    audits = count_rows(db, AuditLog)
    assert audits == sum(report.totals()[k] for k in ("created", "updated"))
    again = import_dir(db, SF, actor="t", profile=profile)
    assert again.ok and again.totals()["created"] == again.totals()["updated"] == 0
    assert count_rows(db, AuditLog) == audits


def test_salesforce_report_export_owner_by_name_us_dates_and_stage_hint(db: Database, tmp_path: Path) -> None:
    assert import_dir(db, SF, actor="t", profile=load_profile("salesforce")).ok
    report = import_dir(db, SF_REPORT, actor="t", profile=load_profile("salesforce"))
    assert report.file("Account.csv").status == "written"
    assert [str(e) for e in report.errors] == [
        "Opportunity.csv:3: Stage: unknown stage 'identified': map it under [import.stages] in the rules file "
        "(KAM_RULES_FILE), e.g. identified = \"qualification\" (our stages: prospecting, qualification, proposal, "
        "negotiation, closed_won, closed_lost)"]
    with db.session() as s:
        assert s.get(Account, "0018c00000B2acAAAA").owner_id == "0058c00000A1bcEAAR"  # type: ignore[union-attr]
        assert s.get(Opportunity, "0068c00000D4adAAAA") is None  # nothing of a bad file is written
    mapped = import_dir(db, SF_REPORT, actor="t", profile=load_profile("salesforce"),
                        stages={"identified": "prospecting"})
    assert mapped.ok, mapped.errors
    with db.session() as s:
        quote = s.get(Opportunity, "0068c00000D4adAAAA")
        assert quote and (quote.stage, str(quote.close_date), str(quote.created)) == (
            "proposal", "2027-02-28", "2026-10-15")


def test_hubspot_export_imports_with_associations_and_owner_names(db: Database) -> None:
    report = import_dir(db, HS, actor="t", profile=load_profile("hubspot"))
    assert report.ok, [str(e) for e in report.errors]
    with db.session() as s:
        assert s.get(Account, "9002").owner_id == "grace@acme-sales.example"  # type: ignore[union-attr]
        assert s.get(User, "grace@acme-sales.example").role == "manager"  # type: ignore[union-attr]
        assert s.get(Stakeholder, "503").account_id == "9002"  # type: ignore[union-attr]  # the first company
        assert s.get(Stakeholder, "504") is None
        assert {o.id: o.stage for o in s.exec(select(Opportunity))} == {
            "7001": "negotiation", "7002": "closed_won", "7003": "qualification"}
        kinds = {i.id: i.kind for i in s.exec(select(Interaction))}
        assert kinds == {"8001": "call", "8002": "meeting", "8003": "note"}
        assert {(p.interaction_id, p.stakeholder_id) for p in s.exec(select(Participant))} == {
            ("8001", "501"), ("8002", "501"), ("8002", "502")}
    assert import_dir(db, HS, actor="t", profile=load_profile("hubspot")).totals()["created"] == 0


def test_a_bad_cell_names_the_crm_file_line_and_column(db: Database, tmp_path: Path) -> None:
    book = tmp_path / "hs"
    shutil.copytree(HS, book)
    deals = (book / "deals.csv").read_text().replace("Sales Pipeline,240000", "Sales Pipeline,$240k")
    (book / "deals.csv").write_text(deals)
    companies = (book / "companies.csv").read_text().replace("Grace Okafor,2025", "Nobody,2025")
    (book / "companies.csv").write_text(companies)
    report = import_dir(db, book, actor="t", profile=load_profile("hubspot"))
    errors = [str(e) for e in report.errors]
    assert errors[0] == ("companies.csv:3: Company owner: unknown user 'Nobody': not in users.csv nor in the "
                         "store")
    assert errors[1].startswith("deals.csv:3: Amount: '$240k' is not a number")
    assert count_rows(db, Account) == 0 and report.file("deals.csv").status == "failed"


def test_missing_columns_and_profiles(db: Database, tmp_path: Path) -> None:
    (tmp_path / "Account.csv").write_text("Account Name,Industry\nAcme,Retail\n")
    report = import_dir(db, tmp_path, actor="t", profile=load_profile("salesforce"))
    assert [str(e) for e in report.errors][0].startswith(
        "Account.csv:1: Id or Account ID: required column is missing (the header has: account name, industry)")
    with pytest.raises(ProfileError, match="no profile 'pipedrive'; the shipped ones are: hubspot, salesforce"):
        load_profile("pipedrive")
    with pytest.raises(ImportDirError, match="no the hubspot profile's files found"):
        import_dir(db, SF_REPORT, actor="t", profile=load_profile("hubspot"))
    own = tmp_path / "mine.toml"
    own.write_text('[[feed]]\ntarget = "accounts"\nfiles = ["Account.csv"]\n[feed.columns]\nid = ["Account Name"]\n'
                   'name = ["Account Name"]\nnickname = ["Industry"]\n')
    with pytest.raises(ProfileError, match="'nickname' is not a column of accounts.csv"):
        load_profile(own)


def test_kam_import_profile_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["import", "--profile", "hubspot", str(HS), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "participants" in result.output
    assert "2 record(s) left out: the profile keeps those with a value in Associated Contact IDs" in result.output
    bad = runner.invoke(app, ["import", "--profile", "nope", str(HS)])
    assert bad.exit_code == 2 and "no profile 'nope'" in bad.output


def test_a_teams_own_fields_from_the_rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "sf"
    shutil.copytree(SF, book)
    account = (book / "Account.csv").read_text().replace('"Industry",', '"Sector__c",')
    (book / "Account.csv").write_text(account)
    rules = tmp_path / "rules.toml"
    rules.write_text('[import.fields.salesforce.accounts]\nindustry = ["Sector__c"]\n')
    monkeypatch.setenv("KAM_RULES_FILE", str(rules))
    result = CliRunner().invoke(app, ["import", "--profile", "salesforce", str(book), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    db = Database.from_settings(Settings())
    try:
        with db.session() as s:
            assert s.get(Account, "0018c00000B2aaAAAA").industry == "Manufacturing"  # type: ignore[union-attr]
    finally:
        db.dispose()
    rules.write_text('[import.fields.salesforce.accounts]\nsector = ["Sector__c"]\n')
    bad = CliRunner().invoke(app, ["import", "--profile", "salesforce", str(book)])
    assert bad.exit_code == 2
    assert "import.fields.salesforce.accounts: 'sector' is not a column of accounts.csv" in bad.output
