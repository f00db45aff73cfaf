"""Saved searches and alerts: pause, last visit and last mail on saved searches; the queue of
listings waiting to be matched; matches waiting for their mail.

`saved_searches.last_run_at` goes: matching is continuous (every run looks at every active
search), so no search has a "last run" of its own; `last_mailed_at` says when its mail last went.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_viewed_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False))
        batch_op.add_column(sa.Column('last_mailed_at', sa.DateTime(), nullable=True))
        batch_op.drop_index('ix_saved_searches_last_run_at')
        batch_op.drop_column('last_run_at')

    op.create_table('alert_queue',
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_alert_queue_listing_id_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listing_id', name=op.f('pk_alert_queue'))
    )
    op.create_table('alert_mail_items',
    sa.Column('saved_search_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_alert_mail_items_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_search_id'], ['saved_searches.id'], name=op.f('fk_alert_mail_items_saved_search_id_saved_searches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('saved_search_id', 'listing_id', name=op.f('pk_alert_mail_items'))
    )


def downgrade():
    op.drop_table('alert_mail_items')
    op.drop_table('alert_queue')

    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_run_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_saved_searches_last_run_at', ['last_run_at'], unique=False)
        batch_op.drop_column('last_mailed_at')
        batch_op.drop_column('last_viewed_at')
        batch_op.drop_column('paused_at')
