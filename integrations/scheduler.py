"""The in-process scheduler of ``kam serve``: commitment nudges and the drift digest on the Settings' cron schedules.

``KAM_NUDGE_SCHEDULE`` (default ``0 8 * * *``, daily at 08:00) and ``KAM_DIGEST_SCHEDULE`` (default
``0 8 * * mon``) are standard five-field cron expressions in ``KAM_TIMEZONE``. Each job calls the same
function as ``kam nudges run``; the outbox makes it safe to run several schedulers (several instances, or a
cron job beside ``kam serve``): each item is still sent once a day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from integrations.crm.schedule import add_sync_jobs
from integrations.nudges import NudgeReport, run_digests, run_nudges
from integrations.runtime import Runtime, today

log = logging.getLogger("kam.scheduler")


class ScheduleError(ValueError):
    """A cron expression in the settings that cannot be parsed."""


def cron_trigger(expression: str, timezone: str) -> CronTrigger:
    """A trigger for a five-field cron expression; a clear error naming the expression otherwise."""
    try:
        return CronTrigger.from_crontab(expression, timezone=timezone)
    except (ValueError, KeyError) as exc:
        raise ScheduleError(f"bad cron schedule {expression!r} (minute hour day month weekday): {exc}") from exc


def _job(runtime: Runtime, run: Callable[..., NudgeReport], client: WebClient | None) -> Callable[[], None]:
    def job() -> None:
        try:
            report = run(runtime, today(runtime.settings), client=client)
            log.info("%s", report.as_text())
        except Exception:
            log.exception("scheduled %s failed", run.__name__)

    job.__name__ = run.__name__
    return job


def start_scheduler(runtime: Runtime, *, client: WebClient | None = None) -> BackgroundScheduler:
    """Start the background scheduler with both jobs, and the CRM sync of each CRM with credentials
    (``KAM_CRM_SYNC_SCHEDULE``), and return it (``scheduler.shutdown()`` to stop).

    Without a Slack bot token nothing could be delivered, so no job is added (the scheduler still starts,
    and the log says why).
    """
    settings = runtime.settings
    nudge_trigger = cron_trigger(settings.nudge_schedule, settings.timezone)
    digest_trigger = cron_trigger(settings.digest_schedule, settings.timezone)
    sync_trigger = cron_trigger(settings.crm_sync_schedule, settings.timezone)
    scheduler = BackgroundScheduler(timezone=settings.timezone)
    common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600, "replace_existing": True}
    add_sync_jobs(scheduler, runtime, sync_trigger, **common)
    if client is None and settings.slack_bot_token is None:
        log.warning("nudges are off: KAM_SLACK_BOT_TOKEN is not set (use `kam nudges run --dry-run` to preview)")
    else:
        scheduler.add_job(_job(runtime, run_nudges, client), nudge_trigger, id="kam-commitment-nudges", **common)
        scheduler.add_job(_job(runtime, run_digests, client), digest_trigger, id="kam-drift-digest", **common)
    scheduler.start()
    return scheduler
