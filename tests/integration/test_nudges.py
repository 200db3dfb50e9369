"""Scheduled nudges: planning (grouped by account, snoozed left out), exactly-once delivery through the outbox
(two schedulers at once, a failed send, a crash), Slack rate limits, the weekly digest, ``kam nudges run``."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_mock import MockSlack
from slack_sdk import WebClient
from slack_seed import AS_OF, seed
from sqlmodel import select
from typer.testing import CliRunner

from integrations.cli.main import app as cli
from integrations.nudges import plan_digests, plan_nudges, run_digests, run_nudges
from integrations.runtime import Runtime
from integrations.scheduler import ScheduleError, cron_trigger, start_scheduler
from integrations.slack.app import SlackConfigError, make_web_client
from store.models import NudgeOutbox, User
from store.settings import Settings

DAY = dt.timedelta(days=1)


@pytest.fixture
def slack() -> Iterator[MockSlack]:
    with MockSlack() as mock:
        yield mock


def _runtime(settings: Settings) -> Runtime:
    rt = Runtime.build(settings)
    seed(rt.db)
    return rt


@pytest.fixture(params=["sqlite", "postgres"])
def runtime(request: pytest.FixtureRequest, tmp_path: Path, slack: MockSlack) -> Iterator[Runtime]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    settings = Settings(data_dir=tmp_path / "data", env="test", database_url=url, slack_bot_token="xoxb-test",
                        slack_api_url=slack.base_url)
    rt = _runtime(settings)
    yield rt
    rt.close()


@pytest.fixture
def sqlite_runtime(tmp_path: Path, slack: MockSlack) -> Iterator[Runtime]:
    rt = _runtime(Settings(data_dir=tmp_path / "data", env="test", slack_bot_token="xoxb-test",
                           slack_api_url=slack.base_url))
    yield rt
    rt.close()


def _outbox(runtime: Runtime) -> list[NudgeOutbox]:
    with runtime.db.session() as s:
        return list(s.exec(select(NudgeOutbox).order_by(NudgeOutbox.recipient_id, NudgeOutbox.item_key)).all())


def _dms(slack: MockSlack) -> dict[str, int]:
    """Successful DMs per channel."""
    out: dict[str, int] = {}
    for call in slack.calls_to("chat.postMessage"):
        out[call.params["channel"]] = out.get(call.params["channel"], 0) + 1
    return out


# ------------------------------------------------------------------------------------------------ planning


def test_one_nudge_per_owner_grouped_by_account_without_snoozed_done_or_later(sqlite_runtime: Runtime) -> None:
    nudges = {n.recipient_id: n for n in plan_nudges(sqlite_runtime, AS_OF)}
    assert sorted(nudges) == ["U02", "U03"]
    priya = nudges["U02"]
    groups = [(aid, [i.commitment_id for i in items]) for aid, _name, items in priya.groups()]
    # C004 is snoozed, C005 is due in 5 days; C006 is the customer's, chased by the account owner
    assert groups == [("A001", ["C001"]), ("A002", ["C006", "C003"])]
    assert [(i.commitment_id, i.status, i.days_overdue, i.days_until) for i in priya.items] == [
        ("C001", "overdue", 3, None), ("C006", "overdue", 2, None), ("C003", "due_soon", None, 0)]
    assert [i.commitment_id for i in nudges["U03"].items] == ["C002"]  # C007 is done
    text = priya.as_text()
    assert text.splitlines()[0] == ("To Priya Shah (U02, Slack USPRIYA): Commitments to act on: 2 overdue, "
                                    "1 due within 2 days")
    assert "  Acme Corp (A001)\n    - C001: Send pilot scope, due 2026-11-19, 3 days overdue  [Done] [Snooze]" in text
    assert "C006 (customer's): Headcount plan from Nora, due 2026-11-20, 2 days overdue" in text
    blocks = priya.blocks()
    assert [b["block_id"] for b in blocks if b["type"] == "actions"] == [
        "commitment:C001", "commitment:C006", "commitment:C003"]


def test_a_snooze_ends_and_the_commitment_is_nudged_again(sqlite_runtime: Runtime) -> None:
    later = {n.recipient_id: n for n in plan_nudges(sqlite_runtime, AS_OF + 2 * DAY)}
    assert "C004" in [i.commitment_id for i in later["U02"].items]  # snoozed until AS_OF + 2: over


# ------------------------------------------------------------------------------------------------ exactly once


def test_two_concurrent_runs_send_each_dm_once(runtime: Runtime, slack: MockSlack) -> None:
    barrier = threading.Barrier(3)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        client = make_web_client(runtime.settings)
        barrier.wait()
        try:
            reports.append(run_nudges(runtime, AS_OF, client=client))
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert _dms(slack) == {"DSPRIYA": 1, "DSSAM": 1}
    assert sorted(r for report in reports for r in report.sent) == ["U02", "U03"]
    rows = _outbox(runtime)
    assert [(r.recipient_id, r.item_key, r.status, r.attempts) for r in rows] == [
        ("U02", "C001", "sent", 1), ("U02", "C003", "sent", 1), ("U02", "C006", "sent", 1), ("U03", "C002", "sent", 1)]
    # a third scheduler later the same day: nothing
    assert run_nudges(runtime, AS_OF, client=make_web_client(runtime.settings)).sent == []
    assert _dms(slack) == {"DSPRIYA": 1, "DSSAM": 1}


def test_a_failed_send_is_resent_by_the_next_run_on_the_same_row(runtime: Runtime, slack: MockSlack) -> None:
    slack.fail("chat.postMessage", "internal_error")  # the first DM (Priya's) fails
    client = make_web_client(runtime.settings)
    first = run_nudges(runtime, AS_OF, client=client)
    assert [r for r, _ in first.failed] == ["U02"] and first.sent == ["U03"]
    pending = [r for r in _outbox(runtime) if r.recipient_id == "U02"]
    assert {(r.status, r.attempts) for r in pending} == {("pending", 1)}
    assert "internal_error" in pending[0].payload["last_error"]
    second = run_nudges(runtime, AS_OF, client=client)
    assert second.sent == ["U02"] and second.already == ["U03"]
    assert _dms(slack) == {"DSPRIYA": 1, "DSSAM": 1}
    rows = _outbox(runtime)
    assert len(rows) == 4  # the same rows, never a second one
    assert {(r.recipient_id, r.status, r.attempts) for r in rows} == {("U02", "sent", 2), ("U03", "sent", 1)}


class _Crash(BaseException):
    """The process dying between the outbox insert and the send."""


class _CrashingClient(WebClient):
    def conversations_open(self, **kwargs: Any) -> Any:  # type: ignore[override]
        raise _Crash("killed")


def test_a_crash_after_the_outbox_insert_is_resent_once_the_lease_expires(runtime: Runtime, slack: MockSlack) -> None:
    crashing = _CrashingClient(token="xoxb-test", base_url=slack.base_url)
    with pytest.raises(_Crash):
        run_nudges(runtime, AS_OF, client=crashing)
    claimed = [r for r in _outbox(runtime) if r.recipient_id == "U02"]
    assert {(r.status, r.attempts) for r in claimed} == {("pending", 1)} and len(claimed) == 3
    client = make_web_client(runtime.settings)
    restart = run_nudges(runtime, AS_OF, client=client)  # the claim is fresh: maybe someone is still sending
    assert restart.sent == ["U03"] and restart.already == ["U02"]
    later = run_nudges(runtime, AS_OF, client=client, lease_s=0)  # the lease has run out: the claimant died
    assert later.sent == ["U02"]
    assert run_nudges(runtime, AS_OF, client=client, lease_s=0).sent == []
    assert _dms(slack) == {"DSPRIYA": 1, "DSSAM": 1}
    assert {(r.recipient_id, r.status, r.attempts) for r in _outbox(runtime)} == {("U02", "sent", 2),
                                                                                   ("U03", "sent", 1)}


def test_rate_limits_are_waited_out_and_each_dm_sent_once(sqlite_runtime: Runtime, slack: MockSlack) -> None:
    slack.rate_limit("chat.postMessage", times=2, retry_after=0)
    report = run_nudges(sqlite_runtime, AS_OF, client=make_web_client(sqlite_runtime.settings))
    assert report.sent == ["U02", "U03"] and report.failed == []
    assert len(slack.calls_to("chat.postMessage", status=429, ok=None)) == 2
    assert _dms(slack) == {"DSPRIYA": 1, "DSSAM": 1}


def test_the_next_day_nudges_again(sqlite_runtime: Runtime, slack: MockSlack) -> None:
    client = make_web_client(sqlite_runtime.settings)
    run_nudges(sqlite_runtime, AS_OF, client=client)
    run_nudges(sqlite_runtime, AS_OF + DAY, client=client)
    assert _dms(slack) == {"DSPRIYA": 2, "DSSAM": 2}
    days = {(r.item_key, r.day) for r in _outbox(sqlite_runtime)}
    assert ("C001", AS_OF) in days and ("C001", AS_OF + DAY) in days


def test_someone_without_a_slack_id_is_reported_and_not_recorded(sqlite_runtime: Runtime, slack: MockSlack) -> None:
    with sqlite_runtime.db.write() as s:
        user = s.get(User, "U03")
        assert user is not None
        user.slack_user_id = None
        s.add(user)
    report = run_nudges(sqlite_runtime, AS_OF, client=make_web_client(sqlite_runtime.settings))
    assert report.no_slack_id == ["U03"] and report.sent == ["U02"]
    assert {r.recipient_id for r in _outbox(sqlite_runtime)} == {"U02"}


def test_dry_run_needs_no_slack_and_records_nothing(tmp_path: Path) -> None:
    rt = _runtime(Settings(data_dir=tmp_path / "data", env="test"))
    try:
        report = run_nudges(rt, AS_OF, dry_run=True)
        assert report.planned == 2 and len(report.previews) == 2
        assert report.previews[0].startswith("To Priya Shah (U02, Slack USPRIYA)")
        assert _outbox(rt) == []
        with pytest.raises(SlackConfigError, match="KAM_SLACK_BOT_TOKEN"):
            run_nudges(rt, AS_OF)
    finally:
        rt.close()


# ------------------------------------------------------------------------------------------------ digest


def test_weekly_drift_digest_goes_to_the_manager_once_a_week(sqlite_runtime: Runtime, slack: MockSlack) -> None:
    [digest] = plan_digests(sqlite_runtime, AS_OF)
    assert digest.recipient_id == "U01" and digest.day == dt.date(2026, 11, 16)  # the Monday of the week
    assert [a["id"] for a in digest.digest["accounts"]] == ["A001"]  # type: ignore[index]
    assert "Acme Corp (A001): health" in digest.as_text()
    client = make_web_client(sqlite_runtime.settings)
    assert run_digests(sqlite_runtime, AS_OF, client=client).sent == ["U01"]
    assert run_digests(sqlite_runtime, AS_OF - DAY, client=client).sent == []  # same week
    [dm] = slack.calls_to("chat.postMessage")
    assert dm.params["channel"] == "DSMORGAN"
    assert dm.params["blocks"][0]["text"]["text"].startswith("Weekly drift digest: 1 of your team's accounts")


# ------------------------------------------------------------------------------------------------ cli, scheduler


def test_kam_nudges_run_dry_run_prints_the_nudges(sqlite_runtime: Runtime) -> None:
    result = CliRunner().invoke(cli, ["nudges", "run", "--dry-run", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    assert "Dry run, commitment nudges as of 2026-11-22: 2 would be sent." in result.output
    assert "To Sam Ortiz (U03, Slack USSAM)" in result.output
    refused = CliRunner().invoke(cli, ["nudges", "run", "--as-of", AS_OF.isoformat()])
    assert refused.exit_code == 2 and "KAM_SLACK_BOT_TOKEN" in refused.output


def test_kam_nudges_run_sends_once_through_the_configured_slack(
    sqlite_runtime: Runtime, slack: MockSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAM_SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("KAM_SLACK_API_URL", slack.base_url)
    for _ in range(2):
        result = CliRunner().invoke(cli, ["nudges", "run", "--kind", "all", "--as-of", AS_OF.isoformat()])
        assert result.exit_code == 0, result.output
    assert "Commitment nudges as of 2026-11-22: 2 planned, 0 sent (0 item(s)), 2 already sent" in result.output
    assert _dms(slack) == {"DSPRIYA": 1, "DSSAM": 1, "DSMORGAN": 1}


def test_scheduler_runs_both_jobs_on_the_configured_cron(sqlite_runtime: Runtime) -> None:
    settings = sqlite_runtime.settings
    settings.nudge_schedule, settings.digest_schedule = "30 7 * * mon-fri", "0 9 * * mon"
    scheduler = start_scheduler(sqlite_runtime, client=make_web_client(settings))
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert sorted(jobs) == ["kam-commitment-nudges", "kam-drift-digest"]
        nudge_next = jobs["kam-commitment-nudges"].next_run_time
        assert (nudge_next.hour, nudge_next.minute) == (7, 30) and nudge_next.weekday() < 5
        digest_next = jobs["kam-drift-digest"].next_run_time
        assert (digest_next.hour, digest_next.weekday()) == (9, 0)
        assert jobs["kam-commitment-nudges"].func.__name__ == "run_nudges"
    finally:
        scheduler.shutdown(wait=False)
    with pytest.raises(ScheduleError, match="'every morning'"):
        cron_trigger("every morning", "UTC")
