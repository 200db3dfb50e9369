"""The notes outbox: a crash between the SQL commit and indexing is repaired on the next start; drift is
reported and repaired by ``reindex``; ``kam reindex`` prints the report."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import chromadb
import pytest
from conftest import env_for
from reliability_support import figure
from repo import ROOT
from sqlmodel import select
from typer.testing import CliRunner

from integrations.runtime import Runtime
from knowledge.embedder import WordLlamaEmbedder
from knowledge.index import Knowledge, _chroma_settings
from knowledge.outbox import drain, enqueue, index_all_interactions, pending_count, reindex, repair_on_start
from knowledge.records import NoteRecord
from store.db import Database
from store.models import Account, IndexOutbox, Interaction, Participant, Stakeholder, User
from store.settings import Settings
from tools.context import ToolContext
from tools.notes.search import search_notes

CHILD = textwrap.dedent(
    """
    import datetime as dt, os, signal, sys
    from knowledge.index import Knowledge
    from knowledge.outbox import drain, enqueue
    from store.db import Database, make_engine
    from store.models import Interaction, Participant
    from store.settings import Settings

    settings = Settings(env="test")
    db = Database(make_engine(settings))
    knowledge = Knowledge.from_settings(settings)

    # A first note goes the normal way: committed with its outbox row, then indexed.
    with db.write() as s:
        s.add(Interaction(id="i-before", account_id="A1", date=dt.date(2026, 3, 1), author_id="rep1",
                          text="Quarterly review went well; renewal on track."))
        enqueue(s, "i-before")
    drain(db, knowledge)

    # The second: committed, then the process dies before indexing it.
    with db.write() as s:
        s.add(Interaction(id="i-crash", account_id="A1", date=dt.date(2026, 3, 20), author_id="rep1",
                          text="Dana flagged that the Zephyr licence pricing needs board approval."))
        s.flush()
        s.add(Participant(interaction_id="i-crash", stakeholder_id="s1", sentiment=-1))
        enqueue(s, "i-crash")
    print("committed", flush=True)
    if os.environ.get("KAM_TEST_CRASH_AFTER_COMMIT") == "1":
        os.kill(os.getpid(), signal.SIGKILL)
    drain(db, knowledge)
    """
)


def _seed(db: Database) -> None:
    with db.write() as s:
        s.add(User(id="rep1", name="Riley Chen", role="rep"))
        s.flush()
        s.add(Account(id="A1", name="Acme Corp", owner_id="rep1"))
        s.flush()
        s.add(Stakeholder(id="s1", account_id="A1", name="Dana Reyes", title="CFO"))


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def test_killed_between_commit_and_indexing_is_repaired_on_start(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    _seed(db)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {
        **os.environ,
        **env_for(settings),
        "KAM_DATABASE_URL": _url(db),
        "KAM_TEST_CRASH_AFTER_COMMIT": "1",
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "committed" in proc.stdout

    # SQL has the note and its pending outbox row; the index does not have it yet.
    with db.session() as s:
        assert s.get(Interaction, "i-crash") is not None
    assert pending_count(db) == 1

    # "Restart": the runtime opens the index, which drains the outbox first.
    runtime = Runtime.build(settings.model_copy(update={"database_url": _url(db)}))
    try:
        knowledge = runtime.knowledge
        assert "i-crash" in knowledge.note_ids()
        assert pending_count(db) == 0
        with db.session() as s:
            ctx = ToolContext(session=s, as_of=dt.date(2026, 4, 1), user=s.get(User, "rep1"), knowledge=knowledge)
            result = search_notes(ctx, query="Zephyr licence pricing")
            assert [h.interaction_id for h in result.hits][:1] == ["i-crash"]
            assert result.hits[0].participants == ["Dana Reyes"]
            sql_count = len(s.exec(select(Interaction.id)).all())
        figure(f"RELIABILITY crash between SQL commit and index write {db.dialect}: repaired on start, index "
               f"{knowledge.note_count()} notes, SQL {sql_count} notes, {pending_count(db)} outbox rows pending")
        assert knowledge.note_count() == sql_count == 2
        assert repair_on_start(runtime.db, knowledge).rows_done == 0  # nothing left to repair
    finally:
        runtime.close()


def _knowledge(tmp_path: Path) -> Knowledge:
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=_chroma_settings())
    return Knowledge(client, WordLlamaEmbedder(), corpus=lambda: [])


def _add_notes(db: Database, *notes: tuple[str, str]) -> None:
    with db.write() as s:
        for iid, text in notes:
            s.add(Interaction(id=iid, account_id="A1", date=dt.date(2026, 2, 1), author_id="rep1", text=text))
            enqueue(s, iid)


def test_outbox_row_commits_and_rolls_back_with_the_note(db: Database, tmp_path: Path) -> None:
    _seed(db)
    with pytest.raises(RuntimeError), db.write() as s:
        s.add(Interaction(id="i-x", account_id="A1", date=dt.date(2026, 2, 1), text="never stored"))
        enqueue(s, "i-x")
        raise RuntimeError("the write failed after the outbox row was added")
    with db.session() as s:
        assert s.exec(select(IndexOutbox)).all() == [] and s.get(Interaction, "i-x") is None
    with pytest.raises(ValueError, match="upsert, delete"):
        enqueue(db.session(), "i-x", op="patch")


def test_drain_follows_sql_for_updates_and_deletes(db: Database, tmp_path: Path) -> None:
    _seed(db)
    k = _knowledge(tmp_path)
    _add_notes(db, ("i1", "Pricing call with Dana."), ("i2", "Security questionnaire sent."))
    assert drain(db, k).indexed == 2 and k.note_ids() == {"i1", "i2"}
    with db.write() as s:
        s.get(Interaction, "i1").text = "Dana accepted the revised pricing."
        s.add(Participant(interaction_id="i1", stakeholder_id="s1", sentiment=1))
        enqueue(s, "i1")
        s.delete(s.get(Interaction, "i2"))
        enqueue(s, "i2", op="delete")
    report = drain(db, k)
    assert (report.indexed, report.deleted, report.rows_done) == (1, 1, 2)
    assert k.note_ids() == {"i1"}
    hit = k.search_notes("revised pricing", ["A1"])[0]
    assert "revised" in hit.excerpt and hit.participants == ["Dana Reyes"]
    # An upsert queued for a note that no longer exists in SQL removes it from the index.
    with db.write() as s:
        s.delete(s.get(Participant, ("i1", "s1")))
        s.flush()
        s.delete(s.get(Interaction, "i1"))
        enqueue(s, "i1")
    assert drain(db, k).deleted == 1 and k.note_count() == 0


def test_reindex_reports_drift_then_repairs_it(db: Database, tmp_path: Path) -> None:
    _seed(db)
    k = _knowledge(tmp_path)
    _add_notes(db, ("i1", "Kickoff with finance."), ("i2", "Renewal risk discussed."), ("i3", "Pilot scoped."))
    assert index_all_interactions(db, k) == 3 and pending_count(db) == 0
    k.notes.delete(ids=["i2"])  # a vector lost by hand
    with db.write() as s:
        s.get(Interaction, "i3").text = "Pilot scoped for two plants."  # changed in SQL, never re-indexed
    k.upsert_notes([NoteRecord("ghost", "A1", dt.date(2026, 1, 1), "in the index only")])

    report = reindex(db, k, full=False, guidance=False)
    assert (report.missing, report.stale, report.orphans) == (["i2"], ["i3"], ["ghost"])
    assert (report.sql_notes, report.index_before, report.index_after, report.reindexed) == (3, 3, 3, 2)
    assert report.drifted and "missing from index:    1: i2" in report.as_text()
    assert k.note_ids() == {"i1", "i2", "i3"}

    again = reindex(db, k, guidance=False)  # full rebuild: no drift left
    assert not again.drifted and again.index_after == 3 and again.reindexed == 3
    assert "none (index matched SQL)" in again.as_text()


def test_kam_reindex_prints_the_report(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from integrations.cli.main import app  # every command module registered, as the `kam` script has it

    for key, value in env_for(settings).items():
        monkeypatch.setenv(key, value)
    db = Database.from_settings(settings)
    try:
        _seed(db)
        _add_notes(db, ("i1", "Kickoff with finance."), ("i2", "Renewal risk discussed."))
    finally:
        db.dispose()
    runner = CliRunner()
    result = runner.invoke(app, ["reindex", "--as-of", "2026-04-01", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sql_notes"] == 2 and report["missing"] == ["i1", "i2"] and report["index_after"] == 2
    assert report["pending_outbox"] == 2 and report["guidance_passages_written"] > 25
    text = runner.invoke(app, ["reindex"])
    assert text.exit_code == 0 and "drift: none" in text.output
    bad = runner.invoke(app, ["reindex", "--as-of", "yesterday"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
