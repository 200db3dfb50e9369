"""Cross-user access over the SQL and vector paths, on the demo portfolio.

Every demo user probes every other user's accounts with every account-taking tool (directly and over HTTP),
their commitments and their pending notes: what they may not see must answer exactly as a missing one does.
Notes search is probed with other reps' account names, people and note phrases (tool, index with the vector
path alone, evidence for briefs): no hit from outside the caller's scope. Scope is checked against the
independent SPEC 9 oracle of ``security_support``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from security_support import ScopeOracle, appended, demo_runtime, diff, report_figure, snapshot
from sqlalchemy import update
from sqlmodel import col, select

from evals.fixtures import DEMO_AS_OF
from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from store.models import Account, Commitment, Interaction, Stakeholder, User
from store.settings import Settings
from tools.errors import ToolError
from tools.notes.extract import OfflineExtractor
from tools.notes.search import find_note_evidence
from tools.registry import call_tool

USERS = ("U01", "U02", "U03", "U04", "U05", "U06")
MISSING_ID, MISSING_NAME = "A999", "Quillon Varnish Works"
# Every tool that takes an account, with the arguments of a probe naming ``ref``.
ACCOUNT_TOOLS: dict[str, Any] = {
    "score_account": lambda ref: {"account": ref},
    "assign_quadrant": lambda ref: {"account": ref},
    "draft_plan": lambda ref: {"account": ref},
    "flag_dark_stakeholders": lambda ref: {"account": ref},
    "prep_qbr": lambda ref: {"account": ref},
    "search_notes": lambda ref: {"query": "pricing budget renewal", "account": ref},
    "log_note": lambda ref: {"text": "Met the CFO today; she is worried about the renewal.", "account": ref},
}
HTTP_TOOLS = ("score_account", "prep_qbr", "draft_plan", "search_notes", "flag_dark_stakeholders")


@pytest.fixture
def demo(settings: Settings) -> Iterator[tuple[dt.date, Runtime]]:
    runtime = demo_runtime(settings)
    yield DEMO_AS_OF, runtime
    runtime.close()


@dataclass
class Tally:
    probes: int = 0
    leaks: list[str] = field(default_factory=list)
    controls: int = 0

    def leak(self, what: str) -> None:
        self.leaks.append(what)


def _user(runtime: Runtime, uid: str) -> User:
    with runtime.db.session() as s:
        user = s.get(User, uid)
    assert user is not None
    return user


def _call(runtime: Runtime, user: User, as_of: dt.date, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """The tool's JSON, or its error as ``{"error", "code", "suggestions"}``; a failed call rolls back."""
    try:
        with runtime.db.write() as s:
            ctx = replace(runtime.context(s, s.get(User, user.id) or user, as_of, thread_id=f"probe:{user.id}"),
                          extractor=OfflineExtractor())
            return call_tool(ctx, name, args).as_json()
    except ToolError as exc:
        return exc.as_dict()


def _shape(message: str, ref: str) -> str:
    """An error message with the reference and the suggestions taken out: what must not differ."""
    text = " ".join(ref.split())
    return message.split("; did you mean")[0].replace(repr(text), "<ref>").replace(repr(ref), "<ref>")


def _answer(result: dict[str, Any]) -> tuple[str, str]:
    """(code, message) of a not-found answer: a tool error, or log_note's question."""
    if "error" in result:
        return str(result.get("code")), str(result["error"])
    questions = result.get("questions") or [""]
    return f"question:{result.get('status')}", str(questions[0])


def _visible_names(oracle: ScopeOracle, uid: str) -> set[str]:
    return {oracle.account_names[a] for a in oracle.visible(uid)} | set(oracle.visible(uid))


def _pending_ids(runtime: Runtime, as_of: dt.date) -> dict[str, str]:
    """One note proposal waiting for each user who owns an account (logged through the tool)."""
    out = {}
    with runtime.db.session() as s:
        owned = {a.owner_id: a for a in s.exec(select(Account).order_by(Account.id)).all()}
        people = {p.account_id: p for p in s.exec(select(Stakeholder).order_by(col(Stakeholder.id).desc())).all()}
    for uid, account in owned.items():
        person = people[account.id]
        result = _call(runtime, _user(runtime, uid), as_of, "log_note",
                       {"text": f"Met {person.name} at {account.name} today; all good.", "account": account.id})
        assert result.get("status") == "pending", result
        out[uid] = result["pending_id"]
    return out


def test_other_users_accounts_commitments_and_notes_answer_like_missing_ones(demo: tuple[dt.date, Runtime]) -> None:
    as_of, runtime = demo
    oracle = ScopeOracle.build(runtime.db)
    pending = _pending_ids(runtime, as_of)
    with runtime.db.session() as s:
        commitments = {c.id: c.account_id for c in s.exec(select(Commitment)).all()}
    tally = Tally()
    client = TestClient(create_app(runtime, with_slack=False))
    headers = {uid: {"Authorization": f"Bearer {issue_token(runtime.db, uid)}"} for uid in USERS}
    before = snapshot(runtime.db)
    pairs = 0
    for a in USERS:
        user = _user(runtime, a)
        seen = oracle.visible(a)
        allowed = _visible_names(oracle, a)
        missing: dict[tuple[str, str], tuple[str, str]] = {}
        for tool, make in ACCOUNT_TOOLS.items():
            for kind, ref in (("id", MISSING_ID), ("name", MISSING_NAME)):
                code, message = _answer(_call(runtime, user, as_of, tool, make(ref)))
                missing[(tool, kind)] = (code, _shape(message, ref))
        for b in USERS:
            if b == a:
                continue
            theirs = sorted(x for x, owner in oracle.owners.items() if owner == b)
            if not theirs:
                continue  # b owns no account (the admin): nothing of theirs to probe
            pairs += 1
            hidden = [x for x in theirs if x not in seen]
            if not hidden:  # a manager's report, or the admin: a control that the probe does reach the data
                result = _call(runtime, user, as_of, "assign_quadrant", {"account": oracle.account_names[theirs[0]]})
                assert result.get("account_id") == theirs[0], result
                tally.controls += 1
                continue
            for x in hidden:
                name = oracle.account_names[x]
                for tool, make in ACCOUNT_TOOLS.items():
                    for kind, ref in (("id", x), ("name", name), ("name", name.upper())):
                        result = _call(runtime, user, as_of, tool, make(ref))
                        tally.probes += 1
                        code, message = _answer(result)
                        if (code, _shape(message, ref)) != missing[(tool, kind)]:
                            tally.leak(f"{a} {tool}({ref!r}): {code} {message!r} != {missing[(tool, kind)]}")
                        if any(s not in allowed for s in result.get("suggestions") or []):
                            tally.leak(f"{a} {tool}({ref!r}) suggests {result['suggestions']}")
                        if leaks := oracle.leaks(a, json.dumps(result), supplied=ref):
                            tally.leak(f"{a} {tool}({ref!r}) shows {leaks}")
                _http_account_probes(client, headers[a], a, x, name, oracle, tally, as_of)
            for cid in sorted(c for c, acc in commitments.items() if acc in hidden)[:4]:
                for path in (f"/v1/commitments/{cid}/done", f"/v1/commitments/{cid}/snooze"):
                    _same_404(client.post(path, headers=headers[a], params={"as_of": as_of.isoformat()}),
                              client.post(path.replace(cid, "C9999"), headers=headers[a],
                                          params={"as_of": as_of.isoformat()}), cid, "C9999", a, tally)
            if b in pending:  # b's note proposal: a cannot confirm, undo or cancel it
                for tool in ("confirm_note", "undo_note", "cancel_note"):
                    mine = client.post(f"/v1/tools/{tool}", headers=headers[a],
                                       json={"args": {"pending_id": pending[b]}, "as_of": as_of.isoformat()})
                    gone = client.post(f"/v1/tools/{tool}", headers=headers[a],
                                       json={"args": {"pending_id": "P-000000000000"}, "as_of": as_of.isoformat()})
                    _same_404(mine, gone, pending[b], "P-000000000000", a, tally)
        for path in ("/v1/accounts?scope=all", "/v1/accounts?scope=team", "/v1/matrix?scope=all",
                     "/v1/matrix?scope=team", "/v1/drifting?scope=all", "/v1/commitments?scope=all&status=open",
                     "/v1/commitments?scope=team&status=overdue"):
            response = client.get(f"{path}&as_of={as_of.isoformat()}", headers=headers[a])
            tally.probes += 1
            if response.status_code != 200:
                tally.leak(f"{a} GET {path}: {response.status_code}")
            if leaks := oracle.leaks(a, response.text):
                tally.leak(f"{a} GET {path} shows {leaks[:5]}")
            listed = {r["id"] for r in response.json().get("accounts", [])}
            if path.startswith("/v1/accounts?scope=all") and listed != set(seen):
                tally.leak(f"{a} GET {path}: {sorted(listed ^ set(seen))[:5]}")
    after = snapshot(runtime.db)
    changed = {name: d for name, d in diff(before, after).items() if d}
    new_rows = {name: len(rows) for name, rows in appended(runtime.db, before).items() if rows and name != "AuditLog"}
    report_figure(f"SECURITY cross-user SQL/HTTP: {pairs} user pairs, {tally.probes} probes of other users' accounts, "
                  f"commitments and pending notes by id and name ({tally.controls} in-scope controls reached), "
                  f"{len(tally.leaks)} leaks, {len(changed)} tables changed")
    assert not tally.leaks, "\n".join(tally.leaks[:20])
    assert tally.probes > 1000 and tally.controls >= 5
    assert not changed, changed
    # Only the in-scope controls wrote (assign_quadrant records its scoring); no probe stored anything.
    assert new_rows.get("ScoreRecord", 0) == tally.controls and "AccountPlan" not in new_rows, new_rows


def _same_404(got: Any, missing: Any, ref: str, missing_ref: str, who: str, tally: Tally) -> None:
    tally.probes += 1
    if got.status_code != 404 or missing.status_code != 404:
        tally.leak(f"{who} {got.request.url.path}: {got.status_code} (missing: {missing.status_code})")
        return
    if _shape(got.json()["error"], ref) != _shape(missing.json()["error"], missing_ref):
        tally.leak(f"{who} {got.request.url.path}: {got.json()['error']!r} vs {missing.json()['error']!r}")


def _http_account_probes(client: TestClient, headers: dict[str, str], who: str, account_id: str, name: str,
                         oracle: ScopeOracle, tally: Tally, as_of: dt.date) -> None:
    day = {"as_of": as_of.isoformat()}
    _same_404(client.get(f"/v1/accounts/{account_id}", headers=headers, params=day),
              client.get(f"/v1/accounts/{MISSING_ID}", headers=headers, params=day), account_id, MISSING_ID, who, tally)
    for tool in HTTP_TOOLS:
        for ref, missing in ((account_id, MISSING_ID), (name, MISSING_NAME)):
            got = client.post(f"/v1/tools/{tool}", headers=headers,
                              json={"args": ACCOUNT_TOOLS[tool](ref), **day})
            gone = client.post(f"/v1/tools/{tool}", headers=headers,
                               json={"args": ACCOUNT_TOOLS[tool](missing), **day})
            _same_404(got, gone, ref, missing, who, tally)
            if leaks := oracle.leaks(who, got.text, supplied=ref):
                tally.leak(f"{who} POST {tool}({ref!r}) shows {leaks}")


# ----------------------------------------------------------------------------------------------- the vector path


def _phrase(text: str, words: int = 9) -> str:
    return " ".join(text.split()[:words])


def test_notes_search_never_returns_notes_from_outside_the_scope(demo: tuple[dt.date, Runtime]) -> None:
    as_of, runtime = demo
    oracle = ScopeOracle.build(runtime.db)
    knowledge = runtime.knowledge
    with runtime.db.session() as s:
        latest: dict[str, Interaction] = {}
        for note in s.exec(select(Interaction).order_by(col(Interaction.date))).all():
            if note.text.strip():
                latest[note.account_id] = note
        person = {p.account_id: p.name for p in s.exec(select(Stakeholder).order_by(col(Stakeholder.id).desc()))}
    tally = Tally()
    found_by_owner = asked_owner = 0
    for a in ("U02", "U03", "U04", "U05"):
        user = _user(runtime, a)
        seen = oracle.visible(a)
        for x in oracle.outside(a):
            note = latest[x]
            queries = [oracle.account_names[x], person[x], _phrase(note.text)]
            for query in queries:
                result = _call(runtime, user, as_of, "search_notes", {"query": query, "k": 25})
                tally.probes += 1
                outside = [h["interaction_id"] for h in result["hits"] if h["account_id"] not in seen]
                if outside:
                    tally.leak(f"{a} search_notes({query!r}) -> {outside}")
                if leaks := oracle.leaks(a, json.dumps(result), supplied=query):
                    tally.leak(f"{a} search_notes({query!r}) shows {leaks}")
            # The index alone, vector path only, with the caller's scope: nothing else comes back.
            for hit in knowledge.search_notes(_phrase(note.text), sorted(seen), k=25, mode="vector"):
                tally.probes += 1
                if hit.account_id not in seen:
                    tally.leak(f"{a} index vector search -> {hit.interaction_id} of {hit.account_id}")
            with runtime.db.session() as s:  # evidence for briefs: ids outside the scope are ignored
                ctx = runtime.context(s, user, as_of)
                evidence = find_note_evidence(ctx, query=_phrase(note.text), account_ids=[x], k=5)
            tally.probes += 1
            if evidence:
                tally.leak(f"{a} find_note_evidence({x}) -> {[e.interaction_id for e in evidence]}")
            # Control: the owner, asking the same, does find that note.
            owner = _user(runtime, oracle.owners[x])
            mine = _call(runtime, owner, as_of, "search_notes", {"query": _phrase(note.text), "k": 25})
            asked_owner += 1
            found_by_owner += any(h["interaction_id"] == note.id for h in mine["hits"])
    stale = _stale_index_probe(runtime, oracle, as_of, latest, tally)
    report_figure(f"SECURITY cross-user notes search: {tally.probes} probes (tool, vector index, brief evidence) "
                  f"naming other reps' accounts, people and note phrases, {len(tally.leaks)} hits from outside "
                  f"scope; owners found their own note for {found_by_owner}/{asked_owner} of the same phrases; "
                  f"{stale} stale index hits dropped by the SQL recheck")
    assert not tally.leaks, "\n".join(tally.leaks[:20])
    assert found_by_owner >= 0.9 * asked_owner, "the probes must be queries that do find the note in scope"
    assert stale >= 1


def _stale_index_probe(runtime: Runtime, oracle: ScopeOracle, as_of: dt.date, latest: dict[str, Interaction],
                       tally: Tally) -> int:
    """A note moved to another rep's account in SQL but not yet re-indexed: the index still files it under the
    old account (in the searcher's scope); the SQL recheck must drop it. Then an account handed to another rep:
    its notes leave the old owner's scope at once."""
    jordan, maria = _user(runtime, "U03"), _user(runtime, "U04")
    note = latest["A003"]
    with runtime.db.write() as s:  # SQL only: no outbox row, so the index keeps the old copy
        s.exec(update(Interaction).where(col(Interaction.id) == note.id).values(account_id="A002"))
    result = _call(runtime, jordan, as_of, "search_notes", {"query": _phrase(note.text), "k": 25})
    tally.probes += 1
    if any(h["interaction_id"] == note.id for h in result["hits"]):
        tally.leak(f"U03 still sees {note.id}, moved to Maria's A002")
    dropped = int(result["dropped_stale"])
    with runtime.db.write() as s:
        s.exec(update(Account).where(col(Account.id) == "A005").values(owner_id="U04"))
    other = latest["A005"]
    for who, should in ((jordan, False), (maria, True)):
        result = _call(runtime, who, as_of, "search_notes", {"query": _phrase(other.text), "k": 25})
        tally.probes += 1
        has = any(h["interaction_id"] == other.id for h in result["hits"])
        if has != should:
            tally.leak(f"{who.id} after A005 moved to U04: sees {other.id} = {has}")
    return dropped
