"""The planner's catalogue is kept per user until the store's catalogue counter moves: a write to users,
accounts, stakeholders or commitments from anywhere (another process, a bulk statement) is seen on the next
turn, on SQLite and on PostgreSQL; with nothing written, a turn reads one row.
"""

from __future__ import annotations

import subprocess
import sys

from scoring_seed import account, person, users
from sqlalchemy import event

from agent.catalog import CatalogCache, load_catalog
from agent.planner import Catalog
from store.db import Database
from store.models import Commitment

# Each run in another process, on the same store, with plain SQL (no ORM, no application code).
_WRITES = {
    "a new account": "INSERT INTO account (id, name, owner_id, scored_by, gross_margin_pct, wallet_estimate, "
                     "growth_potential, strategic_fit, competitive_position, propensity_to_partner) "
                     "SELECT 'A3', 'Corvid Labs', 'U1', scored_by, gross_margin_pct, wallet_estimate, "
                     "growth_potential, strategic_fit, competitive_position, propensity_to_partner "
                     "FROM account WHERE id = 'A1'",
    "a renamed stakeholder": "UPDATE stakeholder SET name = 'Dana Whitfield' WHERE id = 'S1'",
    "a commitment done": "UPDATE commitment SET status = 'done' WHERE id = 'C1'",
    "a stakeholder removed": "DELETE FROM stakeholder WHERE id = 'S2'",
    "an account handed to another rep": "UPDATE account SET owner_id = 'U3' WHERE id = 'A2'",
    "a user renamed": 'UPDATE "user" SET name = \'Sam Rep-Jones\' WHERE id = \'U2\'',
}


def _seed(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A1", "Acme Corp")
        account(s, "A2", "Globex")
        person(s, "S1", "A1", "Dana Smith")
        person(s, "S2", "A2", "Priya Shah")
        s.add(Commitment(id="C1", account_id="A1", description="Send the ROI deck"))


def _in_another_process(db: Database, sql: str) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    code = ("import sys; from sqlalchemy import create_engine, text\n"
            "engine = create_engine(sys.argv[1])\n"
            "with engine.begin() as conn: conn.execute(text(sys.argv[2]))\n")
    subprocess.run([sys.executable, "-c", code, url, sql], check=True, capture_output=True, timeout=60)


def _view(catalog: Catalog) -> tuple[list[tuple[str, str]], ...]:
    return (sorted((a.id, a.name) for a in catalog.accounts), sorted((p.id, p.name) for p in catalog.people),
            sorted((c.id, c.id) for c in catalog.commitments), sorted((u.id, u.name) for u in catalog.users))


def test_the_kept_catalogue_follows_every_write_from_another_process(db: Database) -> None:
    _seed(db)
    cache = CatalogCache(db)
    for user in ("U1", "M1"):
        assert _view(cache(user)) == _view(load_catalog(db, user))
    for what, sql in _WRITES.items():
        _in_another_process(db, sql)
        for user in ("U1", "M1"):
            assert _view(cache(user)) == _view(load_catalog(db, user)), what


def test_with_nothing_written_a_turn_reads_one_row(db: Database) -> None:
    _seed(db)
    cache = CatalogCache(db)
    first = cache("U1")
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert cache("U1") is first
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and "changecounter" in selects[0]
