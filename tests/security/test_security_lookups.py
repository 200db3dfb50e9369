"""Red-team finding 6 (issue 13): looking up a commitment the caller may not see does the same work as looking
up one that does not exist, so its existence does not leak by timing; and new records get opaque ids.

The work is measured as the SQL statements the lookup sends (their text, with parameters left out): the
same list, in the same order, for another rep's commitment (exact and other case) and for a missing id.
No timing is asserted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from agent_seed import AS_OF, seeded_runtime
from sqlalchemy import event

from integrations.runtime import Runtime
from store.models import Account, User
from store.settings import Settings
from tools.errors import NotFound
from tools.registry import call_tool


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    with seeded_runtime(settings) as rt:
        yield rt


def _statements(runtime: Runtime, user_id: str, tool: str, args: dict[str, Any]) -> tuple[list[str], str]:
    sent: list[str] = []

    def _record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(re.sub(r"\s+", " ", statement))

    with runtime.db.write() as session:
        ctx = runtime.context(session, session.get(User, user_id), AS_OF, with_knowledge=False)
        event.listen(runtime.db.engine, "before_cursor_execute", _record)
        try:
            with pytest.raises(NotFound) as caught:
                call_tool(ctx, tool, args)
        finally:
            event.remove(runtime.db.engine, "before_cursor_execute", _record)
    return sent, caught.value.message


@pytest.mark.parametrize("tool", ["complete_commitment", "snooze_commitment"])
def test_another_reps_commitment_costs_the_same_queries_as_a_missing_one(runtime: Runtime, tool: str) -> None:
    # C002 is on Sam's (U03) account; Priya (U02) may not see it. C00Z does not exist.
    hidden, hidden_msg = _statements(runtime, "U02", tool, {"commitment": "C002"})
    hidden_lower, _ = _statements(runtime, "U02", tool, {"commitment": "c002"})
    missing, missing_msg = _statements(runtime, "U02", tool, {"commitment": "C00Z"})
    assert hidden == missing == hidden_lower, (hidden, missing)
    assert hidden_msg.replace("C002", "X") == missing_msg.replace("C00Z", "X")


@pytest.mark.parametrize("user", ["U02", "U01"])  # a KAM, and a manager (whose scope is a query of its own)
def test_another_users_account_costs_the_same_queries_as_a_missing_one(runtime: Runtime, user: str) -> None:
    # A003 belongs to Sam (U03): Priya may not see it; as the manager, U04 (nobody's) stands in below.
    hidden_id = "A003" if user == "U02" else "A001"
    if user == "U01":
        with runtime.db.write() as session:
            session.add(User(id="U04", name="Kim Other", role="kam"))
            account = session.get(Account, "A001")
            account.owner_id = "U04"
            session.add(account)
    hidden, hidden_msg = _statements(runtime, user, "score_account", {"account": hidden_id})
    missing, missing_msg = _statements(runtime, user, "score_account", {"account": "A00Z"})
    assert hidden == missing, (hidden, missing)
    assert hidden_msg.replace(hidden_id, "X") == missing_msg.replace("A00Z", "X")


def test_records_created_from_notes_get_opaque_ids_and_imported_ids_stay(runtime: Runtime) -> None:
    from sqlmodel import col, select

    from store.models import Commitment, Interaction

    for n in range(2):
        with runtime.db.write() as session:
            ctx = runtime.context(session, session.get(User, "U02"), AS_OF, with_knowledge=False,
                                  thread_id=f"ids-{n}")
            call_tool(ctx, "log_note", {"text": "Met Dana Whitfield at Acme today; I'll send the ROI deck by Friday.",
                                        "account": "A001"})
            call_tool(ctx, "confirm_note", {})
    with runtime.db.session() as s:
        made = [c.id for c in s.exec(select(Commitment).where(col(Commitment.id).not_in(["C001", "C002"])))]
        notes = [i.id for i in s.exec(select(Interaction).where(col(Interaction.id).like("I-%")))]
        assert s.get(Commitment, "C001") is not None  # the seeded (imported-style) id is unchanged
    assert len(made) == 2 and len(notes) == 2 and len(set(made)) == 2
    assert all(re.fullmatch(r"C-[0-9a-f]{12}", c) for c in made), made
    assert all(re.fullmatch(r"I-[0-9a-f]{12}", i) for i in notes), notes
