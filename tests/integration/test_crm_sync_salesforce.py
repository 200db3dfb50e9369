"""``kam sync salesforce`` against a local HTTPS server speaking Salesforce's REST protocol, driven
through the real ``simple-salesforce``: first and incremental sync, push-back exactly once, an interrupted
sync resumed, bad records reported by CRM id while the rest goes on, rate limits, and no secret in logs."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from crm_mocks.salesforce import SalesforceMock
from crm_mocks.seed import confirmed_note, count_rows, seed_salesforce
from crm_mocks.server import serve
from pydantic import SecretStr
from sqlalchemy import func
from sqlmodel import select
from typer.testing import CliRunner

from integrations.cli.main import app
from integrations.crm.run import sync_crm
from integrations.runtime import Runtime
from store.crm_state import CrmLink, CrmSyncState
from store.db import Database
from store.models import Account, AuditLog, Commitment, Interaction, Opportunity, Participant, Stakeholder
from store.settings import Settings

TOKEN = "00Dmock!AQ4AQFakeSessionTokenValue0123456789"
ACME, DANA, SAM = "0018c00000B2aaAAAA", "0038c00000C3aaAAAA", "0058c00000A1bcEAAR"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    ca = trustme.CA()
    bundle = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    return ca, bundle


@pytest.fixture
def org(tls: tuple[trustme.CA, Path]) -> Iterator[tuple[SalesforceMock, str]]:
    ca, _ = tls
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    mock = SalesforceMock(TOKEN, page_size=2)
    seed_salesforce(mock)
    with serve(mock, context) as url:
        yield mock, url


@pytest.fixture
def runtime(settings: Settings, org: tuple[SalesforceMock, str], tls: tuple[trustme.CA, Path]) -> Iterator[Runtime]:
    _, url = org
    rt = Runtime.build(settings.model_copy(update={
        "salesforce_instance_url": url, "salesforce_access_token": SecretStr(TOKEN), "salesforce_ca_bundle": tls[1],
        "crm_max_retries": 2}))
    yield rt
    rt.close()



def _queries(mock: SalesforceMock, obj: str) -> list[str]:
    return [r.query["q"][0] for r in mock.requests if "q" in r.query and f" FROM {obj} " in r.query["q"][0]]


def test_first_sync_incremental_sync_and_push_back_exactly_once(org: tuple[SalesforceMock, str],
                                                                runtime: Runtime) -> None:
    mock, _ = org
    first = sync_crm(runtime, "salesforce")
    assert first.ok, first.as_text()
    assert first.created == {"users": 2, "accounts": 2, "stakeholders": 3, "opportunities": 3, "interactions": 3,
                             "participants": 2}
    assert _queries(mock, "Account")[0].endswith("FROM Account ORDER BY SystemModstamp, Id")
    assert any("nextRecordsUrl" not in r.path and r.path.split("/")[-1].startswith("01gMOCK")
               for r in mock.requests)  # a second page was read through nextRecordsUrl
    with runtime.db.session() as s:
        assert s.get(Stakeholder, DANA).authority == "budget"  # type: ignore[union-attr]  # Economic Buyer
        assert s.get(Stakeholder, "0038c00000C3abAAAA").authority == "none"  # type: ignore[union-attr]
        assert s.get(Opportunity, "0068c00000D4acAAAA").stage == "qualification"  # type: ignore[union-attr]
        assert s.get(Interaction, "00T8c00000E5aaAAAA").kind == "call"  # type: ignore[union-attr]
        assert s.get(CrmSyncState, ("salesforce", "Contact")).watermark  # type: ignore[union-attr]

    mock.add("Account", **{**mock.objects["Account"][ACME], "Industry": "Industrial Machinery",
                           "SystemModstamp": None} | {"SystemModstamp": mock._tick()})
    mock.add("Contact", Id="0038c00000C3aeAAAA", AccountId=ACME, FirstName="Helen", LastName="Brooks",
             Name="Helen Brooks", Title="COO", Department="Operations")
    second = sync_crm(runtime, "salesforce")
    assert second.ok, second.as_text()
    assert " WHERE SystemModstamp >= 2026-11-20T12:00:" in _queries(mock, "Account")[-1]
    assert second.updated.get("accounts") == 1 and second.created.get("stakeholders") == 1
    assert sum(second.created.values()) == 1
    with runtime.db.session() as s:
        assert s.get(Account, ACME).industry == "Industrial Machinery"  # type: ignore[union-attr]
        audits = s.exec(select(AuditLog).where(AuditLog.entity == "account", AuditLog.action == "update")).all()
        assert [a.entity_id for a in audits] == [ACME]

    confirmed_note(runtime.db, account_id=ACME, contact_id=DANA, owner_id=SAM)
    pushed = sync_crm(runtime, "salesforce")
    assert (pushed.pushed_created, pushed.pushed_updated) == (2, 0), pushed.as_text()
    posts = [r for r in mock.requests if r.method == "POST"]
    note = next(r.body for r in posts if r.body["Status"] == "Completed")
    assert note == {"Subject": "Renewal call with Dana", "Description": "Renewal call with Dana\nShe wants the ROI "
                    "summary first.", "ActivityDate": "2026-11-21", "Status": "Completed", "WhatId": ACME,
                    "WhoId": DANA, "OwnerId": SAM}
    task = next(r.body for r in posts if r.body["Status"] == "Not Started")
    assert (task["Subject"], task["ActivityDate"], task["WhatId"]) == ("Send Dana the ROI summary", "2026-11-28", ACME)

    interactions = count_rows(runtime.db, Interaction)
    again = sync_crm(runtime, "salesforce")  # our tasks come back from the CRM: skipped, not new interactions
    assert (again.pushed_created, again.pushed_updated, again.push_unchanged) == (0, 0, 2)
    assert count_rows(runtime.db, Interaction) == interactions
    assert len([r for r in mock.requests if r.method in ("POST", "PATCH")]) == 2

    with runtime.db.write() as s:
        s.get(Commitment, "C-1").status = "done"  # type: ignore[union-attr]
    done = sync_crm(runtime, "salesforce")
    assert (done.pushed_created, done.pushed_updated) == (0, 1)
    patch = [r for r in mock.requests if r.method == "PATCH"]
    assert len(patch) == 1 and patch[0].body["Status"] == "Completed"
    with runtime.db.session() as s:
        assert s.exec(select(func.count()).select_from(CrmLink).where(CrmLink.direction == "push")).one() == 2


def test_an_interrupted_sync_resumes_from_its_watermark_without_duplicates(org: tuple[SalesforceMock, str],
                                                                            runtime: Runtime) -> None:
    mock, _ = org
    mock.fail_next("GET", r"/query/01gMOCK\d+-2$", 500, body=[{"message": "server hiccup", "errorCode": "UNKNOWN"}])
    broken = sync_crm(runtime, "salesforce")
    assert broken.stopped and broken.stopped.startswith("Contact: HTTP 500"), broken.as_text()
    assert count_rows(runtime.db, Stakeholder) == 2  # the first page of contacts was written
    assert count_rows(runtime.db, Opportunity) == 0
    resumed = sync_crm(runtime, "salesforce")
    assert resumed.ok, resumed.as_text()
    counts = [count_rows(runtime.db, table) for table in (Stakeholder, Opportunity, Participant)]
    assert counts == [3, 3, 2]
    assert " WHERE SystemModstamp >= " in _queries(mock, "Contact")[-1]
    with runtime.db.session() as s:
        creates = s.exec(select(func.count()).select_from(AuditLog).where(
            AuditLog.entity == "stakeholder", AuditLog.action == "create")).one()
    assert creates == 3


def test_a_bad_record_is_reported_with_its_crm_id_and_the_rest_goes_on(org: tuple[SalesforceMock, str],
                                                                        runtime: Runtime) -> None:
    mock, _ = org
    mock.add("Opportunity", Id="0068c00000D4azAAAA", AccountId=ACME, Name="Acme - verbal", StageName="Verbal Commit",
             Amount=5000, CloseDate="2027-01-31")
    mock.add("Contact", Id="0038c00000C3azAAAA", AccountId="001000000000404AAA", Name="Ghost Person")
    # a bad task after one whose description spans lines: the failure still names the right record
    mock.add("Task", Id="00T8c00000E5ayAAAA", AccountId=ACME, Subject="Call", ActivityDate="2026-11-19",
             Status="Completed", OwnerId=SAM, Description="first line\r\nsecond line\nthird line")
    mock.add("Task", Id="00T8c00000E5azAAAA", AccountId=ACME, Subject="Call", ActivityDate="2026-11-19",
             Status="Completed", OwnerId="005000000000404AAA")
    # a contact whose manager comes in a later page
    mock.add("Contact", Id="0038c00000C3beAAAA", AccountId=ACME, Name="Ann Report", ReportsToId="0038c00000C3bgAAAA")
    mock.add("Contact", Id="0038c00000C3bfAAAA", AccountId=ACME, Name="Filler Person")
    mock.add("Contact", Id="0038c00000C3bgAAAA", AccountId=ACME, Name="Boss Person")
    report = sync_crm(runtime, "salesforce")
    reasons = {f.crm_id: f.reason for f in report.failures}
    assert reasons["0068c00000D4azAAAA"].startswith("StageName: unknown stage 'Verbal Commit': map it under "
                                                    "[import.stages]")
    assert reasons["0038c00000C3azAAAA"].startswith("AccountId: unknown account '001000000000404AAA'")
    assert reasons["00T8c00000E5azAAAA"].startswith("OwnerId: unknown user '005000000000404AAA'")
    assert report.stopped is None and len(report.failures) == 3
    assert count_rows(runtime.db, Opportunity) == 3 and count_rows(runtime.db, Stakeholder) == 6
    with runtime.db.session() as s:
        assert s.get(Stakeholder, "0038c00000C3beAAAA").reports_to == "0038c00000C3bgAAAA"  # type: ignore[union-attr]
    assert "failed: Opportunity 0068c00000D4azAAAA: StageName: unknown stage" in report.as_text()


def test_rate_limits_retry_after_and_the_api_usage_header(org: tuple[SalesforceMock, str], runtime: Runtime) -> None:
    mock, _ = org
    mock.fail_next("GET", r"/query/$", 429, {"Retry-After": "1"}, [{"message": "slow down", "errorCode": "LIMIT"}])
    mock.api_total = 12  # the sync stops at 90% of the org's daily API requests
    stopped = sync_crm(runtime, "salesforce")
    assert stopped.stopped and "API usage 11/12 reached KAM_SALESFORCE_MAX_API_SHARE=0.9" in stopped.stopped
    paths = [r.path for r in mock.requests]
    assert paths[1] == paths[2] and paths[1].endswith("/query/")  # the 429 was retried after Retry-After
    mock.api_total = 15000
    resumed = sync_crm(runtime, "salesforce")
    assert resumed.ok, resumed.as_text()
    assert count_rows(runtime.db, Interaction) == 3


def test_kam_sync_cli_dry_run_and_no_secret_in_output_or_logs(org: tuple[SalesforceMock, str], settings: Settings,
                                                              tls: tuple[trustme.CA, Path],
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    mock, url = org
    for key, value in {"SALESFORCE_INSTANCE_URL": url, "SALESFORCE_ACCESS_TOKEN": TOKEN,
                       "SALESFORCE_CA_BUNDLE": str(tls[1])}.items():
        monkeypatch.setenv(f"KAM_{key}", value)
    if settings.database_url:
        monkeypatch.setenv("KAM_DATABASE_URL", settings.database_url)
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    dry = runner.invoke(app, ["sync", "salesforce", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "salesforce sync (dry run: nothing written)" in dry.output
    assert "would create: users 2, accounts 2" in dry.output
    store = Database.from_settings(settings)
    try:  # a dry run writes nothing: no row, no watermark, nothing sent to the CRM
        assert count_rows(store, Account) == 0 and count_rows(store, CrmSyncState) == 0
    finally:
        store.dispose()
    assert {r.method for r in mock.requests} == {"GET"}
    real = runner.invoke(app, ["sync", "salesforce"])
    assert real.exit_code == 0 and "create: users 2, accounts 2, stakeholders 3" in real.output
    mock.add("Opportunity", Id="0068c00000D4azAAAA", AccountId=ACME, Name="x", StageName="Verbal Commit")
    bad = runner.invoke(app, ["sync", "salesforce"])
    assert bad.exit_code == 1 and "failed: Opportunity 0068c00000D4azAAAA" in bad.output
    assert all(TOKEN not in text for text in (dry.output, real.output, bad.output, caplog.text))
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in mock.requests)  # it was sent, only there
    missing = runner.invoke(app, ["sync", "pipedrive"])
    assert missing.exit_code == 2
    monkeypatch.delenv("KAM_SALESFORCE_ACCESS_TOKEN")
    unconfigured = runner.invoke(app, ["sync", "salesforce"])
    assert unconfigured.exit_code == 2 and "KAM_SALESFORCE_ACCESS_TOKEN" in unconfigured.output


def test_a_custom_field_mapped_in_the_rules_file_is_pulled(org: tuple[SalesforceMock, str], settings: Settings,
                                                           tls: tuple[trustme.CA, Path], tmp_path: Path) -> None:
    mock, url = org
    mock.add("Account", **{**mock.objects["Account"][ACME], "Sector__c": "Heavy machinery"})
    rules = tmp_path / "rules.toml"
    rules.write_text('[import.fields.salesforce.accounts]\nindustry = ["Sector__c", "Industry"]\n')
    rt = Runtime.build(settings.model_copy(update={
        "salesforce_instance_url": url, "salesforce_access_token": SecretStr(TOKEN), "salesforce_ca_bundle": tls[1],
        "rules_file": rules}))
    try:
        report = sync_crm(rt, "salesforce", push=False)
        assert report.ok, report.as_text()
        assert "Sector__c" in _queries(mock, "Account")[0]
        with rt.db.session() as s:
            assert s.get(Account, ACME).industry == "Heavy machinery"  # type: ignore[union-attr]
            assert s.get(Account, "0018c00000B2abAAAA").industry == "Retail"  # type: ignore[union-attr]
    finally:
        rt.close()
