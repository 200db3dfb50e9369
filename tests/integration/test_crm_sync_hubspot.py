"""``kam sync hubspot`` against a local server speaking HubSpot's CRM v3/v4 protocol, driven through the real
``hubspot-api-client``: first and incremental sync (search on the last-modified date with ``after`` paging),
notes and tasks pushed back exactly once with their associations, 429s, an interrupted sync, bad records."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from crm_mocks.hubspot import HubSpotMock
from crm_mocks.seed import confirmed_note, count_rows, seed_hubspot
from crm_mocks.server import serve
from pydantic import SecretStr
from sqlmodel import select

from integrations.crm.run import sync_crm
from integrations.runtime import Runtime
from store.models import Account, Commitment, Interaction, Opportunity, Participant, Stakeholder, User
from store.settings import Settings

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"


@pytest.fixture
def portal() -> Iterator[tuple[HubSpotMock, str]]:
    mock = HubSpotMock(TOKEN, page_size=2)
    seed_hubspot(mock)
    with serve(mock) as url:
        yield mock, url


@pytest.fixture
def runtime(settings: Settings, portal: tuple[HubSpotMock, str]) -> Iterator[Runtime]:
    rt = Runtime.build(settings.model_copy(update={"hubspot_token": SecretStr(TOKEN), "hubspot_base_url": portal[1],
                                                   "crm_max_retries": 2}))
    yield rt
    rt.close()



def _searches(mock: HubSpotMock, kind: str) -> list[dict]:
    return [r.body for r in mock.requests if r.path == f"/crm/v3/objects/{kind}/search"]


def test_first_sync_incremental_sync_and_push_back_exactly_once(portal: tuple[HubSpotMock, str], runtime: Runtime,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    mock, _ = portal
    first = sync_crm(runtime, "hubspot")
    assert first.ok, first.as_text()
    assert first.created == {"users": 2, "accounts": 2, "stakeholders": 3, "opportunities": 2, "interactions": 3,
                             "participants": 3}
    assert [b.get("after") for b in _searches(mock, "contacts")] == [None, "2"]  # paged with `after`
    assert _searches(mock, "contacts")[0]["filterGroups"] == []
    with runtime.db.session() as s:
        acme = s.get(Account, "9001")
        assert acme and (acme.owner_id, acme.annual_revenue) == ("sam@acme-sales.example", 4200000)
        assert s.get(User, "sam@acme-sales.example").name == "Sam Patel"  # type: ignore[union-attr]
        assert s.get(Stakeholder, "502").title == "VP Operations"  # type: ignore[union-attr]
        deal = s.get(Opportunity, "7001")
        assert deal and (deal.stage, deal.account_id, str(deal.close_date)) == ("negotiation", "9001", "2027-01-01")
        meeting = s.get(Interaction, "8002")
        assert meeting and (meeting.kind, meeting.text) == ("meeting", "QBR\n\nPlant rollout by March.")
        assert {p.stakeholder_id for p in s.exec(select(Participant).where(Participant.interaction_id == "8002"))} \
            == {"501", "502"}

    mock.add("deals", "7001", **{**mock.objects["deals"]["7001"], "dealstage": "closedwon"})
    incremental = sync_crm(runtime, "hubspot")
    assert incremental.ok and incremental.updated.get("opportunities") == 1
    assert sum(incremental.created.values()) == 0
    deal_filter = _searches(mock, "deals")[-1]["filterGroups"][0]["filters"][0]
    assert (deal_filter["propertyName"], deal_filter["operator"]) == ("hs_lastmodifieddate", "GTE")

    confirmed_note(runtime.db, account_id="9001", contact_id="501", owner_id="sam@acme-sales.example")
    pushed = sync_crm(runtime, "hubspot")
    assert (pushed.pushed_created, pushed.pushed_updated) == (2, 0), pushed.as_text()
    created = {r.path: r.body for r in mock.requests if r.method == "POST" and not r.path.endswith(("search", "read"))}
    note, task = created["/crm/v3/objects/notes"], created["/crm/v3/objects/tasks"]
    assert note["properties"]["hs_note_body"].startswith("Renewal call with Dana")
    assert note["properties"]["hubspot_owner_id"] == "31"
    assert [(a["to"]["id"], a["types"][0]["associationTypeId"]) for a in note["associations"]] == [
        ("9001", 190), ("501", 202)]
    assert (task["properties"]["hs_task_subject"], task["properties"]["hs_task_status"]) == (
        "Send Dana the ROI summary", "NOT_STARTED")
    interactions = count_rows(runtime.db, Interaction)
    again = sync_crm(runtime, "hubspot")  # our note comes back in the notes search: skipped
    assert (again.pushed_created, again.pushed_updated, again.push_unchanged) == (0, 0, 2)
    assert count_rows(runtime.db, Interaction) == interactions
    with runtime.db.write() as s:
        s.get(Commitment, "C-1").status = "done"  # type: ignore[union-attr]
    done = sync_crm(runtime, "hubspot")
    patches = [r for r in mock.requests if r.method == "PATCH"]
    assert done.pushed_updated == 1 and len(patches) == 1
    assert patches[0].body["properties"]["hs_task_status"] == "COMPLETED"
    assert TOKEN not in caplog.text and TOKEN not in done.as_text()


def test_429_retry_interrupted_sync_and_bad_records(portal: tuple[HubSpotMock, str], runtime: Runtime) -> None:
    mock, _ = portal
    mock.fail_next("POST", r"/objects/companies/search$", 429, {"Retry-After": "1"},
                   {"status": "error", "message": "You have reached your secondly limit.", "category": "RATE_LIMITS"})
    mock.fail_next("POST", r"/objects/deals/search$", 502, body={"status": "error", "message": "Bad gateway"})
    mock.add("deals", "7009", dealname="Mystery deal", dealstage="handshake")
    mock.associate("deals", "7009", "companies", "9001")
    seen = len(mock.requests)
    broken = sync_crm(runtime, "hubspot")
    assert broken.stopped and broken.stopped.startswith("deals: HTTP 502"), broken.as_text()
    companies = [r for r in mock.requests[seen:] if r.path.endswith("companies/search")]
    assert len(companies) == 2  # the 429 was retried
    assert count_rows(runtime.db, Stakeholder) == 3 and count_rows(runtime.db, Opportunity) == 0
    resumed = sync_crm(runtime, "hubspot")
    assert [str(f) for f in resumed.failures] == [
        "deals 7009: dealstage: unknown stage 'handshake': map it under [import.stages] in the rules file "
        "(KAM_RULES_FILE), e.g. handshake = \"qualification\" (our stages: prospecting, qualification, proposal, "
        "negotiation, closed_won, closed_lost)"]
    assert count_rows(runtime.db, Opportunity) == 2 and count_rows(runtime.db, Interaction) == 3


def test_kam_serve_schedules_the_sync_of_each_configured_crm(portal: tuple[HubSpotMock, str],
                                                             runtime: Runtime) -> None:
    from integrations.scheduler import start_scheduler

    runtime.settings.crm_sync_schedule = "*/15 * * * *"
    scheduler = start_scheduler(runtime)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert sorted(jobs) == ["kam-crm-sync-hubspot"]  # no Slack token: no nudges; no Salesforce credentials
        assert jobs["kam-crm-sync-hubspot"].next_run_time.minute % 15 == 0
        jobs["kam-crm-sync-hubspot"].func()  # the job itself: the same sync as `kam sync hubspot`
    finally:
        scheduler.shutdown(wait=False)
    assert count_rows(runtime.db, Account) == 2


def test_a_pull_longer_than_the_search_window_starts_a_new_search(portal: tuple[HubSpotMock, str],
                                                                  runtime: Runtime,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import integrations.crm.hubspot as hubspot

    mock, _ = portal
    monkeypatch.setattr(hubspot, "SEARCH_WINDOW", 4)  # HubSpot's is 10,000 (pages of 100)
    monkeypatch.setattr(hubspot, "PAGE_SIZE", 2)
    for n in range(5):
        mock.add("companies", f"91{n:02d}", name=f"Company {n}", hubspot_owner_id="31")
    report = sync_crm(runtime, "hubspot", push=False)
    assert report.ok, report.as_text()
    searches = _searches(mock, "companies")
    assert [bool(b["filterGroups"]) for b in searches][:3] == [False, False, True]  # the third starts over
    assert all(int(b.get("after") or 0) < 4 for b in searches)
    assert count_rows(runtime.db, Account) == 7


def test_a_failed_push_is_reported_and_sent_on_the_next_run(portal: tuple[HubSpotMock, str],
                                                             runtime: Runtime) -> None:
    mock, _ = portal
    assert sync_crm(runtime, "hubspot").ok
    confirmed_note(runtime.db, account_id="9001", contact_id="501", owner_id="sam@acme-sales.example")
    refusal = {"status": "error", "message": "Property values were not valid", "category": "VALIDATION_ERROR"}
    mock.fail_next("POST", r"/crm/v3/objects/notes$", 400, body=refusal)
    first = sync_crm(runtime, "hubspot")
    assert first.pushed_created == 1  # the task went; the note did not
    assert [str(f) for f in first.failures] == [
        'push note N-1 (new): HTTP 400: {"status": "error", "message": "Property values were not valid", '
        '"category": "VALIDATION_ERROR"}']
    second = sync_crm(runtime, "hubspot")
    assert (second.pushed_created, second.push_unchanged) == (1, 1) and second.ok
    assert len(mock.objects["notes"]) == 2  # the portal's own note and ours, once
