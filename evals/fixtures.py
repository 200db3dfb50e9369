"""The demo store the evals and their tests run on: the demo portfolio at a fixed date, imported and indexed.

The portfolio is generated at ``DEMO_AS_OF`` (a fixed day, so every figure is reproducible), written as
the SPEC 8 CSV files, imported with the ordinary importer and its notes indexed with the ordinary
reindex. The CSV files are generated once per process; each ``fresh_demo_store`` is its own data dir.
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from store.settings import Settings

DEMO_AS_OF = dt.date(2026, 11, 22)
_ACTOR = "eval-fixture"
_lock = threading.Lock()
_csv_dir: Path | None = None
_shared: DemoStore | None = None
_shared_lock = threading.Lock()


class DemoUnavailable(RuntimeError):
    """The demo portfolio (``store.demo``) or the importer is not there to build the store from."""


@dataclass
class DemoStore:
    """A data dir holding the imported, indexed demo portfolio, and the settings that point at it."""

    data_dir: Path
    settings: Settings
    as_of: dt.date = DEMO_AS_OF

    def runtime(self) -> object:
        from integrations.runtime import Runtime

        return Runtime.build(self.settings)


def demo_csv_dir() -> Path:
    """The demo portfolio's CSV files at ``DEMO_AS_OF``, generated once per process."""
    global _csv_dir
    with _lock:
        if _csv_dir is None or not _csv_dir.is_dir():
            try:
                from store.demo import generate_portfolio, write_csvs
            except ImportError as exc:  # the demo portfolio is another part of the project
                raise DemoUnavailable(f"the demo portfolio is not available: {exc}") from exc
            target = Path(tempfile.mkdtemp(prefix="kam-eval-demo-csv-"))
            atexit.register(shutil.rmtree, target, True)
            write_csvs(generate_portfolio(as_of=DEMO_AS_OF), target)
            _csv_dir = target
        return _csv_dir


def store_settings(data_dir: Path, base: Settings | None = None) -> Settings:
    """Settings for a private demo store in ``data_dir``: SQLite and embedded Chroma there, whatever the
    environment says about databases; the model backend (``KAM_LLM_*``) is kept from ``base``."""
    overrides = {"data_dir": data_dir, "database_url": None, "chroma_host": None}
    if base is None:  # tests: nothing from the environment decides how the store or the model behave
        return Settings(env="test", llm_base_url=None, embedder="wordllama", rules_file=None,
                        auto_confirm_notes=False, **overrides)
    return base.model_copy(update=overrides)


def fresh_demo_store(data_dir: Path | None = None, *, base: Settings | None = None) -> DemoStore:
    """A new data dir with the demo portfolio imported and its notes indexed.

    ``base`` supplies everything but the store (the model backend above all); without it the store runs
    on the offline planner with test settings.
    """
    from integrations.runtime import Runtime
    from knowledge.outbox import reindex
    from store.importer import import_dir

    source = demo_csv_dir()
    target = Path(data_dir) if data_dir is not None else Path(tempfile.mkdtemp(prefix="kam-eval-store-"))
    target.mkdir(parents=True, exist_ok=True)
    settings = store_settings(target, base)
    runtime = Runtime.build(settings)
    try:
        report = import_dir(runtime.db, source, actor=_ACTOR, as_of=DEMO_AS_OF, progress=False)
        if not report.ok:
            problems = "; ".join(str(e) for e in report.errors[:5])
            raise DemoUnavailable(f"the demo portfolio did not import cleanly: {problems}")
        if runtime.knowledge is not None:
            reindex(runtime.db, runtime.knowledge, full=True)
    finally:
        runtime.close()
    return DemoStore(data_dir=target, settings=settings)


def shared_demo_store() -> DemoStore:
    """One demo store per process on the offline planner (for tests: built once, shared, removed at exit)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = fresh_demo_store()
            atexit.register(remove_store, _shared)
        return _shared


def remove_store(store: DemoStore) -> None:
    shutil.rmtree(store.data_dir, ignore_errors=True)
