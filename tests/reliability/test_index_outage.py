"""The index is a cache of SQL: a Chroma server outage degrades search, never fails it, and heals on its own.

A throwaway ``chroma run`` of the test's own (on another port) is stopped under a running ``kam serve``:
note-backed tools answer from SQL and say search is degraded, ``/healthz`` says ``degraded``, and a note
stored during the outage is searchable within 10 s of the server's return, with no other write. The store
is the profile's (SQLite file, or PostgreSQL in the scale profile).
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from index_support import AS_OF, ChromaServer, kam, search, serving, wait_until_found
from reliability_support import figure

from evals.fixtures import demo_csv_dir
from integrations.http.tokens import issue_token
from store.db import Database
from store.settings import Settings

NOTE = "Met Martin (CFO) at Keystone today, he's worried about the walrus budget; I'll send the deck by Friday"


def _tool(http: httpx.Client, token: str, name: str, **args: object) -> httpx.Response:
    return http.post(f"/v1/tools/{name}", json={"args": args, "as_of": AS_OF},
                     headers={"Authorization": f"Bearer {token}"})


@pytest.mark.slow
def test_a_chroma_server_outage_degrades_search_and_heals(settings: Settings, tmp_path: Path) -> None:
    chroma = ChromaServer(tmp_path / "chroma-server")
    chroma.start()
    settings = settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": chroma.port})
    try:
        loaded = kam(settings, "import", str(demo_csv_dir()))
        assert loaded.returncode == 0, loaded.stderr
        assert "searchable now" in loaded.stdout, loaded.stdout  # kam import indexed what it wrote
        assert "INFO" not in loaded.stderr
        db = Database.from_settings(settings)
        token, rep = issue_token(db, "U01"), issue_token(db, "U03")
        db.dispose()
        auth = {"Authorization": f"Bearer {token}"}
        with serving(settings, tmp_path / "serve.log") as base, httpx.Client(base_url=base, timeout=60) as http:
            found = search(http, token, "budget")  # after kam import, with no other command
            assert found.status_code == 200 and found.json()["hits"] and not found.json()["notes"], found.text
            assert http.get("/healthz").json() == {"status": "ok"}

            chroma.stop()
            deadline = time.monotonic() + 15  # a scope's vectors held in memory answer a few seconds more
            while True:
                degraded = search(http, token, "budget")
                assert degraded.status_code == 200 and degraded.json()["hits"], degraded.text
                if any("degraded" in n for n in degraded.json()["notes"]) or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert any("degraded" in n for n in degraded.json()["notes"])
            qbr = _tool(http, token, "prep_qbr", account="Keystone")
            assert qbr.status_code == 200 and "degraded" in qbr.json()["markdown"], qbr.text
            guidance = _tool(http, token, "ask_guidance", question="how should I run a Develop account?")
            assert guidance.status_code == 200 and guidance.json()["passages"], guidance.text
            assert any("degraded" in n for n in guidance.json()["notes"])
            assert http.get("/healthz").json() == {"status": "degraded"}
            health = http.get("/healthz", headers=auth).json()
            assert health["index"]["reachable"] is False and health["store"]["reachable"], health

            headers = {"Authorization": f"Bearer {rep}"}
            asked = http.post("/v1/chat", json={"message": NOTE, "thread_id": "outage", "as_of": AS_OF},
                              headers=headers)
            assert asked.status_code == 200 and asked.json().get("pending_confirmation"), asked.text
            stored = http.post("/v1/chat", json={"message": "confirm", "thread_id": "outage", "as_of": AS_OF},
                               headers=headers)
            assert stored.status_code == 200 and stored.json()["reply"].startswith("Stored"), stored.text
            assert http.get("/healthz", headers=auth).json()["index"]["pending_notes"] >= 1

            chroma.start()
            back = time.monotonic()
            waited = wait_until_found(http, token, "walrus", within_s=10)
            healed = [http.get("/healthz").json(), search(http, token, "walrus").json()]
        figure(f"INDEX Chroma server outage under kam serve ({settings.database_url and 'PostgreSQL' or 'SQLite'}):"
               f" search, prep_qbr and ask_guidance answered 200 (degraded) while it was down; the note stored then"
               f" was searchable {waited if waited is None else round(waited, 1)} s after the server's return "
               f"(health {time.monotonic() - back:.1f} s later: {healed[0]['status']})")
        assert waited is not None and waited <= 10
        assert healed[0] == {"status": "ok"} and not healed[1]["notes"]
    finally:
        chroma.stop()
