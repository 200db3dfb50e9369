"""A generated portfolio in a SQLite store, built once per size and cached, for the tool benchmarks.

    from evals.benchmarks.portfolio import build_or_open
    db, admin, as_of = build_or_open(10_000, 8, 50)

The store lives under ``$KAM_BENCH_DIR`` (default ``/tmp/kam-bench``), one file per size and generator
version. It is built in a temporary file and renamed when complete, so an interrupted build is never
reused. With ``store.demo`` present it is the demo generator's portfolio, imported through
``store.importer``; otherwise rows are generated here and inserted in bulk. Deterministic: the same
size always gives the same data.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import col, select

from store.db import Database, make_engine
from store.migrate import upgrade
from store.models import Account, Interaction, Participant, Stakeholder, User
from store.settings import Settings

AS_OF = dt.date(2026, 6, 30)
VERSION = "v1"
ADMIN_ID = "bench-admin"
_HISTORY_DAYS = 730
_CHUNK = 20_000


def cache_dir() -> Path:
    return Path(os.environ.get("KAM_BENCH_DIR", "/tmp/kam-bench"))


def cache_path(n_accounts: int, stakeholders: int, interactions: int) -> Path:
    source = "demo" if _demo_available() else "bulk"
    return cache_dir() / f"portfolio-{VERSION}-{source}-{n_accounts}x{stakeholders}x{interactions}.db"


def _settings(path: Path) -> Settings:
    return Settings(data_dir=path.parent, database_url=f"sqlite:///{path}")


def _open(path: Path) -> Database:
    db = Database(make_engine(_settings(path)))
    upgrade(db.engine)
    return db


def build_or_open(n_accounts: int, stakeholders: int, interactions: int) -> tuple[Database, User, dt.date]:
    """The cached store for this size (built on first use), its admin user and the ``as_of`` of its data."""
    path = cache_path(n_accounts, stakeholders, interactions)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=path.stem + ".", suffix=".building", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()
        started = time.perf_counter()
        print(f"building {path.name} (once) ...", file=sys.stderr, flush=True)
        try:
            db = _open(tmp)
            if _demo_available():
                _build_from_demo(db, tmp.parent, n_accounts, stakeholders, interactions)
            else:
                _build_bulk(db, n_accounts, stakeholders, interactions)
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.dispose()
            tmp.rename(path)
        finally:
            for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                leftover.unlink(missing_ok=True)
        print(f"built in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    db = _open(path)
    with db.session() as s:
        admin = s.exec(select(User).where(User.role == "admin").order_by(col(User.id))).first()
    if admin is None:
        raise RuntimeError(f"{path}: no admin user; delete the file to rebuild it")
    return db, admin, AS_OF


# ------------------------------------------------------------------------------------- from the demo


def _demo_available() -> bool:
    try:
        import store.demo  # noqa: F401
    except ImportError:
        return False
    return True


def _build_from_demo(db: Database, workdir: Path, n_accounts: int, stakeholders: int, interactions: int) -> None:
    from store import demo
    from store.importer import import_dir

    portfolio = demo.generate_portfolio(
        as_of=AS_OF, n_accounts=n_accounts, stakeholders_per_account=stakeholders,
        interactions_per_account=interactions,
    )
    with tempfile.TemporaryDirectory(dir=workdir) as csv_dir:
        demo.write_csvs(portfolio, Path(csv_dir))
        report = import_dir(db, csv_dir, actor="benchmark", progress=False)
    failed = [f.file for f in report.files if f.status != "written"]
    if failed:
        raise RuntimeError(f"the demo portfolio did not import: {', '.join(failed)}")
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))


# ------------------------------------------------------------------------------------------ in bulk


def _build_bulk(db: Database, n_accounts: int, stakeholders: int, interactions: int) -> None:
    rng = random.Random(f"kam-bench-{n_accounts}-{stakeholders}-{interactions}")
    with db.write() as s:
        conn = s.connection()
        reps, users = _users(n_accounts)
        conn.execute(insert(User), users)
        for batch in _batches(_accounts(rng, n_accounts, reps)):
            conn.execute(insert(Account), batch)
        people: dict[str, list[str]] = {}
        for batch in _batches(_stakeholders(rng, n_accounts, stakeholders, people)):
            conn.execute(insert(Stakeholder), batch)
        touches, parts = _interactions(rng, n_accounts, interactions, people, reps)
        for batch in _batches(touches):
            conn.execute(insert(Interaction), batch)
        for batch in _batches(parts):
            conn.execute(insert(Participant), batch)
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def _users(n_accounts: int) -> tuple[list[str], list[dict[str, Any]]]:
    n_reps = max(1, n_accounts // 50)
    n_managers = max(1, n_reps // 20)
    users: list[dict[str, Any]] = [{"id": ADMIN_ID, "name": "Benchmark Admin", "role": "admin", "manager_id": None}]
    users += [{"id": f"M{m:03d}", "name": f"Manager {m}", "role": "manager", "manager_id": None}
              for m in range(n_managers)]
    reps = [f"R{r:04d}" for r in range(n_reps)]
    users += [{"id": rid, "name": f"Rep {r}", "role": "kam" if r % 3 == 0 else "rep",
               "manager_id": f"M{r % n_managers:03d}"} for r, rid in enumerate(reps)]
    return reps, users


def _maybe(rng: random.Random, value: Any, missing: float = 0.08) -> Any:
    return None if rng.random() < missing else value


def _accounts(rng: random.Random, n: int, reps: list[str]) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        owner = reps[i % len(reps)]
        revenue = round(rng.lognormvariate(14.5, 1.2), -3)
        rows.append({
            "id": f"ACC-{i:05d}", "name": f"Account {i:05d}", "owner_id": owner, "industry": "Manufacturing",
            "annual_revenue": _maybe(rng, revenue, 0.02),
            "gross_margin_pct": _maybe(rng, round(rng.uniform(2, 55), 1)),
            "wallet_estimate": _maybe(rng, round(revenue * rng.uniform(1.0, 8.0), -3)),
            "cost_to_serve": _maybe(rng, round(revenue * rng.uniform(0.01, 0.2), -2)),
            "growth_target": None,
            "growth_potential": _maybe(rng, rng.randint(1, 5)),
            "strategic_fit": _maybe(rng, rng.randint(1, 5)),
            "competitive_position": _maybe(rng, rng.randint(1, 5)),
            "propensity_to_partner": _maybe(rng, rng.randint(1, 5)),
            "scored_by": owner,
        })
    return rows


def _stakeholders(rng: random.Random, n: int, per: int, people: dict[str, list[str]]) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        aid = f"ACC-{i:05d}"
        for j in range(per):
            sid = f"STK-{i:05d}-{j:02d}"
            people.setdefault(aid, []).append(sid)
            rows.append({
                "id": sid, "account_id": aid, "name": f"Person {i}.{j}", "title": None, "department": None,
                "authority": rng.choices(["none", "budget", "approver", "veto"], [6, 1, 1, 1])[0],
                "influence": rng.randint(1, 5), "is_executive": j == 0 or rng.random() < 0.1,
                "reports_to": None, "tag": rng.choices([None, "champion", "blocker"], [8, 1, 1])[0],
                "left_company": rng.random() < 0.03,
            })
    return rows


def _interactions(
    rng: random.Random, n: int, per: int, people: dict[str, list[str]], reps: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    touches, parts = [], []
    for i in range(n):
        aid = f"ACC-{i:05d}"
        members = people.get(aid, [])
        for k in range(per):
            iid = f"INT-{i:05d}-{k:03d}"
            ago = int(rng.triangular(0, _HISTORY_DAYS, 0))
            touches.append({"id": iid, "account_id": aid, "date": AS_OF - dt.timedelta(days=ago),
                            "kind": "meeting", "author_id": reps[i % len(reps)], "text": f"Call {k} with {aid}."})
            if members:
                for sid in rng.sample(members, k=min(len(members), rng.randint(1, 3))):
                    parts.append({"interaction_id": iid, "stakeholder_id": sid,
                                  "sentiment": _maybe(rng, rng.randint(-2, 2), 0.2)})
    return touches, parts
