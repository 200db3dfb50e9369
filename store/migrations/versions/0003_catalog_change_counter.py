"""Catalogue change counter

A change counter for the tables the chat's catalogue is read from (users, accounts, stakeholders,
commitments): bumped by a trigger on every write, whichever process or tool makes it, so a reader can keep the
catalogue until the counter moves (agent/catalog.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 13:25:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('user', 'account', 'stakeholder', 'commitment')


def upgrade() -> None:
    op.create_table('changecounter',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.execute("INSERT INTO changecounter (name, n) VALUES ('catalog', 0)")
    if op.get_bind().dialect.name == 'postgresql':
        # One bump per statement (a bulk import is one), in the writer's transaction: a reader sees the new count
        # exactly when it sees the rows.
        op.execute("""CREATE FUNCTION kam_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE changecounter SET n = n + 1 WHERE name = 'catalog'; RETURN NULL; END $$""")
        for table in TABLES:
            op.execute(f'CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                       'FOR EACH STATEMENT EXECUTE FUNCTION kam_catalog_changed()')
        return
    for table in TABLES:  # SQLite: row triggers only (an UPDATE by primary key each)
        for event in ('INSERT', 'UPDATE', 'DELETE'):
            op.execute(f'CREATE TRIGGER catalog_changed_{table}_{event.lower()} AFTER {event} ON "{table}" '
                       "BEGIN UPDATE changecounter SET n = n + 1 WHERE name = 'catalog'; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS catalog_changed ON "{table}"')
        op.execute('DROP FUNCTION IF EXISTS kam_catalog_changed()')
    else:
        for table in TABLES:
            for event in ('insert', 'update', 'delete'):
                op.execute(f'DROP TRIGGER IF EXISTS catalog_changed_{table}_{event}')
    op.drop_table('changecounter')
