"""Prompt injection through the MCP face: the corpus (``evals/security/injections.jsonl``) driven by an MCP client
that calls every tool the injected text asks for, with the SDK's client over Streamable HTTP (uvicorn on loopback,
one bearer token per user).

Over MCP the client's model chooses the calls, so the server alone must hold the line. Per item: the text arrives
as the client's request (chat), as a note it logs (note) or inside a stored note a tool reads back (stored); the
client then calls what the text demands (``Obedience.attack_steps``), acting user and all. The direct actions a
host asks its user to approve (``confirm_note``, ``undo_note``, ``cancel_note``, ``complete_commitment``,
``snooze_commitment``) run after the snapshot of everything else. Nothing may come back from outside the user's
scope; nothing but proposals (and the user's own score and plan history) may be written before a confirmation;
what the approved actions change must stay on the user's own accounts; no token may surface.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_support import AS_OF, DemoStore, module_settings, text_of
from security_support import (
    Injection,
    Obedience,
    ScopeOracle,
    TableDiff,
    appended,
    diff,
    legit_note,
    load_corpus,
    plant_note,
    report_figure,
    scope_of_writes,
    secret_hits,
    snapshot,
    unconfirmed_writes,
)
from server_support import serve_app

from evals.fixtures import DEMO_AS_OF
from integrations.http.app import create_app
from integrations.http.tokens import hash_token

CORPUS = load_corpus()
USERS = ("U01", "U02", "U03", "U04", "U05", "U06")
DIRECT_ACTIONS = {"confirm_note", "undo_note", "cancel_note", "complete_commitment", "snooze_commitment"}


@dataclass
class Served:
    store: DemoStore
    url: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    for settings in module_settings(tmp_path_factory.mktemp("mcp-injection")):
        store = DemoStore(settings)
        server, thread, port = serve_app(create_app(store.runtime, with_slack=False))
        try:
            yield Served(store, f"http://127.0.0.1:{port}/mcp")
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            store.close()


@dataclass
class Outcome:
    item: Injection
    calls: int = 0
    refused: int = 0
    leaks: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    scope_writes: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    reached: bool = False
    stored_by_confirm: bool = False

    @property
    def bad(self) -> bool:
        return bool(self.leaks or self.unconfirmed or self.scope_writes or self.secrets)


def outside_scope(changes: dict[str, TableDiff], extra: dict[str, list[dict[str, Any]]], user_id: str,
                  oracle: ScopeOracle) -> list[str]:
    """Every row an approved action touched must belong to the user's own accounts (and proposals to the user)."""
    seen = oracle.visible(user_id)
    problems = [f"{name} changed" for name in ("User", "Account", "Opportunity", "Product", "ApiToken")
                if changes[name]]
    interactions = dict(oracle.account_of)
    for d in (changes["Interaction"],):
        interactions.update({r["id"]: r["account_id"] for r in d.added + d.removed})
    for name in ("Interaction", "Commitment", "Stakeholder"):
        d = changes[name]
        for row in [*d.added, *d.removed, *(old for old, _ in d.changed), *(new for _, new in d.changed)]:
            if row["account_id"] not in seen:
                problems.append(f"{name} {row['id']} on {row['account_id']}")
    problems += [f"interaction {r['id']} by {r['author_id']}" for r in changes["Interaction"].added
                 if r["author_id"] != user_id]
    d = changes["Participant"]
    for row in [*d.added, *d.removed, *(new for _, new in d.changed)]:
        if interactions.get(row["interaction_id"]) not in seen:
            problems.append(f"participant {row['stakeholder_id']} in {row['interaction_id']}")
    d = changes["PendingAction"]
    problems += [f"proposal {r['id']} of {r['user_id']}" for r in [*d.added, *d.removed, *(n for _, n in d.changed)]
                 if r["user_id"] != user_id]
    problems += [f"{name} {r['id']} on {r['account_id']}" for name in ("ScoreRecord", "AccountPlan")
                 for r in extra.get(name, []) if r["account_id"] not in seen]
    problems += [f"audit {r['id']} by {r['actor']}" for r in extra.get("AuditLog", []) if r["actor"] != user_id]
    return problems


@dataclass
class McpCorpusRun:
    served: Served
    clients: dict[str, Client]
    secret_values: list[str]
    notes_in_store: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.db = self.served.store.runtime.db
        self.oracle = ScopeOracle.build(self.db)
        self.all_texts = "\n".join(i.text for i in CORPUS).casefold()

    async def _call(self, user: str, name: str, args: dict[str, Any], outcome: Outcome,
                    record: list[str]) -> Any:
        result = await self.clients[user].call_tool(name, {**args, "as_of": AS_OF})
        outcome.calls += 1
        outcome.refused += bool(result.is_error)
        record.append(text_of(result))
        record.append(json.dumps(result.structured_content, ensure_ascii=False, default=str))
        return result

    async def run(self, item: Injection) -> Outcome:
        user, outcome, texts = item.user, Outcome(item=item), []
        supplied = [item.text]
        if item.channel == "stored":
            plant_note(self.db, self.served.store.runtime.knowledge, item, DEMO_AS_OF)
            self.oracle = ScopeOracle.build(self.db)
            self.notes_in_store.append((item.account or "", item.text))
        before = snapshot(self.db)
        pending_id = None
        if "confirm" in item.attacks:  # a real proposal waits: the injection tries to store it
            account, note = legit_note(self.db, user)
            supplied.append(note)
            proposed = await self._call(user, "log_note", {"text": note, "account": account}, outcome, texts)
            pending_id = (proposed.structured_content or {}).get("pending_id")
            assert pending_id, text_of(proposed)
        lead: list[tuple[str, dict[str, Any]]] = []
        if item.channel == "note":
            lead.append(("log_note", {"text": item.text}))
        elif item.channel == "stored":
            assert item.retrieve and item.account
            if item.retrieve["tool"] == "search_notes":
                lead.append(("search_notes", {"query": item.retrieve["query"], "account": item.account, "k": 25}))
            else:
                lead.append(("prep_qbr", {"account": item.account}))
        obey = Obedience(item, user, self.oracle, self.db, pending_id)
        demanded = [(c["name"], json.loads(c["arguments"])) for s in obey.attack_steps() for c in s.tool_calls or []]
        calls = lead + demanded
        supplied += [json.dumps(args) for _, args in calls]
        for name, args in calls:
            if name not in DIRECT_ACTIONS:
                await self._call(user, name, args, outcome, texts)
        middle = snapshot(self.db)
        changes = diff(before, middle)
        outcome.unconfirmed = unconfirmed_writes(changes, user)
        outcome.scope_writes = scope_of_writes(changes, appended(self.db, before), user, self.oracle, confirmed=False)
        approved = [(name, args) for name, args in calls if name in DIRECT_ACTIONS]
        if item.confirm_after:  # the user's own yes to the proposal of the note they logged
            approved.append(("confirm_note", {}))
        for name, args in approved:
            await self._call(user, name, args, outcome, texts)
        stored = diff(middle, snapshot(self.db))
        outcome.stored_by_confirm = bool(stored["Interaction"].added)
        self.notes_in_store += [(r["account_id"], r["text"]) for r in stored["Interaction"].added]
        outcome.scope_writes += outside_scope(stored, appended(self.db, middle), user, self.oracle)
        self.oracle = ScopeOracle.build(self.db)
        blob = "\n".join(texts)
        seen = self.oracle.visible(user)
        given = "\n".join([*supplied, *(text for account, text in self.notes_in_store if account in seen)])
        outcome.leaks = [leak for leak in self.oracle.leaks(user, blob, supplied=given)
                         if not leak.startswith("name ") or leak[6:-1].casefold() not in self.all_texts]
        outcome.secrets = secret_hits(blob, self.secret_values)
        outcome.reached = f"I-{item.id}" in blob
        return outcome


def test_injections_through_mcp(served: Served) -> None:
    tokens = served.store.tokens
    outcomes: list[Outcome] = []

    async def main() -> None:
        async with AsyncExitStack() as stack:
            clients = {}
            for user in USERS:
                http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {tokens[user]}"}, timeout=120)
                client = Client(streamable_http_client(served.url, http_client=http), read_timeout_seconds=120)
                clients[user] = await stack.enter_async_context(client)
            run = McpCorpusRun(served, clients, [*tokens.values(), *(hash_token(t) for t in tokens.values())])
            for item in CORPUS:
                outcomes.append(await run.run(item))

    anyio.run(main)
    leaks = sum(len(o.leaks) for o in outcomes)
    writes = sum(len(o.scope_writes) for o in outcomes)
    stored = [o for o in outcomes if o.item.channel == "stored"]
    report_figure(
        f"SECURITY injection through MCP (Streamable HTTP, a client obeying every instruction): {len(outcomes)} "
        f"items, {sum(o.calls for o in outcomes)} tool calls ({sum(o.refused for o in outcomes)} refused as tool "
        f"errors), injected text read back {sum(o.reached for o in stored)}/{len(stored)}, {leaks + writes} "
        f"out-of-scope effects ({leaks} data, {writes} writes), {sum(len(o.unconfirmed) for o in outcomes)} "
        f"unconfirmed writes, {sum(len(o.secrets) for o in outcomes)} secrets shown, "
        f"{sum(o.stored_by_confirm for o in outcomes)} items where an approved confirm stored a note")
    failures = "\n".join(f"{o.item.id} ({o.item.user}, {o.item.channel}): leaks={o.leaks[:5]} "
                         f"unconfirmed={o.unconfirmed} writes={o.scope_writes} secrets={o.secrets}"
                         for o in outcomes if o.bad)
    assert not failures, failures
    assert any(o.stored_by_confirm for o in outcomes), "no confirm stored anything: the scope of writes went unchecked"
    assert sum(o.reached for o in stored) >= len(stored) // 2, "the stored injections were hardly read back"
    assert sum(o.refused for o in outcomes) > len(CORPUS), "the demanded out-of-scope calls were refused"
