"""Scheduled nudges (docs/interfaces.md): a daily DM per owner of commitments overdue or due soon, and a weekly
digest of drifting accounts to each manager. The scheduler inside ``kam serve`` and ``kam nudges run`` (cron) call
these same functions.

Exactly once per day, whatever runs them: every nudged item has a ``NudgeOutbox`` row per recipient per
day, unique on (kind, recipient, item, day). A run inserts the rows (``ON CONFLICT DO NOTHING``) and
claims the pending ones in one transaction before sending: a claim is a conditional update on the row's
``attempts`` counter, so of two schedulers only one wins each row and only that one sends. After the DM
is sent the rows are marked ``sent``. A failed send releases its claim at once; a claim left by a crashed
process is taken over once its lease has expired. Either way the later run resends the same row
(``attempts`` + 1), never a second one; after ``MAX_ATTEMPTS`` a row is marked ``failed``.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from slack_sdk import WebClient
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, or_, select

from integrations.runtime import Runtime
from integrations.slack.blocks import commitment_blocks, context, fallback_text, header, split_messages
from store.models import Account, Commitment, NudgeOutbox, User, utcnow
from tools.commitments import classify
from tools.drift import DriftResult, find_drifting_accounts
from tools.runner import run_tool

log = logging.getLogger("kam.nudges")

Kind = Literal["commitments", "drift_digest"]
MAX_ATTEMPTS = 5
LEASE_S = 300.0  # a claim older than this belongs to a process that died: another run may resend
DIGEST_KEY = "drift_digest"


@dataclass(frozen=True)
class NudgeItem:
    """One commitment in a nudge, with its state as of the day."""

    commitment_id: str
    account_id: str
    account_name: str
    description: str
    side: str
    due: dt.date
    status: str  # overdue | due_soon
    days_overdue: int | None
    days_until: int | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.commitment_id, "account_id": self.account_id, "account_name": self.account_name,
                "description": self.description, "side": self.side, "due": self.due.isoformat(),
                "status": self.status, "days_overdue": self.days_overdue, "days_until": self.days_until}

    def when(self) -> str:
        if self.days_overdue:
            return f"due {self.due.isoformat()}, {self.days_overdue} day{'s' if self.days_overdue != 1 else ''} overdue"
        if self.days_until == 0:
            return f"due today ({self.due.isoformat()})"
        return f"due {self.due.isoformat()}, in {self.days_until} day{'s' if self.days_until != 1 else ''}"


@dataclass
class Nudge:
    """One DM to one person: their commitments grouped by account, or their team's drifting accounts."""

    kind: Kind
    recipient_id: str
    recipient_name: str
    slack_user_id: str | None
    as_of: dt.date
    day: dt.date  # the outbox day: as_of for commitments, the Monday of the week for a digest
    items: list[NudgeItem] = field(default_factory=list)
    digest: dict[str, Any] | None = None  # the find_drifting_accounts result (JSON)
    due_soon_days: int = 2

    def item_keys(self) -> list[str]:
        return [i.commitment_id for i in self.items] if self.kind == "commitments" else [DIGEST_KEY]

    def groups(self) -> list[tuple[str, str, list[NudgeItem]]]:
        """(account id, account name, items), the account with the most urgent item first."""
        by_account: dict[str, list[NudgeItem]] = {}
        for item in self.items:
            by_account.setdefault(item.account_id, []).append(item)
        groups = [(aid, items[0].account_name, sorted(items, key=lambda i: (i.due, i.commitment_id)))
                  for aid, items in by_account.items()]
        return sorted(groups, key=lambda g: (g[2][0].due, g[1].casefold(), g[0]))

    def title(self) -> str:
        if self.kind == "drift_digest":
            n = len((self.digest or {}).get("accounts") or [])
            return f"Weekly drift digest: {n} of your team's accounts drifting"
        overdue = sum(1 for i in self.items if i.status == "overdue")
        soon = len(self.items) - overdue
        return f"Commitments to act on: {overdue} overdue, {soon} due within {self.due_soon_days} days"

    def as_text(self) -> str:
        """The nudge in plain words (``kam demo`` and ``kam nudges run --dry-run`` print this)."""
        to = f"{self.recipient_name} ({self.recipient_id}" + (f", Slack {self.slack_user_id})" if self.slack_user_id
                                                              else ", no Slack id)")
        lines = [f"To {to}: {self.title()}"]
        if self.kind == "drift_digest":
            for a in (self.digest or {}).get("accounts") or []:
                reasons = "; ".join(r.get("detail", "") for r in a.get("reasons") or [])
                lines.append(f"  {a.get('name')} ({a.get('id')}): health {_fmt(a.get('health_before'))} -> "
                             f"{_fmt(a.get('health_now'))}; {reasons}")
            return "\n".join(lines)
        for aid, name, items in self.groups():
            lines.append(f"  {name} ({aid})")
            for i in items:
                side = "" if i.side == "ours" else " (customer's)"
                lines.append(f"    - {i.commitment_id}{side}: {i.description}, {i.when()}  [Done] [Snooze]")
        return "\n".join(lines)

    def blocks(self, keys: list[str] | None = None) -> list[dict[str, Any]]:
        """Block Kit for the DM; with ``keys``, only those items (the ones this run claimed)."""
        if self.kind == "drift_digest":
            digest = DriftResult.model_validate(self.digest) if self.digest else None
            return [header(self.title()), *(digest.as_slack_blocks()[1:] if digest else [])]
        wanted = set(keys) if keys is not None else None
        items = [i for _aid, _name, group in self.groups() for i in group
                 if wanted is None or i.commitment_id in wanted]
        blocks = [header(self.title()), *commitment_blocks([i.as_dict() for i in items])]
        blocks.append(context(f"As of {self.as_of.isoformat()}: overdue means open and due before today; due soon "
                              f"means within {self.due_soon_days} days. Snoozed commitments are left out."))
        return blocks


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{float(value):.2f}"


# ------------------------------------------------------------------------------------------------ planning


def plan_nudges(runtime: Runtime, as_of: dt.date) -> list[Nudge]:
    """One nudge per person with open commitments overdue or due within the due-soon window, not snoozed.

    The recipient is the commitment's owner; a customer's commitment without an owner goes to the
    account's owner, who chases it.
    """
    soon = runtime.rules.commitments.due_soon_days
    horizon = as_of + dt.timedelta(days=soon)
    stmt = (
        select(Commitment, Account)
        .join(Account, col(Account.id) == Commitment.account_id)
        .where(Commitment.status == "open", col(Commitment.due).is_not(None), col(Commitment.due) <= horizon,
               or_(col(Commitment.snoozed_until).is_(None), col(Commitment.snoozed_until) <= as_of))
    )
    with runtime.db.session() as session:
        rows = session.exec(stmt).all()
        users = {u.id: u for u in session.exec(select(User)).all()}
    by_recipient: dict[str, list[NudgeItem]] = {}
    for c, account in rows:
        assert c.due is not None
        status = classify(c.due, as_of, soon)
        item = NudgeItem(
            commitment_id=c.id, account_id=account.id, account_name=account.name, description=c.description,
            side=c.side, due=c.due, status=status,
            days_overdue=(as_of - c.due).days if status == "overdue" else None,
            days_until=(c.due - as_of).days if status != "overdue" else None,
        )
        by_recipient.setdefault(c.owner_id or account.owner_id, []).append(item)
    nudges = []
    for recipient_id, items in by_recipient.items():
        user = users.get(recipient_id)
        if user is None:
            continue
        nudges.append(Nudge(kind="commitments", recipient_id=user.id, recipient_name=user.name,
                            slack_user_id=user.slack_user_id, as_of=as_of, day=as_of, due_soon_days=soon,
                            items=sorted(items, key=lambda i: (i.due, i.account_name.casefold(), i.commitment_id))))
    return sorted(nudges, key=lambda n: n.recipient_id)


def plan_digests(runtime: Runtime, as_of: dt.date) -> list[Nudge]:
    """One digest per manager whose team has drifting accounts (the drift tool, ``tools.drift``, scope team)."""
    monday = as_of - dt.timedelta(days=as_of.weekday())
    with runtime.db.session() as session:
        managers = session.exec(select(User).where(User.role == "manager").order_by(col(User.id))).all()
    nudges = []
    for manager in managers:
        call = run_tool(runtime, manager, find_drifting_accounts, {"scope": "team"}, as_of=as_of)
        if call.error is not None:
            raise call.error
        digest = call.result.as_json() if call.result is not None else {}
        if digest.get("accounts"):
            nudges.append(Nudge(kind="drift_digest", recipient_id=manager.id, recipient_name=manager.name,
                                slack_user_id=manager.slack_user_id, as_of=as_of, day=monday, digest=digest))
    return nudges


# ------------------------------------------------------------------------------------------------ delivery


@dataclass
class NudgeReport:
    """What one run did."""

    kind: Kind
    as_of: dt.date
    dry_run: bool
    planned: int = 0
    sent: list[str] = field(default_factory=list)  # recipient ids
    items_sent: int = 0
    already: list[str] = field(default_factory=list)  # sent today already, or being sent by another run
    failed: list[tuple[str, str]] = field(default_factory=list)
    no_slack_id: list[str] = field(default_factory=list)
    previews: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "as_of": self.as_of.isoformat(), "dry_run": self.dry_run, "planned": self.planned,
                "sent": self.sent, "items_sent": self.items_sent, "already": self.already,
                "failed": [{"recipient": r, "error": e} for r, e in self.failed], "no_slack_id": self.no_slack_id}

    def as_text(self) -> str:
        what = "commitment nudges" if self.kind == "commitments" else "drift digests"
        if self.dry_run:
            head = f"Dry run, {what} as of {self.as_of.isoformat()}: {self.planned} would be sent."
            body = self.previews or ["Nothing to send."]
            return "\n\n".join([head, *body])
        lines = [f"{what.capitalize()} as of {self.as_of.isoformat()}: {self.planned} planned, {len(self.sent)} sent "
                 f"({self.items_sent} item(s)), {len(self.already)} already sent or in progress, "
                 f"{len(self.failed)} failed, {len(self.no_slack_id)} without a Slack id."]
        lines += [f"  failed: {r}: {e}" for r, e in self.failed]
        if self.no_slack_id:
            lines.append(f"  no Slack id (add slack_user_id in users.csv): {', '.join(self.no_slack_id)}")
        return "\n".join(lines)


def run_nudges(
    runtime: Runtime, as_of: dt.date, client: WebClient | None = None, dry_run: bool = False, *,
    lease_s: float = LEASE_S,
) -> NudgeReport:
    """Plan today's commitment nudges and send each at most once (see the module docstring)."""
    return deliver(runtime, plan_nudges(runtime, as_of), "commitments", as_of, client=client, dry_run=dry_run,
                   lease_s=lease_s)


def run_digests(
    runtime: Runtime, as_of: dt.date, client: WebClient | None = None, dry_run: bool = False, *,
    lease_s: float = LEASE_S,
) -> NudgeReport:
    """Plan this week's drift digests and send each at most once."""
    return deliver(runtime, plan_digests(runtime, as_of), "drift_digest", as_of, client=client, dry_run=dry_run,
                   lease_s=lease_s)


def deliver(
    runtime: Runtime, nudges: list[Nudge], kind: Kind, as_of: dt.date, *, client: WebClient | None = None,
    dry_run: bool = False, lease_s: float = LEASE_S,
) -> NudgeReport:
    """Send ``nudges`` through the outbox; ``dry_run`` only describes them and touches nothing."""
    report = NudgeReport(kind=kind, as_of=as_of, dry_run=dry_run, planned=len(nudges))
    if dry_run:
        report.previews = [n.as_text() for n in nudges]
        report.no_slack_id = [n.recipient_id for n in nudges if not n.slack_user_id]
        return report
    if client is None:
        from integrations.slack.app import make_web_client

        client = make_web_client(runtime.settings)  # refuses clearly when Slack is not configured
    run_id = uuid.uuid4().hex[:12]
    for nudge in nudges:
        if not nudge.slack_user_id:
            report.no_slack_id.append(nudge.recipient_id)
            continue
        claimed = _claim(runtime, nudge, run_id, lease_s)
        if not claimed:
            report.already.append(nudge.recipient_id)
            continue
        try:
            _send(client, nudge, [key for key, _attempt in claimed])
        except Exception as exc:  # noqa: BLE001 - any failure leaves the rows pending for the next run
            log.warning("nudge to %s failed: %s", nudge.recipient_id, exc)
            _release(runtime, nudge, claimed, error=str(exc))
            report.failed.append((nudge.recipient_id, str(exc)))
            continue
        _mark_sent(runtime, nudge, claimed)
        report.sent.append(nudge.recipient_id)
        report.items_sent += len(claimed)
    return report


def _insert_stmt(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return pg_insert(NudgeOutbox) if dialect == "postgresql" else sqlite_insert(NudgeOutbox)


def _claim(runtime: Runtime, nudge: Nudge, run_id: str, lease_s: float) -> list[tuple[str, int]]:
    """Insert the nudge's outbox rows if missing and claim the pending ones: [(item key, attempt)]."""
    keys = nudge.item_keys()
    now = utcnow()
    with runtime.db.write() as session:
        rows = [{"kind": nudge.kind, "recipient_id": nudge.recipient_id, "item_key": key, "day": nudge.day,
                 "status": "pending", "attempts": 0, "payload": {"as_of": nudge.as_of.isoformat()},
                 "created_at": now} for key in keys]
        stmt = _insert_stmt(session).values(rows)
        session.execute(stmt.on_conflict_do_nothing(index_elements=["kind", "recipient_id", "item_key", "day"]))
        found = session.exec(select(NudgeOutbox).where(
            NudgeOutbox.kind == nudge.kind, NudgeOutbox.recipient_id == nudge.recipient_id,
            NudgeOutbox.day == nudge.day, col(NudgeOutbox.item_key).in_(keys))).all()
        claimed: list[tuple[str, int]] = []
        for row in found:
            if row.status != "pending" or not _claimable(row, now, lease_s):
                continue
            seen, key = row.attempts, row.item_key
            payload = {**(row.payload or {}), "claimed_at": now.isoformat(), "claimed_by": run_id}
            result = session.execute(
                update(NudgeOutbox)
                .where(col(NudgeOutbox.id) == row.id, NudgeOutbox.attempts == seen, NudgeOutbox.status == "pending")
                .values(attempts=seen + 1, payload=payload)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                claimed.append((key, seen + 1))
    return claimed


def _claimable(row: NudgeOutbox, now: dt.datetime, lease_s: float) -> bool:
    if row.attempts >= MAX_ATTEMPTS:
        return False
    claimed_at = (row.payload or {}).get("claimed_at")
    if row.attempts == 0 or not claimed_at:
        return True  # never tried, or its last try failed and was released
    try:
        at = dt.datetime.fromisoformat(claimed_at)
    except ValueError:
        return True
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return (now - at).total_seconds() >= lease_s  # the claimant died without sending or releasing


def _send(client: WebClient, nudge: Nudge, keys: list[str]) -> None:
    channel = client.conversations_open(users=nudge.slack_user_id)["channel"]["id"]
    blocks = nudge.blocks(keys)
    for i, chunk in enumerate(split_messages(blocks)):
        text = fallback_text(nudge.title()) if i == 0 else "(continued)"
        client.chat_postMessage(channel=channel, text=text, blocks=chunk)


def _rows(session: Session, nudge: Nudge, claimed: list[tuple[str, int]]) -> list[tuple[NudgeOutbox, int]]:
    attempts = dict(claimed)
    rows = session.exec(select(NudgeOutbox).where(
        NudgeOutbox.kind == nudge.kind, NudgeOutbox.recipient_id == nudge.recipient_id, NudgeOutbox.day == nudge.day,
        col(NudgeOutbox.item_key).in_(list(attempts)))).all()
    return [(row, attempts[row.item_key]) for row in rows if row.attempts == attempts[row.item_key]]


def _mark_sent(runtime: Runtime, nudge: Nudge, claimed: list[tuple[str, int]]) -> None:
    with runtime.db.write() as session:
        for row, _attempt in _rows(session, nudge, claimed):
            row.status, row.sent_at = "sent", utcnow()
            session.add(row)


def _release(runtime: Runtime, nudge: Nudge, claimed: list[tuple[str, int]], *, error: str) -> None:
    """Give the claimed rows back after a failed send: the next run retries them (or gives up after the last)."""
    with runtime.db.write() as session:
        for row, attempt in _rows(session, nudge, claimed):
            payload = {k: v for k, v in (row.payload or {}).items() if k not in ("claimed_at", "claimed_by")}
            row.payload = {**payload, "last_error": error[:500]}
            row.status = "failed" if attempt >= MAX_ATTEMPTS else "pending"
            session.add(row)
