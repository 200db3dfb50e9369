"""What the MCP tests share: a demo store per test module (SQLite and embedded Chroma, or with
``KAM_TEST_PROFILE=scale`` a PostgreSQL schema and a Chroma server prefix), the environment of a child ``kam``
process, and one scenario run through the SDK's own client over any transport: the tools and their schemas, every
read tool against the HTTP API's JSON, "prep my QBR for Acme", the scope rules, a note proposed, confirmed twice
and undone, tool errors, resources and prompts."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMA_HOST, CHROMA_PORT, PG_URL, SCALE, _drop_collections, _pg_schema_url
from fastapi.testclient import TestClient
from mcp import Client
from mcp.shared.exceptions import MCPError
from security_support import demo_runtime, legit_note
from sqlalchemy import create_engine, text
from sqlmodel import func, select

from evals.fixtures import DEMO_AS_OF
from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from knowledge.corpus import load_guidance
from store.models import Interaction
from store.settings import Settings
from tools.registry import all_tools

AS_OF = DEMO_AS_OF.isoformat()
USER = "U02"  # Sam Patel (kam): Acme Corp (A001) is his; Halcyon Retail Group (A002) is Maria's
OTHERS_ACCOUNT, OTHERS_NAME, MISSING = "A002", "Halcyon Retail Group", "A999"
_RANKED = {"ask_guidance", "search_notes"}
READ_CALLS: dict[str, dict[str, Any]] = {
    "account_overview": {"account": "Acme"},
    "ask_guidance": {"question": "how do I prepare a QBR?"},
    "find_drifting_accounts": {"scope": "mine"},
    "flag_dark_stakeholders": {"account": "Acme"},
    "list_commitments": {"scope": "mine", "status": "open"},
    "prep_qbr": {"account": "Acme"},
    "search_notes": {"query": "renewal pricing", "k": 3},
    "show_matrix": {"scope": "mine"},
}


def module_settings(base: Path) -> Iterator[Settings]:
    """Settings of a module's store: SQLite in ``base``, or a fresh PostgreSQL schema and Chroma prefix."""
    settings = Settings(data_dir=base / "data", env="test", database_url=None)
    if not SCALE:
        yield settings
        return
    if not (PG_URL and CHROMA_HOST):
        pytest.fail("KAM_TEST_PROFILE=scale needs KAM_TEST_DATABASE_URL and KAM_TEST_CHROMA_HOST")
    schema, prefix = f"t_{uuid.uuid4().hex[:12]}", f"t{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield settings.model_copy(update={"database_url": _pg_schema_url(schema), "chroma_host": CHROMA_HOST,
                                          "chroma_port": CHROMA_PORT, "chroma_prefix": prefix})
    finally:
        _drop_collections(prefix)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def child_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a ``kam`` child process on ``settings``' store (no developer KAM_* variables)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env.update({"KAM_DATA_DIR": str(settings.data_dir), "ANONYMIZED_TELEMETRY": "False", **extra})
    if settings.database_url:
        env["KAM_DATABASE_URL"] = settings.database_url
    if settings.chroma_host:
        env.update({"KAM_CHROMA_HOST": settings.chroma_host, "KAM_CHROMA_PORT": str(settings.chroma_port),
                    "KAM_CHROMA_PREFIX": settings.chroma_prefix})
    return env


class DemoStore:
    """The demo portfolio imported and indexed, with the HTTP API (in process) to compare tool JSON against."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.runtime: Runtime = demo_runtime(settings)
        self.tokens = {uid: issue_token(self.runtime.db, uid) for uid in ("U01", "U02", "U03", "U04", "U05", "U06")}
        self.api = TestClient(create_app(self.runtime, with_slack=False))
        # What each read tool answers over HTTP, taken before any server process starts: on the embedded index
        # one process at a time owns it, and the servers under test must be that process (kam serve, kam mcp).
        self.reads = {name: self.http_json(USER, name, args) for name, args in READ_CALLS.items()}
        self.runtime.release_index()

    def http_json(self, user_id: str, name: str, args: dict[str, Any]) -> Any:
        response = self.api.post(f"/v1/tools/{name}", json={"args": args, "as_of": AS_OF},
                                 headers={"Authorization": f"Bearer {self.tokens[user_id]}"})
        assert response.status_code == 200, response.text
        return response.json()

    def interactions(self, account_id: str) -> int:
        with self.runtime.db.session() as s:
            return s.exec(select(func.count()).select_from(Interaction)
                          .where(Interaction.account_id == account_id)).one()

    def close(self) -> None:
        self.api.close()
        self.runtime.close()


async def call(client: Client, name: str, args: dict[str, Any]) -> Any:
    """Call ``name`` on the demo day."""
    return await client.call_tool(name, {**args, "as_of": AS_OF})


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if c.type == "text")


async def check_tools_listed(client: Client) -> None:
    listed = {t.name: t for t in (await client.list_tools()).tools}
    specs = all_tools()
    assert set(listed) == set(specs), sorted(set(listed) ^ set(specs))
    for name, spec in specs.items():
        tool = listed[name]
        schema = dict(tool.input_schema)
        assert schema["properties"].pop("as_of")["format"] == "date"
        assert schema["properties"] == spec.json_schema()["properties"], name
        assert set(schema.get("required", [])) == set(spec.json_schema().get("required", [])), name
        assert tool.output_schema and tool.output_schema["type"] == "object", name
        assert tool.description and len(tool.description) > 40, name
        assert tool.annotations and tool.annotations.title and tool.title, name
        assert tool.annotations.read_only_hint is (not spec.writes), name
        assert tool.annotations.open_world_hint is False, name
    assert listed["undo_note"].annotations.destructive_hint is True
    assert listed["confirm_note"].annotations.idempotent_hint is True
    assert listed["log_note"].annotations.destructive_hint is False
    assert "pending_id" in listed["log_note"].description and "confirm_note" in listed["log_note"].description


async def check_read_tools(client: Client, store: DemoStore) -> None:
    """Every read tool answers with the HTTP API's JSON as structured content and its markdown as text."""
    assert set(READ_CALLS) == {n for n, s in all_tools().items() if not s.writes}
    for name, args in READ_CALLS.items():
        result = await call(client, name, args)
        assert not result.is_error, (name, text_of(result))
        if name in _RANKED:  # ranked by the notes index: the same answer in shape, its order may vary by worker
            assert set(result.structured_content) == set(store.reads[name]), name
        else:
            assert result.structured_content == store.reads[name], name
        assert text_of(result).strip(), name


async def check_qbr(client: Client) -> None:
    """"Prep my QBR for Acme": prep_qbr with structured content and the brief as text."""
    result = await call(client, "prep_qbr", {"account": "Acme"})
    assert not result.is_error, text_of(result)
    brief = result.structured_content
    assert (brief["account_id"], brief["account_name"], brief["as_of"]) == ("A001", "Acme Corp", AS_OF)
    assert brief["sections"] and brief["markdown"] == text_of(result)
    assert "Acme Corp" in text_of(result)


async def check_scope(client: Client) -> None:
    """Another rep's account answers exactly like a missing one, for tools and resources; no acting user in args."""
    for name in ("prep_qbr", "score_account", "flag_dark_stakeholders", "draft_plan"):
        theirs = await call(client, name, {"account": OTHERS_ACCOUNT})
        missing = await call(client, name, {"account": MISSING})
        assert theirs.is_error and missing.is_error, name
        assert text_of(theirs).replace(OTHERS_ACCOUNT, "X") == text_of(missing).replace(MISSING, "X"), name
        assert theirs.structured_content["code"] == missing.structured_content["code"] == "not_found", name
    by_name = await call(client, "prep_qbr", {"account": OTHERS_NAME})
    assert by_name.is_error and by_name.structured_content["code"] == "not_found", text_of(by_name)
    matrix = await call(client, "show_matrix", {"scope": "all"})
    assert not matrix.is_error and OTHERS_NAME not in text_of(matrix) and OTHERS_ACCOUNT not in text_of(matrix)
    acting = await call(client, "show_matrix", {"scope": "all", "user_id": "U06"})
    assert acting.is_error and "user_id" in text_of(acting), text_of(acting)
    uris = {str(r.uri) for r in (await client.list_resources()).resources}
    assert "kam://accounts/A001" in uris and f"kam://accounts/{OTHERS_ACCOUNT}" not in uris
    errors = []
    for account in (OTHERS_ACCOUNT, MISSING):
        with pytest.raises(MCPError) as raised:
            await client.read_resource(f"kam://accounts/{account}")
        errors.append(raised.value.message.replace(account, "X"))
    assert errors[0] == errors[1], errors


async def check_note_flow(client: Client, store: DemoStore) -> None:
    """log_note proposes (nothing stored), confirm_note stores once, again changes nothing, undo_note reverses."""
    account, note = legit_note(store.runtime.db, USER)
    before = store.interactions(account)
    proposed = await call(client, "log_note", {"text": note})
    assert not proposed.is_error, text_of(proposed)
    pending_id = proposed.structured_content["pending_id"]
    assert proposed.structured_content["status"] == "pending" and pending_id
    assert store.interactions(account) == before, "log_note stored something before the confirmation"
    stored = await call(client, "confirm_note", {"pending_id": pending_id})
    assert not stored.is_error and stored.structured_content["changed"] is True, text_of(stored)
    assert store.interactions(account) == before + 1
    again = await call(client, "confirm_note", {"pending_id": pending_id})
    assert not again.is_error and again.structured_content["changed"] is False, text_of(again)
    assert again.structured_content["interaction_id"] == stored.structured_content["interaction_id"]
    assert store.interactions(account) == before + 1, "confirming twice stored twice"
    undone = await call(client, "undo_note", {"pending_id": pending_id})
    assert not undone.is_error and undone.structured_content["changed"] is True, text_of(undone)
    assert store.interactions(account) == before


async def check_errors(client: Client) -> None:
    """Tool errors are MCP tool errors (isError) with the tool's message and suggestions."""
    typo = await call(client, "prep_qbr", {"account": "Acmee"})
    assert typo.is_error and "Acme Corp" in " ".join(typo.structured_content["suggestions"]), text_of(typo)
    assert typo.structured_content["error"] in text_of(typo)
    unknown = await client.call_tool("no_such_tool", {})
    assert unknown.is_error and "no tool named" in text_of(unknown)
    bad_day = await client.call_tool("show_matrix", {"as_of": "22/11/2026"})
    assert bad_day.is_error and "YYYY-MM-DD" in text_of(bad_day)


async def check_resources_and_prompts(client: Client) -> None:
    sections = load_guidance()
    listed = {str(r.uri) for r in (await client.list_resources()).resources}
    assert {f"kam://guidance/{s.id}" for s in sections} <= listed
    section = await client.read_resource(f"kam://guidance/{sections[0].id}")
    assert sections[0].text.strip()[:60] in section.contents[0].text
    brief = await client.read_resource("kam://accounts/A001")
    assert "Acme Corp" in brief.contents[0].text and "Sam Patel" in brief.contents[0].text
    templates = {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
    assert templates == {"kam://guidance/{section}", "kam://accounts/{id}"}
    prompts = {p.name for p in (await client.list_prompts()).prompts}
    assert prompts == {"qbr_prep", "weekly_pipeline_review", "log_meeting"}
    qbr = await client.get_prompt("qbr_prep", {"account": "Acme"})
    assert "Acme" in qbr.messages[0].content.text and "prep_qbr" in qbr.messages[0].content.text
    with pytest.raises(MCPError):
        await client.get_prompt("qbr_prep", {})


async def scenario(client: Client, store: DemoStore) -> None:
    """Everything a client of either transport must see, in one session."""
    await check_tools_listed(client)
    await check_read_tools(client, store)
    await check_qbr(client)
    await check_scope(client)
    await check_note_flow(client, store)
    await check_errors(client)
    await check_resources_and_prompts(client)
