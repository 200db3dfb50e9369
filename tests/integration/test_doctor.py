"""``kam doctor`` on a healthy configuration and on a broken one: each problem named, exit code 1."""

from __future__ import annotations

import json

import pytest
from conftest import env_for
from index_support import free_port
from typer.testing import CliRunner

from store.db import Database
from store.settings import Settings


def _doctor(settings: Settings, monkeypatch: pytest.MonkeyPatch, **extra: str) -> tuple[int, dict[str, dict]]:
    from integrations.cli.main import app

    for key, value in {**env_for(settings), **extra}.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(app, ["doctor", "--json"])
    return result.exit_code, {c["name"]: c for c in json.loads(result.stdout)}


def test_a_working_configuration_passes(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    code, checks = _doctor(settings, monkeypatch)
    assert code == 0 and checks["store"]["status"] == "warn" and "schema at nothing" in checks["store"]["detail"]
    Database.from_settings(settings).dispose()  # migrated, as any kam command does
    code, checks = _doctor(settings, monkeypatch)
    assert code == 0, checks
    assert [c["status"] for c in checks.values()] == ["ok"] * 5
    assert "schema at head" in checks["store"]["detail"]
    assert "dimensions" in checks["embedder"]["detail"] and checks["slack"]["detail"] == "off (no tokens set)"


def test_a_broken_configuration_is_named_part_by_part(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    closed = str(free_port())  # nothing listens there
    code, checks = _doctor(settings, monkeypatch, KAM_CHROMA_HOST="127.0.0.1", KAM_CHROMA_PORT=closed,
                           KAM_SLACK_BOT_TOKEN="xoxp-not-a-bot-token", KAM_SLACK_SIGNING_SECRET="0" * 32,
                           KAM_LLM_BASE_URL=f"http://127.0.0.1:{closed}/v1", KAM_LLM_MODEL="m")
    assert code == 1
    assert checks["store"]["status"] == "warn"  # reachable, not yet migrated
    assert checks["index"]["status"] == "fail" and f"127.0.0.1:{closed}" in checks["index"]["detail"]
    assert checks["slack"]["status"] == "fail" and "KAM_SLACK_BOT_TOKEN" in checks["slack"]["detail"]
    assert checks["llm"]["status"] == "fail" and "does not answer" in checks["llm"]["detail"]
    assert "xoxp-not-a-bot-token" not in json.dumps(checks)  # a secret is never echoed


def test_an_unreachable_store_fails_and_skips_the_index(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"postgresql://kam:secret-pw@127.0.0.1:{free_port()}/nothing"
    code, checks = _doctor(settings, monkeypatch, KAM_DATABASE_URL=url)
    assert code == 1 and checks["store"]["status"] == "fail" and "does not answer" in checks["store"]["detail"]
    assert "secret-pw" not in checks["store"]["detail"]
    assert checks["index"] == {"name": "index", "status": "fail", "detail": "not checked: the store is unreachable"}
