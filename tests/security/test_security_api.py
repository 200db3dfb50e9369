"""schemathesis over the HTTP API's OpenAPI spec: no input, valid or not, gets a 500.

The spec is the one ``create_app(runtime, with_slack=False)`` serves, with ``POST /v1/tools/{name}`` also
spelt out per tool (``/v1/tools/score_account`` ...) from each tool's own argument schema, where account,
commitment and proposal references may also be real ids and names of the demo store, so generated calls reach
the tools themselves and not only the "no such tool" answer. Cases are generated positive (schema-valid) and
negative (schema-violating), sent to the ASGI app with a valid bearer token, a bounded number per operation.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from security_support import demo_runtime, report_figure
from sqlmodel import select

from evals.fixtures import DEMO_AS_OF
from integrations.cli.common import parse_as_of
from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from store.models import Account, Commitment, Interaction
from store.settings import Settings
from tools.registry import all_tools

EXAMPLES = {GenerationMode.POSITIVE: 40, GenerationMode.NEGATIVE: 15}
REFERENCES = {"account": "accounts", "commitment": "commitments", "pending_id": "proposals"}


@pytest.fixture
def served(settings: Settings) -> Iterator[tuple[dt.date, Runtime, FastAPI, str]]:
    runtime = demo_runtime(settings)
    app = create_app(runtime, with_slack=False)
    yield DEMO_AS_OF, runtime, app, issue_token(runtime.db, "U02")
    runtime.close()


def _references(runtime: Runtime) -> dict[str, list[str]]:
    with runtime.db.session() as s:
        accounts = s.exec(select(Account.id, Account.name).order_by(Account.id)).all()
        commitments = s.exec(select(Commitment.id).order_by(Commitment.id).limit(20)).all()
    return {"accounts": [a for a, _ in accounts[:12]] + [n for _, n in accounts[:12]],
            "commitments": list(commitments), "proposals": ["P-000000000000"]}


def _with_real_values(schema: dict[str, Any], refs: dict[str, list[str]]) -> dict[str, Any]:
    """A tool's argument schema where reference fields may also take real values from the store."""
    out = copy.deepcopy(schema)
    out.pop("title", None)
    for name, prop in out.get("properties", {}).items():
        prop.pop("title", None)
        if name in REFERENCES:
            out["properties"][name] = {"anyOf": [{"enum": refs[REFERENCES[name]]}, prop]}
    return out


def _spec(app: FastAPI, refs: dict[str, list[str]]) -> dict[str, Any]:
    """The app's own OpenAPI document, plus one operation per tool under /v1/tools/<name>."""
    spec = copy.deepcopy(app.openapi())
    generic = spec["paths"]["/v1/tools/{name}"]["post"]
    for name, tool in sorted(all_tools().items()):
        op = copy.deepcopy(generic)
        op["operationId"] = f"tool_{name}"
        op["parameters"] = []
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["args"], "additionalProperties": False,
            "properties": {"args": _with_real_values(tool.json_schema(), refs),
                           "as_of": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}},
        }}}}
        spec["paths"][f"/v1/tools/{name}"] = {"post": op}
    return spec


def _fuzz(operation: Any, mode: GenerationMode, examples: int, headers: dict[str, str], statuses: Counter[int],
          failures: list[str]) -> None:
    """Send ``examples`` generated cases of ``operation`` to the app; count the statuses, note every 5xx."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"{operation.label} {mode.value}: path={case.path_parameters} query={case.query} "
                            f"body={str(case.body)[:300]} -> {response.status_code}")

    run()


def test_no_generated_request_gets_a_500(served: tuple[dt.date, Runtime, FastAPI, str]) -> None:
    _as_of, runtime, app, token = served
    app.openapi_schema = _spec(app, _references(runtime))  # what /openapi.json serves, and schemathesis loads
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            try:
                _fuzz(operation, mode, examples, headers, statuses, failures)
            except Unsatisfiable:
                if mode is GenerationMode.POSITIVE:
                    raise  # every operation has valid inputs; only some have nothing to violate (GET /healthz)
    cases = sum(statuses.values())
    labels = sorted({o.label for o in operations})
    report_figure(f"SECURITY schemathesis: {len(labels)} operations ({len(labels) - len(all_tools())} routes, "
                  f"{len(all_tools())} tools spelt out), {cases} cases (positive and negative), "
                  f"{statuses.get(500, 0) + sum(n for s, n in statuses.items() if s > 500)} server errors; "
                  f"statuses {dict(sorted(statuses.items()))}")
    assert not failures, "\n".join(failures[:20])
    assert cases >= len(labels) * 5
    assert statuses[200] > 50, "generated calls reached the tools, not only their error answers"


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_an_as_of_far_out_of_range_is_a_clear_error(served: tuple[dt.date, Runtime, FastAPI, str],
                                                    day: str) -> None:
    """Days the date arithmetic of the tools overflows on (the year 1 minus a window, 9999 plus a horizon)."""
    _as_of, _runtime, app, token = served
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        answers = [
            client.get("/v1/matrix", params={"as_of": day}, headers=headers),
            client.get("/v1/drifting", params={"as_of": day}, headers=headers),
            client.get("/v1/commitments", params={"as_of": day}, headers=headers),
            client.get("/v1/accounts/A001", params={"as_of": day}, headers=headers),
            client.post("/v1/commitments/C0001/snooze", params={"as_of": day}, headers=headers),
            client.post("/v1/tools/prep_qbr", json={"args": {"account": "A001"}, "as_of": day}, headers=headers),
            client.post("/v1/chat", json={"message": "what's due this week?", "as_of": day}, headers=headers),
        ]
    for response in answers:
        assert response.status_code == 422, (response.request.url, response.text)
        assert "as_of" in response.json()["error"] and "between" in response.json()["error"]


def test_an_as_of_inside_the_range_is_answered(served: tuple[dt.date, Runtime, FastAPI, str]) -> None:
    _as_of, _runtime, app, token = served
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        for day in (dt.date(1900, 1, 1), dt.date(2999, 12, 31)):
            assert client.get("/v1/matrix", params={"as_of": day.isoformat()}, headers=headers).status_code == 200


def test_nul_characters_and_lone_surrogates_get_a_clear_answer_and_a_note_with_a_nul_stores(
        served: tuple[dt.date, Runtime, FastAPI, str]) -> None:
    """Found by the generated cases on PostgreSQL (the scale profile), which cannot hold a NUL in text: a NUL in a
    commitment id, a thread id or a confirmed note was a 500. Ids with one match nothing, tool arguments with one
    are refused, and a typed message loses the NUL and nothing else. Lone surrogates (``"\\ud800"`` in JSON) in
    tool arguments were 500s on SQLite too: they are refused the same way."""
    as_of, runtime, app, token = served
    headers = {"Authorization": f"Bearer {token}"}
    day = as_of.isoformat()
    with TestClient(app) as client:
        refused = [
            client.post("/v1/tools/complete_commitment", json={"args": {"commitment": "C00\x0001"}}, headers=headers),
            client.post("/v1/tools/score_account", json={"args": {"account": "Acme\x00"}}, headers=headers),
            client.post("/v1/commitments/C00%0001/snooze", headers=headers),
            client.get("/v1/matrix", params={"scope": "mi\x00ne"}, headers=headers),
        ]
        for args in ({"commitment": "C\ud800"}, {"text": "Met Dana Whitfield at Acme Corp today \udcff"}):
            tool = "complete_commitment" if "commitment" in args else "log_note"
            body = json.dumps({"args": args}, ensure_ascii=True)  # "\ud800" in JSON: a lone surrogate in Python
            refused.append(client.post(f"/v1/tools/{tool}", content=body,
                                       headers={**headers, "Content-Type": "application/json"}))
        refused.append(client.post("/v1/tools/search_notes", content=json.dumps({"args": {"query": "budget \ud800"}}),
                                   headers={**headers, "Content-Type": "application/json"}))
        for response in refused:
            assert response.status_code == 400 and "NUL" in response.json()["error"], response.text
        assert client.get("/v1/accounts/A00%0001", headers=headers).status_code == 404
        note = "Met Dana Whitfield at Acme Corp today.\x00 She is worried about the budget."
        proposed = client.post("/v1/chat", json={"message": note, "thread_id": "nul\x00thread", "as_of": day},
                               headers=headers)
        assert proposed.status_code == 200 and proposed.json()["pending_confirmation"], proposed.text
        assert proposed.json()["thread_id"] == "nulthread"
        stored = client.post("/v1/chat", json={"message": "confirm", "thread_id": "nul\x00thread", "as_of": day},
                             headers=headers)
        assert stored.status_code == 200, stored.text
        [record] = stored.json()["tool_calls"]
        assert record["name"] == "confirm_note" and record["ok"], record
    with runtime.db.session() as s:
        row = s.get(Interaction, record["result"]["interaction_id"])
    assert row is not None and row.text == note.replace("\x00", "")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_cli_refuses_the_same_days_as_a_usage_error(day: str) -> None:
    """The same overflow reached ``kam tool`` / ``kam chat --as-of`` as a traceback."""
    with pytest.raises(typer.Exit) as exit_:
        parse_as_of(day)
    assert exit_.value.exit_code == 2
    assert parse_as_of("2999-12-31") == dt.date(2999, 12, 31)
