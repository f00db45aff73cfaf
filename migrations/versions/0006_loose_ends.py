"""Avatar keys are unique and indexed: /media looks a picture's owner up by its key.

A plain CREATE INDEX on both databases: a batch table copy on SQLite would lose the users
table's expression indexes (lower(username), lower(email)).

Revision ID: 0006
Revises: 0001
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("uq_users_avatar_key", "users", ["avatar_key"], unique=True)


def downgrade():
    op.drop_index("uq_users_avatar_key", table_name="users")
