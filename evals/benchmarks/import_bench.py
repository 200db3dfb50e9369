"""Import benchmark: a generated portfolio written as CSV and imported into a fresh SQLite file.

    python -m evals.benchmarks.import_bench                       # 10,000 accounts x 8 people x 20 notes
    python -m evals.benchmarks.import_bench --accounts 2000 --interactions 50

Prints rows per second per file and overall for the first import (everything created, with an audit
row each), then for a second import of the same files (everything unchanged: compared, not written).
The baseline, measured in the same run, is the same rows inserted with plain executemany into another
fresh SQLite file: no CSV, no validation, no comparison, no audit. Figures are printed, never asserted.
``run(...)`` returns them as a dict (for ``kam bench``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from store.db import Database
from store.demo import generate_portfolio, write_csvs
from store.import_schema import FILES
from store.importer import ImportReport, import_dir
from store.models import utcnow
from store.settings import Settings

AS_OF = dt.date(2026, 6, 30)
DEFAULTS = {"accounts": 10_000, "stakeholders": 8, "interactions": 20}


def _fresh_db(directory: Path, name: str) -> Database:
    return Database.from_settings(Settings(data_dir=directory, database_url=f"sqlite:///{directory / name}"))


def _figures(report: ImportReport) -> dict[str, Any]:
    files = {
        f.file: {"rows": f.rows, "created": f.created, "updated": f.updated, "unchanged": f.unchanged,
                 "seconds": round(f.seconds, 3), "rows_per_s": round(f.rows / f.seconds) if f.seconds else None}
        for f in report.files
    }
    rows = sum(f.rows for f in report.files)
    seconds = sum(f.seconds for f in report.files)
    return {"ok": report.ok, "files": files, "rows": rows, "seconds": round(seconds, 3),
            "rows_per_s": round(rows / seconds) if seconds else None}


def _raw_insert(db: Database, tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The baseline: the generated rows straight into the tables, one executemany per 1,000 rows."""
    started = time.perf_counter()
    rows = 0
    with db.write() as session:
        for spec in FILES:
            table = spec.table.__table__  # type: ignore[attr-defined]
            data = tables.get(spec.name, [])
            extra = {"markdown": "", "sections": {}, "created_at": utcnow()} if spec.name == "plans" else {}
            if spec.name == "stakeholders":
                extra = {"left_company": False}
            for start in range(0, len(data), 1000):
                session.execute(insert(table), [row | extra for row in data[start : start + 1000]])
            rows += len(data)
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds)}


def run(
    *,
    accounts: int = DEFAULTS["accounts"],
    stakeholders: int = DEFAULTS["stakeholders"],
    interactions: int = DEFAULTS["interactions"],
    baseline: bool = True,
    workdir: Path | None = None,
) -> dict[str, Any]:
    """Generate, write, import twice (and insert raw for the baseline); the figures as a dict."""
    with tempfile.TemporaryDirectory(prefix="kam-import-bench-", dir=workdir) as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        portfolio = generate_portfolio(as_of=AS_OF, n_accounts=accounts, stakeholders_per_account=stakeholders,
                                       interactions_per_account=interactions)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        csv_dir = write_csvs(portfolio, root / "csv")
        written = time.perf_counter() - started
        result: dict[str, Any] = {
            "accounts": accounts, "stakeholders_per_account": stakeholders,
            "interactions_per_account": interactions, "counts": portfolio.counts(),
            "generate_s": round(generated, 2), "write_csv_s": round(written, 2),
            "csv_mb": round(sum(p.stat().st_size for p in csv_dir.iterdir()) / 1e6, 1),
        }
        db = _fresh_db(root, "import.db")
        try:
            result["first"] = _figures(import_dir(db, csv_dir, actor="benchmark", progress=False))
            result["second"] = _figures(import_dir(db, csv_dir, actor="benchmark", progress=False))
        finally:
            db.dispose()
        if baseline:
            raw = _fresh_db(root, "raw.db")
            try:
                result["baseline_raw_insert"] = _raw_insert(raw, portfolio.tables)
            finally:
                raw.dispose()
        return result


def _print(result: dict[str, Any]) -> None:
    counts = result["counts"]
    print(f"portfolio: {result['accounts']:,} accounts x {result['stakeholders_per_account']} stakeholders x "
          f"{result['interactions_per_account']} interactions (ordinary accounts; QBRs and the planted stories "
          f"come on top)")
    print("rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    print(f"generated in {result['generate_s']} s; CSV written in {result['write_csv_s']} s ({result['csv_mb']} MB)")
    for run_name, title in (("first", "first import (all created, audited)"),
                            ("second", "second import (all unchanged)")):
        figures = result[run_name]
        print(f"\n{title}: {figures['rows']:,} rows in {figures['seconds']} s = {figures['rows_per_s']:,} rows/s"
              + ("" if figures["ok"] else "  [NOT OK]"))
        for name, f in figures["files"].items():
            rate = f"{f['rows_per_s']:,}" if f["rows_per_s"] else "-"
            print(f"  {name:<18} {f['rows']:>10,} rows {f['seconds']:>8.2f} s {rate:>10} rows/s  "
                  f"(created {f['created']:,}, updated {f['updated']:,}, unchanged {f['unchanged']:,})")
    raw = result.get("baseline_raw_insert")
    if raw:
        first = result["first"]["rows_per_s"]
        print(f"\nbaseline, plain executemany of the same rows (no CSV, validation, comparison or audit): "
              f"{raw['rows']:,} rows in {raw['seconds']} s = {raw['rows_per_s']:,} rows/s; "
              f"first import runs at {first / raw['rows_per_s']:.2f}x of it")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.benchmarks.import_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=DEFAULTS["accounts"])
    parser.add_argument("--stakeholders", type=int, default=DEFAULTS["stakeholders"], help="per ordinary account")
    parser.add_argument("--interactions", type=int, default=DEFAULTS["interactions"], help="per ordinary account")
    parser.add_argument("--no-baseline", action="store_true", help="skip the raw-insert baseline")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = run(accounts=args.accounts, stakeholders=args.stakeholders, interactions=args.interactions,
                 baseline=not args.no_baseline)
    _print(result)
    print(f"\nwhole benchmark: {time.perf_counter() - started:.0f} s")
    return 0 if result["first"]["ok"] and result["second"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
