"""Benchmark: ``find_drifting_accounts`` (all) and ``prep_qbr`` (one account with 2,000 interactions), each
beside a plain SQL read of the rows it needs, in the same run.

    python -m evals.benchmarks.tools_bench_health [--accounts 10000] [--stakeholders 8] [--interactions 50]
        [--qbr-interactions 2000] [--repeat 3] [--tools find_drifting_accounts,prep_qbr]

The portfolio is ``evals/benchmarks/portfolio.py``'s (built once per size and cached). ``prep_qbr`` needs an
account with a long history, so a copy of that store is made once with ``--qbr-interactions`` more
interactions (with participants, sentiments and note texts) on its first account; the shared store itself
is never changed. Each figure is the median of ``--repeat`` runs after one warm-up, as the admin. The
baseline reads the same rows with one plain ``SELECT`` per table and fetches them all; the ratio is the
figure (target: within 3x) and the SQL statement count shows the tool is set-based.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import col, select

from evals.benchmarks.measure import StatementCounter, plain_read, timed
from store.db import Database, make_engine
from store.migrate import upgrade
from store.models import Account, Interaction, Participant, Stakeholder, User
from store.settings import Settings
from tools.context import ToolContext
from tools.registry import call_tool
from tools.rules import Rules

_TOPICS = (
    "Reviewed the rollout plan with {who}; budget for next year is still being discussed.",
    "{who} raised a concern about support response times and asked for an escalation path.",
    "Pricing came up again: {who} wants a sharper offer before renewal.",
    "{who} mentioned a competitor pitching a cheaper platform to the finance team.",
    "Walked {who} through the analytics roadmap; good interest in the data platform.",
    "{who} confirmed priorities for the quarter: integration first, then reporting.",
    "Quick check-in with {who} on open issues; no blockers reported.",
    "{who} asked for references from similar customers before the steering committee.",
)
_KINDS = ("meeting", "call", "email", "meeting", "call")


def _bench_copy(base: Path, extra: int) -> Path:
    return base.with_name(f"{base.stem}-qbr{extra}.db")


def _open(path: Path) -> Database:
    db = Database(make_engine(Settings(data_dir=path.parent, database_url=f"sqlite:///{path}")))
    upgrade(db.engine)
    return db


def _long_history_store(accounts: int, stakeholders: int, interactions: int, extra: int) -> tuple[Path, str]:
    """A copy of the cached portfolio whose first account has ``extra`` more interactions; built once."""
    from evals.benchmarks.portfolio import build_or_open, cache_path

    db, _admin, as_of = build_or_open(accounts, stakeholders, interactions)
    with db.session() as s:
        target = s.exec(select(Account.id).order_by(col(Account.id)).limit(1)).one()
    db.dispose()
    base = cache_path(accounts, stakeholders, interactions)
    path = _bench_copy(base, extra)
    if path.exists():
        return path, target
    print(f"copying {base.name} and adding {extra} interactions to {target} (once) ...", file=sys.stderr, flush=True)
    tmp = path.with_suffix(".building")
    shutil.copyfile(base, tmp)
    try:
        copy = _open(tmp)
        _add_history(copy, target, extra, as_of)
        with copy.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        with copy.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        copy.dispose()
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    return path, target


def _add_history(db: Database, account_id: str, extra: int, as_of: dt.date) -> None:
    rng = random.Random(f"kam-bench-qbr-{account_id}-{extra}")
    with db.write() as s:
        people = list(s.exec(select(Stakeholder.id, Stakeholder.name).where(Stakeholder.account_id == account_id)))
        author = s.exec(select(Account.owner_id).where(Account.id == account_id)).one()
        touches, parts = [], []
        for k in range(extra):
            iid = f"QBRB-{k:05d}"
            ago = int(rng.triangular(0, 730, 0))
            chosen = rng.sample(people, k=min(len(people), rng.randint(1, 3))) if people else []
            who = " and ".join(name for _sid, name in chosen) or "the team"
            kind = "qbr" if k % 250 == 0 else rng.choice(_KINDS)
            sentence = rng.choice(_TOPICS).format(who=who)
            body = f"{sentence} {rng.choice(_TOPICS).format(who=who)}"
            touches.append({"id": iid, "account_id": account_id, "date": as_of - dt.timedelta(days=ago),
                            "kind": kind, "author_id": author, "text": body})
            parts += [{"interaction_id": iid, "stakeholder_id": sid,
                       "sentiment": rng.choice([None, -2, -1, 0, 1, 1, 2])} for sid, _name in chosen]
        conn = s.connection()
        conn.execute(insert(Interaction), touches)
        if parts:
            conn.execute(insert(Participant), parts)


def _drift_rows() -> list[str]:
    """What find_drifting_accounts reads for two days: accounts, stakeholders, touches with sentiment up to
    as_of, opportunities, commitments with their source notes' dates, plans."""
    return [
        "SELECT * FROM account",
        "SELECT * FROM stakeholder",
        "SELECT p.stakeholder_id, p.sentiment, i.id, i.date FROM participant p "
        "JOIN interaction i ON i.id = p.interaction_id WHERE i.date <= :as_of",
        "SELECT account_id, amount, stage, created, close_date FROM opportunity",
        "SELECT c.account_id, c.id, c.side, c.status, c.due, c.done, i.date FROM commitment c "
        "LEFT JOIN interaction i ON i.id = c.source_interaction_id",
        'SELECT account_id, date FROM accountplan WHERE date <= :as_of',
        'SELECT id, name FROM "user"',
    ]


def _qbr_rows() -> list[str]:
    """What prep_qbr reads for one account: its rows in every table (notes with text), the revenues the
    quintile is taken over, the catalog and the users it names."""
    return [
        "SELECT * FROM account WHERE id = :aid",
        "SELECT annual_revenue FROM account",
        "SELECT * FROM stakeholder WHERE account_id = :aid",
        "SELECT * FROM interaction WHERE account_id = :aid AND date <= :as_of",
        "SELECT p.* FROM participant p JOIN interaction i ON i.id = p.interaction_id WHERE i.account_id = :aid",
        "SELECT * FROM opportunity WHERE account_id = :aid",
        "SELECT * FROM commitment WHERE account_id = :aid",
        "SELECT * FROM accountplan WHERE account_id = :aid",
        "SELECT * FROM scorerecord WHERE account_id = :aid",
        "SELECT * FROM product",
        'SELECT id, name FROM "user"',
    ]








def run(*, accounts: int = 10_000, stakeholders: int = 8, interactions: int = 50, qbr_interactions: int = 2000,
        repeat: int = 3, tools: tuple[str, ...] = ("find_drifting_accounts", "prep_qbr")) -> list[dict[str, Any]]:
    """Time each tool and its plain read; one dict per tool with ms, ratio, rows read and statement count."""
    from evals.benchmarks.portfolio import AS_OF

    path, target = _long_history_store(accounts, stakeholders, interactions, qbr_interactions)
    db = _open(path)
    as_of = AS_OF
    with db.session() as s:
        admin = s.exec(select(User).where(User.role == "admin").order_by(col(User.id))).first()
        history = s.exec(select(func.count()).select_from(Interaction).where(Interaction.account_id == target)).one()
    assert admin is not None
    rules = Rules()
    counter = StatementCounter(db)
    cases = [
        ("find_drifting_accounts", {"scope": "all"}, _drift_rows(), {"as_of": as_of}, f"{accounts} accounts"),
        ("prep_qbr", {"account": target}, _qbr_rows(), {"aid": target, "as_of": as_of},
         f"{target}, {history} interactions"),
    ]
    out: list[dict[str, Any]] = []
    try:
        for name, args, sqls, params, subject in [c for c in cases if c[0] in tools]:

            def tool_call(name: str = name, args: dict[str, Any] = args) -> Any:
                with db.session() as s:
                    user = s.get(User, admin.id)
                    assert user is not None
                    ctx = ToolContext(session=s, as_of=as_of, user=user, rules=rules, db=db)
                    return call_tool(ctx, name, args)

            before = counter.count
            tool_call()
            statements = counter.count - before
            tool_ms, _cpu, result = timed(tool_call, repeat)
            base_ms, _cpu, rows = timed(lambda sqls=sqls, params=params: plain_read(db, sqls, params), repeat)
            out.append({
                "tool": name, "subject": subject, "tool_ms": round(tool_ms, 1), "plain_read_ms": round(base_ms, 1),
                "ratio": round(tool_ms / base_ms, 2), "rows_read": rows, "sql_statements": statements,
                "result_size": _size(result),
            })
    finally:
        db.dispose()
    return out


def _size(result: Any) -> str:
    if hasattr(result, "accounts") and isinstance(result.accounts, list):
        return f"{len(result.accounts)} drifting"
    if hasattr(result, "sections"):
        return f"{len(result.markdown):,} chars, {len(result.sections.evidence)} quotes"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--stakeholders", type=int, default=8)
    parser.add_argument("--interactions", type=int, default=50)
    parser.add_argument("--qbr-interactions", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tools", default="find_drifting_accounts,prep_qbr", help="comma-separated tool names")
    a = parser.parse_args()
    rows = run(accounts=a.accounts, stakeholders=a.stakeholders, interactions=a.interactions,
               qbr_interactions=a.qbr_interactions, repeat=a.repeat, tools=tuple(a.tools.split(",")))
    print(f"portfolio: {a.accounts} accounts x {a.stakeholders} stakeholders x {a.interactions} interactions "
          f"(SQLite, median of {a.repeat})")
    print(f"{'tool':<24} {'tool ms':>9} {'plain read ms':>14} {'ratio':>6} {'SQL':>4}  subject / rows read / result")
    for r in rows:
        print(f"{r['tool']:<24} {r['tool_ms']:>9.1f} {r['plain_read_ms']:>14.1f} {r['ratio']:>5.2f}x "
              f"{r['sql_statements']:>4}  {r['subject']} / {r['rows_read']} / {r['result_size']}")


if __name__ == "__main__":
    main()
