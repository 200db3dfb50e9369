"""HubSpot over ``hubspot-api-client``: CRM v3 search on the last-modified date with ``after`` paging,
associations read in batches (v4), notes and tasks pushed back with v3 object create / update.

A search returns at most 10,000 results, so a longer pull starts a new search from the last page's stamp.
The credential is a private app's access token, ``KAM_HUBSPOT_TOKEN``. Calls answered 429 or 503 are
retried after ``Retry-After`` (urllib3's retry, which the client library takes). Owners become users,
with their e-mail address as id (as in the export profile), so records name them by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from hubspot import HubSpot
from hubspot.crm.associations.v4.models import (
    BatchInputPublicFetchAssociationsBatchRequest,
    PublicFetchAssociationsBatchRequest,
)
from hubspot.crm.objects.models import (
    PublicObjectSearchRequest,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)

from integrations.crm.connector import CrmConfigError, Page, PushItem, Step, retry_policy, source_fields, text_value
from store.import_profiles import Profile
from store.settings import Settings

ENGAGEMENTS = ("calls", "meetings", "notes", "emails", "tasks")
STEPS = (
    Step("owners", "users.csv", "user"),
    Step("companies", "companies.csv", "account"),
    Step("contacts", "contacts.csv", "stakeholder"),
    Step("deals", "deals.csv"),
    *(Step(kind, "activities.csv") for kind in ENGAGEMENTS),
)
_MODIFIED = {"contacts": "lastmodifieddate"}  # every other object: hs_lastmodifieddate
_ASSOCIATED = {"deals": ("companies",), **{kind: ("companies", "contacts") for kind in ENGAGEMENTS}}
_COLUMN = {"companies": "Associated Company IDs", "contacts": "Associated Contact IDs"}
# HubSpot-defined association type ids: note -> company / contact, task -> company / contact.
_NOTE_TO, _TASK_TO = {"companies": 190, "contacts": 202}, {"companies": 192, "contacts": 204}
PAGE_SIZE = 100
SEARCH_WINDOW = 10_000  # HubSpot's search returns at most this many results of one query


class HubSpotConnector:
    crm = "hubspot"
    steps = STEPS

    def __init__(self, settings: Settings, profile: Profile) -> None:
        if settings.hubspot_token is None:
            raise CrmConfigError("HubSpot is not configured: set KAM_HUBSPOT_TOKEN (a private app's access token)")
        self.profile = profile
        options: dict[str, Any] = {"access_token": settings.hubspot_token.get_secret_value(),
                                   "retry": retry_policy(settings.crm_max_retries)}
        if settings.hubspot_base_url:
            options["host"] = settings.hubspot_base_url.rstrip("/")
        self.client = HubSpot(**options)
        self._owners: dict[str, str] | None = None  # owner id -> e-mail

    def owners(self) -> dict[str, dict[str, str]]:
        """Every owner by id: e-mail, first and last name."""
        found: dict[str, dict[str, str]] = {}
        after = None
        while True:
            page = self.client.crm.owners.owners_api.get_page(limit=PAGE_SIZE, after=after)
            for owner in page.results:
                found[str(owner.id)] = {"Email": owner.email or "", "First Name": owner.first_name or "",
                                        "Last Name": owner.last_name or ""}
            after = page.paging.next.after if page.paging and page.paging.next else None
            if after is None:
                self._owners = {k: v["Email"] for k, v in found.items() if v["Email"]}
                return found

    def pull(self, step: Step, since: str | None) -> Iterator[Page]:
        if step.object == "owners":
            yield Page(list(self.owners().values()), None)
            return
        if self._owners is None:
            self.owners()
        modified = _MODIFIED.get(step.object, "hs_lastmodifieddate")
        # HubSpot's internal property names are lower case (the profile's "Name" reads property "name")
        properties = list(dict.fromkeys([*(f.lower() for f in source_fields(self.profile, step.file)), modified]))
        filters = [{"filters": [{"propertyName": modified, "operator": "GTE", "value": since}]}] if since else []
        after: str | None = None
        while True:
            request = PublicObjectSearchRequest(
                filter_groups=filters, sorts=[{"propertyName": modified, "direction": "ASCENDING"}],
                properties=properties, limit=PAGE_SIZE, after=after)
            page = self.client.crm.objects.search_api.do_search(step.object, public_object_search_request=request)
            records = [self._record(step.object, obj) for obj in page.results]
            self._associate(step.object, records)
            last = page.results[-1].properties.get(modified) if page.results else None
            yield Page(records, last)
            after = page.paging.next.after if page.paging and page.paging.next else None
            if after is None:
                return
            if int(after) + PAGE_SIZE > SEARCH_WINDOW and last:  # search pages stop at 10,000 results: start over
                filters = [{"filters": [{"propertyName": modified, "operator": "GTE", "value": last}]}]
                after = None

    def push(self, item: PushItem, external_id: str | None) -> str:
        when = dt.datetime.combine(item.day or dt.date.today(), dt.time(12), tzinfo=dt.UTC).isoformat()
        owner = next((oid for oid, email in (self._owners or {}).items() if email == item.owner_id), None)
        if item.kind == "note":
            kind, types = "notes", _NOTE_TO
            properties = {"hs_note_body": f"{item.subject}\n\n{item.body}".strip(), "hs_timestamp": when}
        else:
            kind, types = "tasks", _TASK_TO
            properties = {"hs_task_subject": item.subject, "hs_task_body": item.body, "hs_timestamp": when,
                          "hs_task_status": "COMPLETED" if item.done else "NOT_STARTED", "hs_task_type": "TODO"}
        if owner:
            properties["hubspot_owner_id"] = owner
        api = self.client.crm.objects.basic_api
        if external_id:
            api.update(kind, external_id, simple_public_object_input=SimplePublicObjectInput(properties=properties))
            return external_id
        targets = [("companies", item.account_id), *(("contacts", c) for c in item.contact_ids)]
        associations = [{"to": {"id": target}, "types": [{"associationCategory": "HUBSPOT_DEFINED",
                                                           "associationTypeId": types[to]}]} for to, target in targets]
        created = api.create(kind, simple_public_object_input_for_create=SimplePublicObjectInputForCreate(
            properties=properties, associations=associations))
        return str(created.id)

    def close(self) -> None:
        return None

    def _record(self, kind: str, obj: Any) -> dict[str, str]:
        record = {k: text_value(v) for k, v in (obj.properties or {}).items()}
        record["hs_object_id"] = str(obj.id)
        if kind in ENGAGEMENTS:
            record["Activity type"] = kind.removesuffix("s").upper()
        if owner := record.get("hubspot_owner_id"):
            record["hubspot_owner_id"] = (self._owners or {}).get(owner, owner)
        return record

    def _associate(self, kind: str, records: list[dict[str, str]]) -> None:
        """Fill the profile's association columns (``;``-separated ids) from a v4 batch read."""
        if not records:
            return
        for to in _ASSOCIATED.get(kind, ()):
            request = BatchInputPublicFetchAssociationsBatchRequest(
                inputs=[PublicFetchAssociationsBatchRequest(id=r["hs_object_id"]) for r in records])
            found = self.client.crm.associations.v4.batch_api.get_page(
                kind, to, batch_input_public_fetch_associations_batch_request=request)
            by_id = {str(res._from.id): [str(t.to_object_id) for t in res.to] for res in found.results}
            for record in records:
                record[_COLUMN[to]] = ";".join(by_id.get(record["hs_object_id"], []))
