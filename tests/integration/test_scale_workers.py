"""The scale path: several ``kam serve`` workers sharing one PostgreSQL server and one Chroma server.

Runs in CI's scale pass (``KAM_TEST_PROFILE=scale``), where the settings point at both servers. A note
logged through one worker, confirmed in the same thread through whichever worker answers next, is found
by ``search_notes`` through any worker: the conversation memory, the store and the index are shared.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import SCALE
from reliability_support import figure
from server_support import free_port, kam_serve

from evals.fixtures import demo_csv_dir
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from knowledge.outbox import index_all_interactions
from store.importer import import_dir
from store.settings import Settings

pytestmark = pytest.mark.skipif(not SCALE, reason="the scale profile (PostgreSQL + Chroma server) is off")
AS_OF = "2026-11-22"


def _env(settings: Settings, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env.update({
        "KAM_DATA_DIR": str(settings.data_dir),
        "KAM_DATABASE_URL": str(settings.database_url),
        "KAM_CHROMA_HOST": str(settings.chroma_host),
        "KAM_CHROMA_PORT": str(settings.chroma_port),
        "KAM_CHROMA_PREFIX": settings.chroma_prefix,
        "KAM_HTTP_PORT": str(port),
    })
    return env


@pytest.mark.slow
def test_two_workers_share_store_memory_and_index(settings: Settings, tmp_path: Path) -> None:
    runtime = Runtime.build(settings)
    report = import_dir(runtime.db, demo_csv_dir(), actor="test")
    assert report.ok
    index_all_interactions(runtime.db, runtime.knowledge)
    token = issue_token(runtime.db, "U03")
    runtime.close()

    port = free_port()
    with kam_serve(_env(settings, port), port, tmp_path / "serve.log", "--workers", "2", "--no-scheduler") as base:
        headers = {"Authorization": f"Bearer {token}"}

        def ask(message: str, thread: str | None = None) -> httpx.Response:
            body = {"message": message, "as_of": AS_OF, **({"thread_id": thread} if thread else {})}
            return httpx.post(f"{base}/v1/chat", json=body, headers=headers, timeout=120)  # a new connection each

        note = ask("Met Martin (CFO) at Keystone today, he's worried about the zeppelin budget; "
                   "I'll send the ROI deck by Friday", "scale-1")
        assert note.status_code == 200 and note.json().get("pending_confirmation"), note.text
        stored = ask("confirm", "scale-1")
        assert stored.status_code == 200 and stored.json()["reply"].startswith("Stored"), stored.text

        messages = ["show my matrix", "what's overdue?", "what did Martin say about the zeppelin budget?"] * 12
        with ThreadPoolExecutor(6) as pool:
            responses = list(pool.map(ask, messages))
        workers = {r.headers.get("x-kam-worker") for r in responses}  # sent to callers with a token only
        failures = [r.status_code for r in responses if r.status_code != 200]
        found = [r for r in responses if "zeppelin" in r.json().get("reply", "")]
        figure(f"SCALE 2 kam serve workers on PostgreSQL + Chroma server: {len(responses)} requests, "
              f"{len(failures)} failed, answered by {len(workers)} worker processes; the note confirmed through "
              f"one worker was found by search_notes in {len(found)}/{messages.count(messages[2])} searches")
        assert not failures
        assert len(workers) == 2, f"only one worker answered: {workers}"
        assert len(found) == messages.count(messages[2])
