"""Salesforce over ``simple-salesforce``: SOQL pulls from ``SystemModstamp`` with ``nextRecordsUrl`` paging,
Tasks pushed back with sObject create / update.

Credentials come from the settings: ``KAM_SALESFORCE_INSTANCE_URL`` with ``KAM_SALESFORCE_ACCESS_TOKEN``
(an OAuth access token), or ``KAM_SALESFORCE_USERNAME`` / ``_PASSWORD`` / ``_SECURITY_TOKEN`` (and
``KAM_SALESFORCE_DOMAIN``, ``test`` for a sandbox). Calls answered 429 or 503 are retried after
``Retry-After``; the org's daily API use (the ``Sforce-Limit-Info`` header) stops the sync at
``KAM_SALESFORCE_MAX_API_SHARE``, and ``REQUEST_LIMIT_EXCEEDED`` stops it too: the next run resumes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceError

from integrations.crm.connector import (
    CrmConfigError,
    CrmStop,
    Page,
    PushItem,
    Step,
    retry_policy,
    source_fields,
    text_value,
)
from store.import_profiles import Profile
from store.settings import Settings

STEPS = (
    Step("User", "User.csv", "user"),
    Step("Account", "Account.csv", "account"),
    Step("Contact", "Contact.csv", "stakeholder"),
    Step("Opportunity", "Opportunity.csv"),
    Step("OpportunityContactRole", ""),  # contact roles: a stakeholder's authority (see ``contact_roles``)
    Step("Task", "Task.csv"),
    Step("Event", "Event.csv"),
)
# A contact's role on an opportunity, as the authority of the stakeholder (other roles leave it alone).
ROLE_AUTHORITY = {"economic buyer": "budget", "decision maker": "approver", "executive sponsor": "approver"}
_ROLE_FIELDS = ["Id", "ContactId", "OpportunityId", "Role", "SystemModstamp"]


class _Adapter(HTTPAdapter):
    """Retries, and the CA bundle of the settings: a session's ``verify`` loses to ``REQUESTS_CA_BUNDLE``."""

    def __init__(self, ca_bundle: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._ca_bundle = ca_bundle

    def send(self, request: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if self._ca_bundle:
            kwargs["verify"] = self._ca_bundle
        return super().send(request, **kwargs)


class SalesforceConnector:
    crm = "salesforce"
    steps = STEPS

    def __init__(self, settings: Settings, profile: Profile) -> None:
        self.profile = profile
        self._max_share = settings.salesforce_max_api_share
        session = requests.Session()
        bundle = str(settings.salesforce_ca_bundle) if settings.salesforce_ca_bundle else None
        session.mount("https://", _Adapter(bundle, max_retries=retry_policy(settings.crm_max_retries)))
        common: dict[str, Any] = {"session": session, "version": settings.salesforce_api_version}
        if settings.salesforce_instance_url and settings.salesforce_access_token:
            self.sf = Salesforce(instance_url=settings.salesforce_instance_url,
                                 session_id=settings.salesforce_access_token.get_secret_value(), **common)
        elif settings.salesforce_username and settings.salesforce_password:
            token = settings.salesforce_security_token
            self.sf = Salesforce(username=settings.salesforce_username,
                                 password=settings.salesforce_password.get_secret_value(),
                                 security_token=token.get_secret_value() if token else "",
                                 domain=settings.salesforce_domain, **common)
        else:
            raise CrmConfigError("Salesforce is not configured: set KAM_SALESFORCE_INSTANCE_URL and "
                                 "KAM_SALESFORCE_ACCESS_TOKEN, or KAM_SALESFORCE_USERNAME, _PASSWORD and "
                                 "_SECURITY_TOKEN")
        self._described: dict[str, set[str]] = {}

    def pull(self, step: Step, since: str | None) -> Iterator[Page]:
        fields = _ROLE_FIELDS if not step.file else self._fields(step.object, source_fields(self.profile, step.file))
        soql = f"SELECT {', '.join(fields)} FROM {step.object}"
        if since:
            soql += f" WHERE SystemModstamp >= {soql_datetime(since)}"
        soql += " ORDER BY SystemModstamp, Id"
        result = self._call(self.sf.query, soql)
        while True:
            records = [{k: text_value(v) for k, v in r.items() if k != "attributes"} for r in result["records"]]
            yield Page(records, records[-1]["SystemModstamp"] if records else None)
            if result.get("done", True) or not result.get("nextRecordsUrl"):
                return
            result = self._call(self.sf.query_more, result["nextRecordsUrl"], identifier_is_url=True)

    def push(self, item: PushItem, external_id: str | None) -> str:
        task = {
            "Subject": item.subject[:255],
            "Description": item.body,
            "ActivityDate": item.day.isoformat() if item.day else None,
            "Status": "Completed" if item.done else "Not Started",
            "WhatId": item.account_id,
        }
        if item.contact_ids:
            task["WhoId"] = item.contact_ids[0]
        if item.owner_id:
            task["OwnerId"] = item.owner_id
        if external_id:
            self._call(self.sf.Task.update, external_id, task)
            return external_id
        created = self._call(self.sf.Task.create, task)
        return str(created["id"])

    def close(self) -> None:
        self.sf.session.close()

    def _fields(self, obj: str, wanted: list[str]) -> list[str]:
        """The profile's fields that this org's ``obj`` has (a describe call, once per object)."""
        if obj not in self._described:
            described = self._call(getattr(self.sf, obj).describe)
            self._described[obj] = {f["name"] for f in described["fields"]}
        have = self._described[obj]
        return list(dict.fromkeys(["Id", "SystemModstamp", *(f for f in wanted if f in have)]))

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
        except SalesforceError as exc:
            if "REQUEST_LIMIT_EXCEEDED" in str(exc.content):
                raise CrmStop("Salesforce API request limit exceeded (REQUEST_LIMIT_EXCEEDED); the next run "
                              "resumes from the watermark") from exc
            raise
        usage = self.sf.api_usage.get("api-usage")
        if usage is not None and usage.total and usage.used / usage.total >= self._max_share:
            raise CrmStop(f"Salesforce API usage {usage.used}/{usage.total} reached KAM_SALESFORCE_MAX_API_SHARE="
                          f"{self._max_share}; the next run resumes from the watermark")
        return result


def soql_datetime(stamp: str) -> str:
    """A ``SystemModstamp`` (``2026-11-02T08:00:00.000+0000``) as a SOQL datetime literal, to the second
    (``2026-11-02T08:00:00Z``): with ``>=`` the record of the watermark itself is read again, never missed."""
    when = dt.datetime.fromisoformat(stamp.replace("+0000", "+00:00")).astimezone(dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def contact_roles(records: list[dict[str, Any]], stakeholders: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    """Stakeholder rows (id, account_id, name, authority) from OpportunityContactRole records whose role
    carries an authority; ``stakeholders`` gives a stored contact's account and name."""
    rows: dict[str, dict[str, str]] = {}
    rank = {"budget": 2, "approver": 1}
    for record in records:
        authority = ROLE_AUTHORITY.get(record.get("Role", "").strip().lower())
        contact = record.get("ContactId", "")
        if authority is None or contact not in stakeholders:
            continue
        account_id, name = stakeholders[contact]
        previous = rows.get(contact)
        if previous is None or rank[authority] > rank[previous["authority"]]:
            rows[contact] = {"id": contact, "account_id": account_id, "name": name, "authority": authority}
    return list(rows.values())
