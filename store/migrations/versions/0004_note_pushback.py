"""Each note's commercial-pushback reading, kept with the note

A QBR brief read every money-related note of the last 90 days with the note reader on every call. The
reading is kept in ``notepushback`` instead, one row per note, written when the note is stored or, for notes
written otherwise (imports, older notes), when a brief first needs it. A change of a note's text or account
deletes its row, whichever process or statement makes it (a trigger), so a stale reading is never read back.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 04:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notepushback',
    sa.Column('interaction_id', sa.String(), nullable=False),
    sa.Column('people', sa.String(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interaction.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('interaction_id')
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("""CREATE FUNCTION kam_note_reread() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN DELETE FROM notepushback WHERE interaction_id = NEW.id; RETURN NULL; END $$""")
        op.execute('CREATE TRIGGER note_reread AFTER UPDATE OF text, account_id ON interaction FOR EACH ROW '
                   'WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.account_id IS DISTINCT FROM NEW.account_id) '
                   'EXECUTE FUNCTION kam_note_reread()')
        return
    op.execute('CREATE TRIGGER note_reread AFTER UPDATE OF text, account_id ON interaction '
               'WHEN OLD.text IS NOT NEW.text OR OLD.account_id IS NOT NEW.account_id '
               'BEGIN DELETE FROM notepushback WHERE interaction_id = NEW.id; END')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS note_reread ON interaction')
        op.execute('DROP FUNCTION IF EXISTS kam_note_reread()')
    else:
        op.execute('DROP TRIGGER IF EXISTS note_reread')
    op.drop_table('notepushback')
