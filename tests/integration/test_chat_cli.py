"""``kam chat`` as a person uses it: rendered markdown on a terminal (a real pseudo-terminal), plain markdown when
piped, ``--json`` unchanged, ``--as`` by a name, and a message over the size limit answered with a notice."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from agent_seed import AS_OF, seed
from conftest import env_for
from repo import ROOT
from rich.console import Console
from typer.testing import CliRunner

import integrations.cli.main  # noqa: F401  (registers every command)
from agent.chat import MAX_MESSAGE_CHARS
from integrations.cli.app import app
from integrations.cli.cmd_chat import show_reply
from integrations.runtime import Runtime
from store.db import Database
from store.models import User
from store.settings import Settings

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
runner = CliRunner()


@pytest.fixture
def store(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    for key, value in env_for(settings).items():
        monkeypatch.setenv(key, value)
    db = Database.from_settings(settings)
    seed(db)
    db.dispose()
    yield settings


def _on_a_terminal(settings: Settings, *args: str) -> tuple[int, str]:
    """Run ``kam`` with its stdout on a pseudo-terminal, as a person at a terminal would."""
    leader, follower = pty.openpty()
    env = {**os.environ, **env_for(settings), "TERM": "xterm-256color", "COLUMNS": "120",
           "PYTHONPATH": str(ROOT)}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "integrations.cli.main", *args], stdout=follower,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert proc.wait(timeout=120) == 0, proc.stderr.read().decode() if proc.stderr else ""
    return proc.returncode, out.decode("utf-8", "replace")


def test_a_terminal_gets_rendered_markdown(store: Settings) -> None:
    _, raw = _on_a_terminal(store, "chat", "--as", "U02", "--as-of", AS_OF.isoformat(), "score Acme")
    text = ANSI.sub("", raw)
    assert ANSI.search(raw)  # styled: bold, colours
    assert "Acme Corp" in text and "Strategic Growth" in text
    assert not re.search(r"^\s*#{1,3} ", text, re.MULTILINE)  # no raw heading marks
    assert "**" not in text and "| --- |" not in text  # no raw bold, no raw table rule
    assert "─" in text  # the criteria table drawn as a table


def test_piped_output_is_the_markdown_text(store: Settings) -> None:
    result = runner.invoke(app, ["chat", "--as", "U02", "--as-of", AS_OF.isoformat(), "score Acme"])
    assert result.exit_code == 0, result.stderr
    assert "## Acme Corp (A001)" in result.stdout and "| --- |" in result.stdout
    assert not ANSI.search(result.stdout)


def test_json_is_unchanged(store: Settings) -> None:
    result = runner.invoke(app, ["chat", "--as", "U02", "--as-of", AS_OF.isoformat(), "--json", "score Acme"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"thread_id", "reply", "tool_calls"} and data["reply"].count("## Acme Corp") == 1
    assert data["tool_calls"][0]["name"] == "score_account"


def test_show_reply_renders_only_for_a_terminal() -> None:
    reply = "## Heading\n\n**bold** text\n\n| a | b |\n| --- | --- |\n| 1 | 2 |"
    terminal = Console(file=io.StringIO(), force_terminal=True, width=80)
    show_reply(reply, terminal)
    shown = ANSI.sub("", terminal.file.getvalue())  # type: ignore[attr-defined]
    assert "Heading" in shown and "##" not in shown and "**" not in shown and "| --- |" not in shown
    piped = Console(file=io.StringIO(), force_terminal=False, width=80)
    assert not piped.is_terminal


@pytest.mark.parametrize("name", ["sam", "Sam Ortiz", "SAM ORTIZ", "ortiz", "U03", "u03"])
def test_as_takes_a_name(store: Settings, name: str) -> None:
    result = runner.invoke(app, ["chat", "--as", name, "--as-of", AS_OF.isoformat(), "--json", "show my matrix"])
    assert result.exit_code == 0, result.stderr
    matrix = json.loads(result.stdout)["tool_calls"][0]["result"]
    assert {a["id"] for a in matrix["accounts"]} == {"A003"}  # Sam Ortiz's own book


def test_as_with_a_name_two_people_share_names_both(store: Settings) -> None:
    db = Database.from_settings(store)
    with db.write() as s:
        s.add(User(id="U77", name="Sam Fischer", role="kam", manager_id="U01"))
    db.dispose()
    result = runner.invoke(app, ["chat", "--as", "sam", "show my matrix"])
    assert result.exit_code == 2
    assert "U03 (Sam Ortiz)" in result.stderr and "U77 (Sam Fischer)" in result.stderr


def test_a_message_over_the_limit_gets_a_notice_not_a_silent_cut(settings: Settings) -> None:
    runtime = Runtime.build(settings)
    try:
        seed(runtime.db)
        with runtime.db.session() as s:
            user = s.get(User, "U02")
        message = "score Acme. " + "More context about the account. " * (MAX_MESSAGE_CHARS // 30)
        assert len(message) > MAX_MESSAGE_CHARS
        response = runtime.agent().turn(user, message, as_of=AS_OF)  # type: ignore[arg-type]
    finally:
        runtime.close()
    first = response.reply.split("\n\n", 1)[0]
    assert f"Your message was {len(message.strip()):,} characters" in first
    assert f"I read the first {MAX_MESSAGE_CHARS:,}" in first and "Send the rest in another message" in first
    assert response.tool_calls and response.tool_calls[0].name == "score_account"  # the part read was answered
