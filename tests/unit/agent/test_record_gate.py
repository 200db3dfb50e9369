"""The gate before a tool that changes one record: it runs only on the user's own words naming that record, by its
id or by a description; the record's account may go unsaid only in an order that tool's verb gives."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from draft_seed import seed

from agent.tool_calls import _unstated_record
from store.db import Database
from store.models import Commitment
from tools.registry import agent_tool_specs


@pytest.fixture
def store(db: Database) -> Database:
    seed(db)
    with db.write() as s:
        s.add(Commitment(id="C0901", account_id="A1", owner_id="U1", description="Send Dana the revised billing quote"))
        s.add(Commitment(id="C0902", account_id="A2", owner_id="U1", description="Book the security workshop"))
    return db


def _refused(db: Database, tool: str, ref: str, message: str) -> bool:
    spec = next(s for s in agent_tool_specs() if s.name == tool)
    return _unstated_record(SimpleNamespace(db=db), spec, {"commitment": ref}, message) is not None  # type: ignore[arg-type]


@pytest.mark.parametrize(("message", "refused"), [
    ("mark C0901 done", False),
    ("the acme billing quote is done", False),
    ("and close out the quote one", False),  # an order of this tool: the account may go unsaid
    ("close the globex quote one", True),  # another account named: not this record
    ("what did we say about the quote?", True),  # no order of this tool
])
def test_a_record_changes_only_on_the_users_own_words(store: Database, message: str, refused: bool) -> None:
    assert _refused(store, "complete_commitment", "C0901", message) is refused
