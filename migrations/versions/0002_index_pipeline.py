"""Index pipeline: when a listing became searchable, parked outbox entries.

- listings.published_at: the moment the listing last became searchable (posted, renewed,
  restored); existing listings take their creation time.
- outbox.parked_at: a poison entry set aside with its error; the pending index leaves parked
  entries out and a second partial index finds them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

OLD_PENDING = 'processed_at IS NULL'
PENDING = 'processed_at IS NULL AND parked_at IS NULL'
PARKED = 'processed_at IS NULL AND parked_at IS NOT NULL'


def _partial(where: str) -> dict:
    return {'postgresql_where': sa.text(where), 'sqlite_where': sa.text(where)}


def upgrade():
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
    op.execute('UPDATE listings SET published_at = created_at')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parked_at', sa.DateTime(), nullable=True))
        batch_op.drop_index('ix_outbox_pending', **_partial(OLD_PENDING))
        batch_op.create_index('ix_outbox_pending', ['id'], unique=False, **_partial(PENDING))
        batch_op.create_index('ix_outbox_parked', ['id'], unique=False, **_partial(PARKED))


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_parked', **_partial(PARKED))
        batch_op.drop_index('ix_outbox_pending', **_partial(PENDING))
        batch_op.create_index('ix_outbox_pending', ['id'], unique=False, **_partial(OLD_PENDING))
        batch_op.drop_column('parked_at')

    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_column('published_at')
