"""Red-team finding 5 (issue 13): a tool argument named like the call's own parameters (``self``, ``ctx``) is
an unknown argument like any other: a clear 400 naming it, on every tool, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from agent_seed import AS_OF, seeded_runtime
from fastapi.testclient import TestClient

from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from store.settings import Settings
from tools.errors import ToolError
from tools.registry import all_tools, call_tool

RESERVED = ("self", "ctx", "args", "kwargs", "session", "user", "as_of")


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    with seeded_runtime(settings) as rt:
        yield rt


def test_reserved_names_are_a_clear_400_on_every_tool(runtime: Runtime) -> None:
    headers = {"Authorization": f"Bearer {issue_token(runtime.db, 'U02')}"}
    with TestClient(create_app(runtime, with_slack=False), raise_server_exceptions=False) as client:
        for name in sorted(all_tools()):
            for key in RESERVED:
                r = client.post(f"/v1/tools/{name}", json={"args": {key: 1}, "as_of": AS_OF.isoformat()},
                                headers=headers)
                assert r.status_code == 400, (name, key, r.status_code, r.text)
                assert key in r.json()["error"] and "bad arguments" in r.json()["error"], (name, key, r.text)


def test_reserved_names_through_the_catalogue_are_a_tool_error(runtime: Runtime) -> None:
    with runtime.db.write() as session:
        from store.models import User

        ctx = runtime.context(session, session.get(User, "U02"), AS_OF)
        for name in sorted(all_tools()):
            with pytest.raises(ToolError, match="bad arguments"):
                call_tool(ctx, name, {"self": 1, "ctx": 2})
