"""Shared fixtures: an isolated environment, a data dir per test, and the store on SQLite and PostgreSQL.

The ``db`` fixture runs each test twice: on a SQLite file in a temp dir, and on the real PostgreSQL
server named by ``KAM_TEST_DATABASE_URL`` (each test in its own schema). With ``CI=true`` and no
server, the PostgreSQL half fails rather than skips.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from store.db import Database, make_engine
from store.migrate import upgrade
from store.settings import Settings

PG_URL = os.environ.get("KAM_TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's KAM_* variables, home data dir or a real model endpoint."""
    for key in list(os.environ):
        if key.startswith("KAM_") and key != "KAM_TEST_DATABASE_URL":
            monkeypatch.delenv(key, raising=False)
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KAM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")


SCALE = os.environ.get("KAM_TEST_PROFILE") == "scale"
CHROMA_HOST = os.environ.get("KAM_TEST_CHROMA_HOST")
CHROMA_PORT = int(os.environ.get("KAM_TEST_CHROMA_PORT", "8000"))


@pytest.fixture
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Settings]:
    """The settings of one test. With ``KAM_TEST_PROFILE=scale`` (CI's second pass) they point at the
    PostgreSQL server (a fresh schema) and the Chroma server (a fresh collection prefix) instead of the
    embedded SQLite file and Chroma directory."""
    base = Settings(data_dir=tmp_path / "data", env="test")
    if not SCALE:
        yield base
        return
    if not (PG_URL and CHROMA_HOST):
        pytest.fail("KAM_TEST_PROFILE=scale needs KAM_TEST_DATABASE_URL and KAM_TEST_CHROMA_HOST")
    prefix = f"t{uuid.uuid4().hex[:10]}"
    yield base.model_copy(update={
        "database_url": request.getfixturevalue("pg_url"),
        "chroma_host": CHROMA_HOST,
        "chroma_port": CHROMA_PORT,
        "chroma_prefix": prefix,
    })
    _drop_collections(prefix)


def _drop_collections(prefix: str) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(host=CHROMA_HOST, port=CHROMA_PORT,
                                 settings=ChromaSettings(anonymized_telemetry=False))
    for collection in client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        if name.startswith(prefix):
            client.delete_collection(name)


def _pg_schema_url(schema: str) -> str:
    assert PG_URL
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def pg_required() -> None:
    if not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but KAM_TEST_DATABASE_URL is not set: the PostgreSQL store tests must run")
        pytest.skip("KAM_TEST_DATABASE_URL not set")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for one test; dropped afterwards."""
    pg_required()
    assert PG_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Database]:
    """A migrated, empty store: SQLite file, then PostgreSQL."""
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
        settings = settings.model_copy(update={"database_url": url})
    else:
        settings = settings.model_copy(update={"database_url": None})
    database = Database(make_engine(settings))
    upgrade(database.engine)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def sqlite_db(settings: Settings) -> Iterator[Database]:
    database = Database.from_settings(settings.model_copy(update={"database_url": None}))
    try:
        yield database
    finally:
        database.dispose()


_FIGURES = os.environ.get("KAM_FIGURES_FILE")
_figures_start = 0


def pytest_sessionstart(session: pytest.Session) -> None:
    global _figures_start
    if _FIGURES and os.path.exists(_FIGURES):
        _figures_start = os.path.getsize(_FIGURES)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The figures the reliability, security and scale tests measured in this run (``KAM_FIGURES_FILE``)."""
    if not (_FIGURES and os.path.exists(_FIGURES)):
        return
    with open(_FIGURES, encoding="utf-8") as handle:
        handle.seek(_figures_start)
        lines = [line.rstrip() for line in handle if line.strip()]
    if lines:
        terminalreporter.section("figures measured in this run")
        for line in lines:
            terminalreporter.write_line(line)


def env_for(settings: Settings) -> dict[str, str]:
    """The ``KAM_*`` variables that make a child process (or a CLI run) use the same store and index."""
    env = {"KAM_DATA_DIR": str(settings.data_dir), "KAM_CHROMA_PREFIX": settings.chroma_prefix}
    if settings.database_url:
        env["KAM_DATABASE_URL"] = settings.database_url
    if settings.chroma_host:
        env["KAM_CHROMA_HOST"] = settings.chroma_host
        env["KAM_CHROMA_PORT"] = str(settings.chroma_port)
    return env
