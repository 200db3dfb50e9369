"""The rules file's quadrant labels (``[labels.quadrants]``) are the words of every answer the process gives, in
the terminal, in Slack and over HTTP; the JSON values stay the SPEC's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from agent_seed import AS_OF, seed

from integrations.runtime import Runtime
from store.models import User
from store.settings import Settings
from tools.compute.quadrants import QUADRANT_LABELS, SPEC_LABELS
from tools.drift import find_drifting_accounts
from tools.matrix import show_matrix
from tools.qbr import prep_qbr
from tools.runner import run_tool
from tools.scoring import score_account

TEAM_WORDS = {"strategic_growth": "Strategic", "develop": "Star", "defend": "Status", "maintain_exit": "Streamline"}


@pytest.fixture
def team_runtime(tmp_path: Path) -> Iterator[Runtime]:
    rules = tmp_path / "rules.toml"
    rules.write_text("[labels.quadrants]\n" + "".join(f'{q} = "{w}"\n' for q, w in TEAM_WORDS.items()),
                     encoding="utf-8")
    runtime = Runtime.build(Settings(data_dir=tmp_path / "data", env="test", rules_file=rules))
    seed(runtime.db)
    yield runtime
    runtime.close()


def test_every_answer_speaks_the_teams_words(team_runtime: Runtime) -> None:
    texts: list[str] = []
    values: set[str] = set()
    asks = ((score_account, {"account": "Acme"}, "U02"), (show_matrix, {"scope": "team"}, "U01"),
            (prep_qbr, {"account": "Acme"}, "U02"), (find_drifting_accounts, {"scope": "team"}, "U01"))
    for tool, args, user in asks:
        call = run_tool(team_runtime, user, tool, args, as_of=AS_OF)
        assert call.ok, call.error
        texts.append(call.result.as_markdown())  # type: ignore[union-attr]
        values.add(json.dumps(call.result.as_json()))  # type: ignore[union-attr]
    text = "\n".join(texts)
    assert "Strategic Growth" not in text and "Maintain/Exit" not in text
    assert "Strategic" in text
    assert '"strategic_growth"' in "".join(values) and "Strategic Growth" not in "".join(values).replace(
        "strategic_growth", "")
    with team_runtime.db.session() as session:
        priya = session.get(User, "U02")
    reply = team_runtime.agent().turn(priya, "score Acme", as_of=AS_OF).reply  # type: ignore[arg-type]
    assert "Strategic Growth" not in reply and "Strategic" in reply  # the agent's reply too


def test_closing_the_runtime_brings_back_the_specs_words(tmp_path: Path, team_runtime: Runtime) -> None:
    assert QUADRANT_LABELS["strategic_growth"] == "Strategic"
    team_runtime.close()
    assert QUADRANT_LABELS == SPEC_LABELS
    plain = Runtime.build(Settings(data_dir=tmp_path / "plain", env="test"))
    try:
        assert QUADRANT_LABELS == SPEC_LABELS
    finally:
        plain.close()
