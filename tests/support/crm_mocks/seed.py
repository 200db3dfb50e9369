"""Seeding the CRM mocks from the export fixtures (tests/fixtures/crm), and a confirmed note to push."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from crm_mocks.hubspot import HubSpotMock
from crm_mocks.salesforce import SalesforceMock
from store.db import Database
from store.models import Commitment, Interaction, Participant, PendingAction


def count_rows(db: Database, table: type) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(table)).one()


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "crm"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def seed_salesforce(mock: SalesforceMock) -> None:
    """The Data Export fixture as the org's records (in dependency order, so stamps ascend that way)."""
    for obj in ("User", "Account", "Contact", "Opportunity", "Task", "Event"):
        for row in _rows(FIXTURES / "salesforce_export" / f"{obj}.csv"):
            row.pop("SystemModstamp", None)
            mock.add(obj, **{k: (v or None) for k, v in row.items()})
    mock.add("OpportunityContactRole", Id="00K8c00000G7aaAAAA", ContactId="0038c00000C3aaAAAA",
             OpportunityId="0068c00000D4aaAAAA", Role="Economic Buyer", IsPrimary=True)
    mock.add("OpportunityContactRole", Id="00K8c00000G7abAAAA", ContactId="0038c00000C3abAAAA",
             OpportunityId="0068c00000D4aaAAAA", Role="Influencer", IsPrimary=False)


def seed_hubspot(mock: HubSpotMock) -> None:
    mock.owners = [
        {"id": "31", "email": "sam@acme-sales.example", "firstName": "Sam", "lastName": "Patel", "userId": 1,
         "type": "PERSON", "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z", "archived": False},
        {"id": "32", "email": "grace@acme-sales.example", "firstName": "Grace", "lastName": "Okafor", "userId": 2,
         "type": "PERSON", "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z", "archived": False},
    ]
    mock.add("companies", "9001", name="Acme Corp", industry="MACHINERY", annualrevenue="4200000",
             hubspot_owner_id="31")
    mock.add("companies", "9002", name="Halcyon Retail Group", industry="RETAIL", hubspot_owner_id="32")
    mock.add("contacts", "501", firstname="Dana", lastname="Whitfield", jobtitle="CFO", associatedcompanyid="9001")
    mock.add("contacts", "502", firstname="Priya", lastname="Raman", jobtitle="VP Operations",
             associatedcompanyid="9001")
    mock.add("contacts", "503", firstname="Nina", lastname="Alvarez", associatedcompanyid="9002")
    mock.add("deals", "7001", dealname="Acme - Nimbus renewal", dealstage="contractsent", amount="1200000",
             closedate="2027-01-01T00:00:00Z", createdate="2026-07-25T10:00:00Z", hubspot_owner_id="31")
    mock.associate("deals", "7001", "companies", "9001")
    mock.add("deals", "7002", dealname="Halcyon - FlowOps", dealstage="closedwon", amount="240000",
             closedate="2026-05-01T00:00:00Z", hubspot_owner_id="32")
    mock.associate("deals", "7002", "companies", "9002")
    mock.add("calls", "8001", hs_call_title="Budget for 2027", hs_call_body="Dana confirmed the budget.",
             hs_timestamp="2026-11-03T15:00:00Z", hubspot_owner_id="31")
    mock.associate("calls", "8001", "companies", "9001")
    mock.associate("calls", "8001", "contacts", "501")
    mock.add("meetings", "8002", hs_meeting_title="QBR", hs_meeting_body="Plant rollout by March.",
             hs_timestamp="2026-11-10T14:00:00Z", hubspot_owner_id="31")
    mock.associate("meetings", "8002", "companies", "9001")
    mock.associate("meetings", "8002", "contacts", "501", "502")
    mock.add("notes", "8003", hs_note_body="Sent the pricing sheet.", hs_timestamp="2026-11-05T15:00:00Z")
    mock.associate("notes", "8003", "companies", "9002")
    mock.add("tasks", "8004", hs_task_subject="Send the renewal quote", hs_task_status="NOT_STARTED",
             hs_timestamp="2026-12-15T09:00:00Z", hubspot_owner_id="31")  # a to-do: not an interaction
    mock.associate("tasks", "8004", "companies", "9001")


def confirmed_note(db: Database, *, account_id: str, contact_id: str, owner_id: str) -> None:
    """A note confirmed in the conversation (as ``log_note`` leaves it), with a commitment of ours."""
    with db.write() as s:
        s.add(Interaction(id="N-1", account_id=account_id, date=dt.date(2026, 11, 21), kind="meeting",
                          author_id=owner_id, text="Renewal call with Dana\nShe wants the ROI summary first."))
        s.flush()
        s.add(Participant(interaction_id="N-1", stakeholder_id=contact_id, sentiment=1))
        s.add(PendingAction(id="P-1", user_id=owner_id, kind="log_note", status="confirmed",
                            result={"interaction_id": "N-1"}))
        s.add(Commitment(id="C-1", account_id=account_id, side="ours", owner_id=owner_id,
                         description="Send Dana the ROI summary", due=dt.date(2026, 11, 28),
                         source_interaction_id="N-1"))
        s.add(Commitment(id="C-2", account_id=account_id, side="customer", owner_id=owner_id,
                         description="Dana to share the budget plan", due=dt.date(2026, 11, 30)))
