"""CRM sync: watermarks and links between our rows and CRM records

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 17:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('crmsyncstate',
    sa.Column('crm', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('object', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('watermark', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('crm', 'object')
    )
    op.create_table('crmlink',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crm', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('local_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('synced_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('crm', 'kind', 'local_id', name='uq_crm_link_local')
    )
    with op.batch_alter_table('crmlink', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crmlink_crm'), ['crm'], unique=False)
        batch_op.create_index(batch_op.f('ix_crmlink_external_id'), ['external_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('crmlink', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crmlink_external_id'))
        batch_op.drop_index(batch_op.f('ix_crmlink_crm'))
    op.drop_table('crmlink')
    op.drop_table('crmsyncstate')
