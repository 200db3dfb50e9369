"""``kam demo`` end to end: the four SPEC 1 stories on the demo portfolio, with no keys and no network."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console

from integrations.demo_run import prepare_demo_dir, run_demo
from integrations.demo_stories import run_stories
from integrations.runtime import Runtime
from store.settings import Settings


def test_four_stories(tmp_path: Path) -> None:
    data_dir = prepare_demo_dir(tmp_path / "demo")
    runtime = Runtime.build(Settings(data_dir=data_dir))
    out = Console(record=True, width=140)
    try:
        as_of = dt.date(2026, 11, 22)
        run_demo(runtime, as_of, out)
        stories = run_stories(runtime, as_of, out)
    finally:
        runtime.close()
    qbr, note, drift, nudges = stories
    call = qbr.turns[0]["tool_calls"][0]
    assert call["name"] == "prep_qbr" and call["args"] == {"account": "A001"}
    assert "Evidence from call notes" in qbr.turns[0]["reply"] and "Dana Whitfield" in qbr.turns[0]["reply"]
    proposal, stored, listing = note.turns
    assert proposal["tool_calls"][0]["result"]["status"] == "pending"
    assert stored["tool_calls"][0]["name"] == "confirm_note" and stored["reply"].startswith("Stored")
    assert "Send the ROI deck" in listing["reply"]
    drifting = [a["id"] for a in drift.turns[0]["tool_calls"][0]["result"]["accounts"]]
    assert sorted(drifting) == ["A002", "A003", "A004"]
    assert {t["recipient"] for t in nudges.turns} >= {"U02", "U03", "U04", "U05"}
    text = out.export_text()
    for heading in ("1. A KAM preps a QBR", "2. A rep logs a meeting note", "3. A manager asks what is drifting",
                    "4. The nudges that would be sent today"):
        assert heading in text
