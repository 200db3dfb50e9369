"""The blind eval's harness: its record comparison and its three runners on a tiny set written here (never the
blind set itself, which is measured by ``kam eval --blind`` and never tuned on)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals import blind_eval
from evals.blind_eval import gold_record, prf, proposal_record, same_record

_GOLD = {"account_id": "A001", "date": "2026-11-22", "kind": "meeting",
         "participants": [{"stakeholder_id": "S0001", "sentiment": -1}],
         "commitments": [{"side": "ours", "owner": "U02", "due": "2026-11-27", "description": "send the ROI deck"}],
         "changes": [], "questions": []}
_NOTE = "Met Dana (CFO) at Acme today, she's worried about budget; I'll send the ROI deck by Friday"


def _write(directory: Path, part: str, rows: list[dict]) -> None:
    (directory / f"{part}.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def test_records_compare_by_sign_side_and_due() -> None:
    both = [{"side": "theirs", "due": None}, {"side": "ours", "due": "2026-11-27"}]
    want = gold_record({**_GOLD, "commitments": both})
    proposal = {"account_id": "A001", "interaction_date": "2026-11-22",
                "participants": [{"stakeholder_id": "S0001", "sentiment": -2}],
                "commitments": [{"side": "customer", "due": None}, {"side": "ours", "due": "2026-11-27"}]}
    assert same_record(want, proposal_record(proposal))
    wrong_due = {**proposal, "commitments": [{"side": "customer", "due": None}, {"side": "ours", "due": "2026-11-28"}]}
    assert not same_record(want, proposal_record(wrong_due))
    figures = prf([(want.commitments, proposal_record(wrong_due).commitments)])
    assert (figures["tp"], figures["fp"], figures["fn"]) == (1, 1, 1)
    assert prf([(Counter(), Counter())])["f1"] == 1.0


def test_the_mood_breakdown_tells_people_missed_from_moods_misread() -> None:
    gold = Counter({("S0001", 1): 1, ("S0002", -1): 1, ("S0003", 0): 1})
    got = Counter({("S0001", 0): 1, ("S0002", -1): 1, ("S0009", 1): 1})
    found = blind_eval.mood_breakdown([(gold, got)])
    assert found["people"]["tp"] == 2 and found["people"]["fn"] == 1 and found["people"]["fp"] == 1
    assert (found["mood_right"], found["mood_of"]) == (1, 2)
    assert found["confusion"] == {"+1>+0": 1, "-1>-1": 1}
    assert "mood sign right for 1 of 2 found (gold>got: +1>+0 1)" in blind_eval.format_report(
        {"as_of": "2026-11-22", "notes": {"cases": 1, "understood": 1.0, "questions_asked": "0 of 0",
                                          **{stage: {"participants_sentiment": prf([(gold, got)]),
                                                     "commitments_side_due": prf([]), "breakdown": found}
                                             for stage in ("proposal", "stored")}}})


def test_load_names_the_bad_line(tmp_path: Path) -> None:
    (tmp_path / "notes.jsonl").write_text('{"id": "n1", "user": "U02"}\n{not json\n', encoding="utf-8")
    with pytest.raises(ValueError, match="notes.jsonl:2"):
        blind_eval.load("notes", tmp_path)


@pytest.mark.slow
def test_the_three_runners_score_right_and_wrong_cases(tmp_path: Path) -> None:
    _write(tmp_path, "requests", [
        {"id": "r1", "user": "U02", "message": "score Acme", "tool": "score_account", "args": {"account": "A001"}},
        {"id": "r2", "user": "U02", "message": "score Acme", "tool": "prep_qbr", "args": {"account": "A001"}},
    ])
    _write(tmp_path, "notes", [
        {"id": "n1", "user": "U02", "as_of": "2026-11-22", "text": _NOTE, "expect": "proposal", "gold": _GOLD},
        {"id": "n2", "user": "U02", "as_of": "2026-11-22", "text": _NOTE, "expect": "proposal",
         "gold": {**_GOLD, "commitments": [{"side": "ours", "owner": "U02", "due": "2026-12-01", "description": "x"}]}},
    ])
    _write(tmp_path, "threads", [
        {"id": "t1", "user": "U02", "turns": [{"message": _NOTE, "expect": "proposal"},
                                             {"message": "confirm", "expect": "stored"}],
         "final": {"stored": _GOLD}},
        {"id": "t2", "user": "U02", "turns": [{"message": _NOTE, "expect": "proposal"},
                                             {"message": "confirm", "expect": "cancelled"}],
         "final": {"stored": None}},
        # the other spelling of a thread's end: ``stored: true`` with the record under ``gold``; "tool" = an answer
        {"id": "t3", "user": "U02", "turns": [{"message": "score Acme", "expect": "tool"},
                                             {"message": _NOTE, "expect": "proposal"},
                                             {"message": "confirm", "expect": "stored"}],
         "final": {"stored": True, "gold": _GOLD}},
    ])
    result = blind_eval.run(directory=tmp_path)
    assert result["requests"]["tool_accuracy"] == 0.5
    assert [f["id"] for f in result["requests"]["failures"]] == ["r2"]
    notes = result["notes"]
    assert notes["understood"] == 1.0
    assert notes["stored"]["participants_sentiment"]["f1"] == 1.0
    assert notes["stored"]["commitments_side_due"]["tp"] == 1  # n1's; n2's due date is not what was stored
    assert [f["id"] for f in notes["failures"]] == ["n2"]
    assert result["threads"]["threads_right"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["threads"]["turns_right"] == pytest.approx(6 / 7, abs=1e-3)


def test_kam_eval_names_the_sets_it_knows_when_asked_for_another() -> None:
    from typer.testing import CliRunner

    from integrations.cli.main import app

    result = CliRunner().invoke(app, ["eval", "--set", "no-such-set"])
    assert result.exit_code == 2
    assert "no eval set 'no-such-set'" in result.output
    for name in ("wild", "wild2"):  # every folder under evals/ with a notes file is offered
        assert name in result.output.split("the sets are:")[1]
