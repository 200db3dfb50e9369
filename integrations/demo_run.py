"""``kam demo``: a fresh data dir, the demo portfolio generated and imported, and a portfolio summary.

``prepare_demo_dir`` decides whether a directory may be (re)used: a missing or empty one, or one an
earlier demo left (it holds the ``.kam-demo`` marker) is wiped and marked; anything else is refused,
so the demo never destroys real data. ``run_demo`` does the work on a runtime built over that dir; the
user stories of later issues are further steps of it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func
from sqlmodel import Session, col, select

from integrations.runtime import Runtime
from store.demo import generate_portfolio, write_csvs
from store.importer import ImportReport, import_dir
from store.models import OPEN_STAGES, Account, Commitment, Interaction, Opportunity, Stakeholder, User

MARKER = ".kam-demo"
CSV_SUBDIR = "demo-csv"
ACTOR = "kam demo"


class DemoDirError(RuntimeError):
    """The data dir holds something the demo did not create: it will not wipe it."""


def _forget_open_indexes() -> None:
    """Chroma keeps one client per directory per process; one whose files are about to be wiped must go."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def prepare_demo_dir(path: Path) -> Path:
    """Make ``path`` an empty, marked demo data dir, or refuse (``DemoDirError``) if it holds other data."""
    path = path.expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise DemoDirError(f"{path} is a file, not a directory")
    if path == Path(path.anchor) or path == Path.home().resolve():
        raise DemoDirError(f"{path} is not a place for demo data; pick a dedicated directory")
    if path.exists():
        entries = sorted(p.name for p in path.iterdir())
        if entries and MARKER not in entries:
            shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
            raise DemoDirError(
                f"{path} already holds data that kam demo did not create ({shown}). The demo starts from an "
                f"empty data dir and will not touch it; run it elsewhere, e.g.\n"
                f"  KAM_DATA_DIR=/some/other/dir kam demo    (or: kam demo --dir /some/other/dir)"
            )
        _forget_open_indexes()
        for child in path.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    path.mkdir(parents=True, exist_ok=True)
    (path / MARKER).write_text("Made by `kam demo`: the next `kam demo` wipes this directory.\n", encoding="utf-8")
    return path


@dataclass
class PortfolioSummary:
    """What the demo book holds, as of a day."""

    as_of: dt.date
    due_soon_days: int = 2
    users: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # id, name, role, manager
    accounts_by_owner: list[tuple[str, str, int]] = field(default_factory=list)  # owner id, name, accounts
    accounts: int = 0
    stakeholders: int = 0
    interactions: int = 0
    open_commitments: int = 0
    overdue_commitments: int = 0
    due_soon_commitments: int = 0
    open_opportunities: int = 0
    open_pipeline: float = 0.0


def portfolio_summary(session: Session, as_of: dt.date, *, due_soon_days: int = 2) -> PortfolioSummary:
    """Counts straight from the store (open = status open; overdue = due before ``as_of``)."""
    summary = PortfolioSummary(as_of=as_of, due_soon_days=due_soon_days)
    users = session.exec(select(User).order_by(col(User.id))).all()
    names = {u.id: u.name for u in users}
    summary.users = [(u.id, u.name, u.role, names.get(u.manager_id or "")) for u in users]
    per_owner = session.exec(
        select(Account.owner_id, func.count()).group_by(col(Account.owner_id)).order_by(col(Account.owner_id))
    ).all()
    summary.accounts_by_owner = [(owner, names.get(owner, owner), int(n)) for owner, n in per_owner]
    summary.accounts = sum(n for _, _, n in summary.accounts_by_owner)
    summary.stakeholders = session.exec(select(func.count()).select_from(Stakeholder)).one()
    summary.interactions = session.exec(select(func.count()).select_from(Interaction)).one()
    open_ = col(Commitment.status) == "open"
    summary.open_commitments = session.exec(select(func.count()).where(open_)).one()
    summary.overdue_commitments = session.exec(
        select(func.count()).where(open_, col(Commitment.due) < as_of)
    ).one()
    summary.due_soon_commitments = session.exec(
        select(func.count()).where(open_, col(Commitment.due) >= as_of,
                                   col(Commitment.due) <= as_of + dt.timedelta(days=due_soon_days))
    ).one()
    count, total = session.exec(
        select(func.count(), func.coalesce(func.sum(Opportunity.amount), 0.0)).where(
            col(Opportunity.stage).in_(OPEN_STAGES)
        )
    ).one()
    summary.open_opportunities, summary.open_pipeline = int(count), float(total)
    return summary


@dataclass
class DemoRun:
    as_of: dt.date
    csv_dir: Path
    report: ImportReport
    summary: PortfolioSummary


def run_demo(runtime: Runtime, as_of: dt.date, out: Console) -> DemoRun:
    """Generate the demo portfolio into ``<data dir>/demo-csv``, import it, and print the portfolio summary."""
    csv_dir = runtime.settings.data_dir / CSV_SUBDIR
    portfolio = generate_portfolio(as_of=as_of)
    write_csvs(portfolio, csv_dir)
    out.print(f"[bold]kam demo[/bold]: data dir {runtime.settings.data_dir}, as of {as_of.isoformat()}")
    out.print(f"Generated the demo portfolio (seed {portfolio.seed}) as CSV files in {csv_dir}")
    report = import_dir(runtime.db, csv_dir, actor=ACTOR, as_of=as_of, progress=False)
    if not report.ok:  # the generator and the importer disagree: a bug, not bad user input
        raise RuntimeError("the demo portfolio did not import: " + "; ".join(str(e) for e in report.errors[:5]))
    totals = report.totals()
    out.print(f"Imported {totals['created']} rows in {sum(f.seconds for f in report.files):.2f} s")
    with runtime.db.session() as session:
        summary = portfolio_summary(session, as_of, due_soon_days=runtime.rules.commitments.due_soon_days)
    render_summary(summary, out)
    return DemoRun(as_of=as_of, csv_dir=csv_dir, report=report, summary=summary)


def render_summary(summary: PortfolioSummary, out: Console) -> None:
    users = Table(title="Users", title_justify="left")
    for column in ("id", "name", "role", "reports to", "accounts"):
        users.add_column(column)
    owned = {owner: n for owner, _, n in summary.accounts_by_owner}
    for uid, name, role, manager in summary.users:
        users.add_row(uid, name, role, manager or "", str(owned.get(uid, 0)))
    out.print(users)
    book = Table(title=f"Portfolio as of {summary.as_of.isoformat()}", title_justify="left", show_header=False)
    book.add_column("what")
    book.add_column("count", justify="right")
    book.add_row("accounts", str(summary.accounts))
    book.add_row("stakeholders", str(summary.stakeholders))
    book.add_row("interactions (a year of notes)", str(summary.interactions))
    book.add_row("open commitments", str(summary.open_commitments))
    book.add_row("  overdue", str(summary.overdue_commitments))
    book.add_row(f"  due within {summary.due_soon_days} days", str(summary.due_soon_commitments))
    book.add_row("open opportunities", str(summary.open_opportunities))
    book.add_row("open pipeline", f"{summary.open_pipeline:,.0f}")
    out.print(book)
