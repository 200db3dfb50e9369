"""Several ``kam`` processes on one data dir: a running ``kam serve`` keeps answering whatever the CLI does.

On the embedded default the server owns the Chroma index (``index.lock`` in the data dir); CLI processes
started beside it write SQL and the outbox, and the server's background drain indexes their notes. Before,
a note stored by ``kam chat`` beside ``kam serve`` made every later search on the server an HTTP 500
("Error finding id"). With a Chroma server (the scale profile) every process indexes, as before.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from index_support import AS_OF, kam, search, serving, wait_until_found
from reliability_support import figure

from evals.fixtures import demo_csv_dir
from integrations.http.tokens import issue_token
from store.db import Database
from store.settings import Settings

WRITERS = [  # (user, note): each note holds one word no demo note has
    ("U03", "Met Martin (CFO) at Keystone today, he's worried about the zeppelin budget; I'll send the deck by Friday"),
    ("U02", "Met Dana (CFO) at Acme today, she asked about the quokka integration; I'll send the plan by Friday"),
    ("U04", "Met Robert (CFO) at Halcyon today, he raised the marmalade pricing; I'll send a quote by Friday"),
]
IMPORTED = {"I-OCELOT": "Call with Acme finance: the ocelot migration slipped a quarter.",
            "I-KUMQUAT": "Email from Acme IT about the kumquat sandbox access."}


def _extra_import(tmp_path: Path) -> Path:
    folder = tmp_path / "extra"
    folder.mkdir()
    rows = "".join(f'{i},A001,2026-11-20,call,U02,"{text}"\n' for i, text in IMPORTED.items())
    (folder / "interactions.csv").write_text("id,account_id,date,kind,author_id,text\n" + rows, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_kam_serve_keeps_answering_while_cli_processes_write(settings: Settings, tmp_path: Path) -> None:
    loaded = kam(settings, "import", str(demo_csv_dir()))
    assert loaded.returncode == 0, loaded.stderr
    assert "searchable now" in loaded.stdout, loaded.stdout  # kam import indexed what it wrote
    assert "INFO" not in loaded.stderr  # library logging stays off the CLI's stderr
    db = Database.from_settings(settings)
    token = issue_token(db, "U01")  # the manager: sees every account
    db.dispose()

    with serving(settings, tmp_path / "serve.log") as base, httpx.Client(base_url=base, timeout=60) as http:
        first = search(http, token, "budget")
        assert first.status_code == 200 and first.json()["hits"], first.text  # imported notes: searchable
        statuses: list[int] = []
        stop = threading.Event()

        def keep_searching() -> None:
            with httpx.Client(base_url=base, timeout=60) as own:
                while not stop.is_set():
                    statuses.append(search(own, token, "budget renewal").status_code)

        searcher = threading.Thread(target=keep_searching)
        searcher.start()
        try:
            with ThreadPoolExecutor(5) as pool:
                chats = [pool.submit(kam, settings, "chat", "--yes", "--as", user, "--as-of", AS_OF, note)
                         for user, note in WRITERS]
                imported = pool.submit(kam, settings, "import", str(_extra_import(tmp_path)))
                reindexed = pool.submit(kam, settings, "reindex")
                results = [f.result() for f in [*chats, imported, reindexed]]
        finally:
            stop.set()
            searcher.join()
        for done in results:
            assert done.returncode == 0, done.stdout + done.stderr
        assert all("Stored" in c.result().stdout for c in chats)

        words = ["zeppelin", "quokka", "marmalade", "ocelot", "kumquat"]
        waited = {w: wait_until_found(http, token, w, within_s=30) for w in words}
        after = [search(http, token, w).status_code for w in words]
        health = http.get("/healthz", headers={"Authorization": f"Bearer {token}"}).json()

    errors = [s for s in statuses + after if s != 200]
    figure(f"INDEX one data dir, kam serve + {len(WRITERS)} kam chat --yes + kam import + kam reindex at once "
           f"({settings.chroma_host and 'Chroma server' or 'embedded index'}): {len(statuses) + len(after)} searches "
           f"on the server, {len(errors)} errors; each new note found after "
           + ", ".join(f"{w} {s:.1f} s" if s is not None else f"{w} never" for w, s in waited.items()))
    assert errors == []
    assert all(s is not None for s in waited.values()), waited
    assert health["status"] == "ok" and health["index"]["pending_notes"] == 0, health
