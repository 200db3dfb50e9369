"""``kam sync salesforce|hubspot``: pull a CRM's changes into the store, push back what the conversation made.

Pull: the connector's objects in dependency order (users, accounts, contacts, opportunities, contact
roles, activities), each from its stored watermark, a page at a time. A page's records are read through
the export profile's feeds (the same mapping as ``kam import --profile``) and written by the importer
(the same validation, upsert and audit) in *keep-going* mode: a bad record is reported with its CRM id
and the reason, and the rest of the page is written (a record that failed is tried once more after the
object's last page: it may name a record of a later page, as a contact its manager). The watermark
advances after each written page, so a sync interrupted mid-way (a failed call, an API limit) resumes
from there and re-reads at most a page; the upsert makes that re-read change nothing. Records that are
our own pushed notes and tasks coming back are skipped. Users are created, never updated (their role is kam's).

Push: the confirmed notes and our commitments (integrations/crm/push.py), each linked to its CRM
record: created once, updated when ours changed. A failed push is reported and retried next run.

``dry_run`` reads from the CRM but writes nothing anywhere: it reports what the records would create
or update in the store (by id) and what would be pushed.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from integrations.crm.connector import Connector, CrmStop, Page, Step
from integrations.crm.push import plan_push
from integrations.crm.salesforce import contact_roles
from store.audit import record as audit
from store.crm_state import links, record_pulled, record_pushed, set_watermark, watermark
from store.csv_rows import CsvFile
from store.db import Database
from store.import_profiles import Feed, profiled
from store.import_schema import FILES_BY_NAME
from store.import_write import table_of
from store.importer import Source, import_sources
from store.models import Stakeholder, User

log = logging.getLogger("kam.crm")


@dataclass
class Failure:
    crm_id: str
    object: str
    reason: str

    def __str__(self) -> str:
        return f"{self.object} {self.crm_id}: {self.reason}"


@dataclass
class SyncReport:
    crm: str
    dry_run: bool = False
    pulled: dict[str, int] = field(default_factory=dict)  # CRM object -> records read
    created: dict[str, int] = field(default_factory=dict)  # our table -> rows created (or that would be)
    updated: dict[str, int] = field(default_factory=dict)
    pushed_created: int = 0
    pushed_updated: int = 0
    push_unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)
    stopped: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failures and self.stopped is None

    def as_text(self) -> str:
        verb = "would " if self.dry_run else ""
        lines = [f"{self.crm} sync{' (dry run: nothing written)' if self.dry_run else ''}"]
        lines.append("pulled: " + (", ".join(f"{k} {v}" for k, v in self.pulled.items()) or "nothing"))
        for label, counts in (("create", self.created), ("update", self.updated)):
            if any(counts.values()):
                lines.append(f"{verb}{label}: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
        lines.append(f"push: {verb}create {self.pushed_created}, {verb}update {self.pushed_updated}, "
                     f"unchanged {self.push_unchanged}")
        lines += [f"failed: {f}" for f in self.failures]
        if self.stopped:
            lines.append(f"stopped: {self.stopped}")
        return "\n".join(lines)


def run_sync(db: Database, connector: Connector, *, actor: str, stages: dict[str, str] | None = None,
             dry_run: bool = False, push: bool = True) -> SyncReport:
    """Pull then push; see the module docstring. Never raises for a CRM problem: it is in the report."""
    report = SyncReport(connector.crm, dry_run=dry_run)
    crm = connector.crm
    with db.session() as session:
        ours = {link.external_id for kind in ("note", "commitment")
                for link in links(session, crm=crm, kind=kind, direction="push").values()}
    for step in connector.steps:
        with db.session() as session:
            since = watermark(session, crm=crm, obj=step.object)
        mark, retry = len(report.failures), []
        try:
            for page in connector.pull(step, since):
                records = [r for r in page.records if _crm_id(r) not in ours]
                report.pulled[step.object] = report.pulled.get(step.object, 0) + len(records)
                if dry_run:
                    _preview(db, connector, step, records, report)
                    continue
                failed = _write_page(db, connector, step, records, page, actor, stages, report)
                if failed is None:
                    report.stopped = f"{step.object}: the store refused a write; the next run resumes here"
                    return report
                retry += [r for r in records if _crm_id(r) in failed]
            if retry:  # a record may name one of a later page (a contact's manager): once more, after them all
                del report.failures[mark:]
                _write_page(db, connector, step, retry, Page(retry, None), actor, stages, report)
        except CrmStop as exc:
            report.stopped = str(exc)
            return report
        except Exception as exc:  # a CRM or network error: stop, the watermark keeps what was written
            report.stopped = f"{step.object}: {_reason(exc)}; the next run resumes from the last written page"
            log.warning("%s sync stopped at %s: %s", crm, step.object, _reason(exc))
            return report
    if push:
        _push(db, connector, actor, report)
    return report


def _crm_id(record: dict[str, Any]) -> str:
    return str(record.get("Id") or record.get("hs_object_id") or "")


def _feeds(connector: Connector, step: Step) -> list[Feed]:
    return [f for f in connector.profile.feeds if step.file.lower() in (n.lower() for n in f.files)]


def _records_csv(label: str, records: list[dict[str, Any]]) -> tuple[CsvFile, dict[int, int]]:
    """The records as a CSV file (headers lower-cased), and the physical line where each record starts
    mapped to its index (a value with a line break spans several lines)."""
    header = list(dict.fromkeys(k for r in records for k in r))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    starts: dict[int, int] = {}
    line = 2
    for index, record in enumerate(records):
        starts[line] = index
        row = [record.get(k, "") for k in header]
        writer.writerow(row)
        line += 1 + sum(_breaks(str(cell)) for cell in row)
    csv_file = CsvFile(path=Path(label), text=buffer.getvalue(), header=[h.lower() for h in header], header_line=1,
                       lines=line - 1)
    return csv_file, starts


def _breaks(text: str) -> int:
    """Line breaks in a cell as the CSV reader counts lines (``\\r\\n`` is one)."""
    text = text.replace("\r\n", "\n")
    return text.count("\n") + text.count("\r")


def _sources(db: Database, connector: Connector, step: Step,
             records: list[dict[str, Any]]) -> tuple[list[Source], dict[int, str]]:
    """The importer's sources for a page, and the CRM id of the record at each line."""
    if not step.file:  # Salesforce contact roles: the authority of stored stakeholders
        with db.session() as session:
            ids = sorted({r.get("ContactId", "") for r in records})
            stored = {sid: (aid, name) for sid, aid, name in session.execute(
                select(Stakeholder.id, Stakeholder.account_id, Stakeholder.name).where(Stakeholder.id.in_(ids)))}
        rows = contact_roles(records, stored)
        if not rows:
            return [], {}
        roles_file, starts = _records_csv(step.object, rows)
        ids = {line: rows[i]["id"] for line, i in starts.items()}
        return [Source(FILES_BY_NAME["stakeholders"], step.object, lambda: (roles_file, []))], ids
    if step.link_kind == "user":  # users are created, not updated: their role is kam's
        with db.session() as session:
            have = set(session.scalars(select(User.id)))
        records = [r for r in records if not ({r.get("Id"), r.get("Email")} & have)]
        if not records:
            return [], {}
    csv_file, starts = _records_csv(step.object, records)
    profile = connector.profile
    sources = [Source(FILES_BY_NAME[feed.target], step.object, lambda feed=feed: profiled(csv_file, feed, profile))
               for feed in _feeds(connector, step)]
    return sources, {line: _crm_id(records[i]) or records[i].get("Email", "") for line, i in starts.items()}


def _write_page(db: Database, connector: Connector, step: Step, records: list[dict[str, Any]], page: Page,
                actor: str, stages: dict[str, str] | None, report: SyncReport) -> set[str] | None:
    """Import one page; returns the CRM ids of the records that failed (``None``: the store refused it)."""
    sources, crm_ids = _sources(db, connector, step, records) if records else ([], {})
    imported = import_sources(db, sources, actor=actor, stages=stages, keep_going=True) if sources else None
    bad: set[str] = set()
    for file_report in imported.files if imported else []:
        if file_report.status == "failed":
            return None
        for error in file_report.errors:
            crm_id = crm_ids.get(error.line or 0, "?")
            bad.add(crm_id)
            where = f"{error.column}: " if error.column else ""
            report.failures.append(Failure(crm_id, step.object, f"{where}{error.problem}"))
        target = file_report.target or ""
        report.created[target] = report.created.get(target, 0) + file_report.created
        report.updated[target] = report.updated.get(target, 0) + file_report.updated
    with db.write() as session:
        if step.link_kind:
            ids = [i for r in records if (i := _crm_id(r) or r.get("Email", "")) and i not in bad]
            record_pulled(session, crm=connector.crm, kind=step.link_kind, ids=ids)
        if page.watermark:
            set_watermark(session, crm=connector.crm, obj=step.object, value=page.watermark)
    return bad


def _preview(db: Database, connector: Connector, step: Step, records: list[dict[str, Any]],
             report: SyncReport) -> None:
    """Dry run: which records would create a row of ours and which would update one (by id)."""
    for feed in _feeds(connector, step):
        if feed.target == "participants":
            continue
        table = table_of(FILES_BY_NAME[feed.target])
        ids = {_crm_id(r) or r.get("Email", "") for r in records}
        with db.session() as session:
            have = set(session.scalars(select(table.c.id).where(table.c.id.in_(sorted(ids)))))
        report.created[feed.target] = report.created.get(feed.target, 0) + len(ids - have)
        report.updated[feed.target] = report.updated.get(feed.target, 0) + len(ids & have)


def _push(db: Database, connector: Connector, actor: str, report: SyncReport) -> None:
    with db.session() as session:
        plan = plan_push(session, crm=connector.crm)
    report.push_unchanged = plan.unchanged
    if report.dry_run:
        report.pushed_created, report.pushed_updated = len(plan.create), len(plan.update)
        return
    work = [(item, None) for item in plan.create] + [(item, link.external_id) for item, link in plan.update]
    for item, external_id in work:
        try:
            crm_id = connector.push(item, external_id)
        except CrmStop as exc:
            report.stopped = str(exc)
            return
        except Exception as exc:
            report.failures.append(Failure(external_id or "(new)", f"push {item.kind} {item.local_id}", _reason(exc)))
            continue
        with db.write() as session:  # the link is written as soon as the CRM has the record
            record_pushed(session, crm=connector.crm, kind=item.kind, local_id=item.local_id, external_id=crm_id,
                          fingerprint=item.fingerprint())
            audit(session, actor=actor, action="push", entity=item.kind, entity_id=item.local_id,
                   detail={"crm": connector.crm, "external_id": crm_id, "update": external_id is not None})
        if external_id:
            report.pushed_updated += 1
        else:
            report.pushed_created += 1


def _reason(exc: Exception) -> str:
    """An error in one line, without response headers or request details (they may carry tokens)."""
    status = getattr(exc, "status", None) or getattr(exc, "status_code", None)
    content = getattr(exc, "content", None) or getattr(exc, "body", None)
    if status:
        detail = str(content)[:300] if content else getattr(exc, "reason", "")
        return f"HTTP {status}: {detail}"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
