"""The scheduled CRM sync of ``kam serve``: one job per CRM the settings hold credentials for, on
``KAM_CRM_SYNC_SCHEDULE`` (cron, default every 30 minutes), calling the same function as ``kam sync``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from integrations.crm.run import configured, sync_crm
from integrations.runtime import Runtime

log = logging.getLogger("kam.crm")


def sync_job(runtime: Runtime, crm: str) -> Callable[[], None]:
    def job() -> None:
        try:
            report = sync_crm(runtime, crm, actor=f"kam serve (scheduled {crm} sync)")
            log.info("%s", report.as_text())
        except Exception:
            log.exception("scheduled %s sync failed", crm)

    job.__name__ = f"sync_{crm}"
    return job


def add_sync_jobs(scheduler: Any, runtime: Runtime, trigger: CronTrigger, **options: Any) -> list[str]:
    """Add the sync job of each configured CRM; returns their ids (none: the log says how to turn it on)."""
    ids = []
    for crm in configured(runtime.settings):
        job_id = f"kam-crm-sync-{crm}"
        scheduler.add_job(sync_job(runtime, crm), trigger, id=job_id, **options)
        ids.append(job_id)
    if not ids:
        log.info("CRM sync is off: set KAM_SALESFORCE_* or KAM_HUBSPOT_TOKEN to sync on a schedule")
    return ids
