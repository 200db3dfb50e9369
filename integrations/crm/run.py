"""The one use-case function behind ``kam sync`` and the scheduled sync of ``kam serve``."""

from __future__ import annotations

import getpass

from integrations.crm import CRMS
from integrations.crm.connector import Connector, CrmConfigError
from integrations.crm.sync import SyncReport, run_sync
from integrations.runtime import Runtime
from store.import_profiles import load_profile, with_fields
from store.settings import Settings

__all__ = ["CRMS", "configured", "connect", "sync_crm"]


def connect(settings: Settings, crm: str, fields: dict[str, dict[str, list[str]]] | None = None) -> Connector:
    """The connector of ``crm`` built from the settings, its profile with the rules file's
    ``[import.fields.CRM]``; ``CrmConfigError`` when the settings do not say how to reach it."""
    if crm == "salesforce":
        from integrations.crm.salesforce import SalesforceConnector

        return SalesforceConnector(settings, with_fields(load_profile(settings.crm_profile_salesforce), fields or {}))
    if crm == "hubspot":
        from integrations.crm.hubspot import HubSpotConnector

        return HubSpotConnector(settings, with_fields(load_profile(settings.crm_profile_hubspot), fields or {}))
    raise CrmConfigError(f"unknown CRM {crm!r}; use one of: {', '.join(CRMS)}")


def configured(settings: Settings) -> list[str]:
    """The CRMs the settings hold credentials for."""
    found = []
    if (settings.salesforce_instance_url and settings.salesforce_access_token) or (
            settings.salesforce_username and settings.salesforce_password):
        found.append("salesforce")
    if settings.hubspot_token is not None:
        found.append("hubspot")
    return found


def sync_crm(runtime: Runtime, crm: str, *, dry_run: bool = False, push: bool = True,
             actor: str | None = None) -> SyncReport:
    """Sync ``crm`` with the store: pull, then push back (see integrations/crm/sync.py)."""
    connector = connect(runtime.settings, crm, runtime.rules.import_.fields.get(crm))
    try:
        return run_sync(runtime.db, connector, actor=actor or _actor(crm), stages=runtime.rules.import_.stages,
                        dry_run=dry_run, push=push)
    finally:
        connector.close()


def _actor(crm: str) -> str:
    try:
        return f"kam sync {crm} ({getpass.getuser()})"
    except (KeyError, OSError):
        return f"kam sync {crm}"
