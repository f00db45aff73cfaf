"""The embedded search backend's index: listing_terms (analysed words per listing), the
search vocabulary, and the full-text index over them (PostgreSQL GIN; SQLite FTS5 with
triggers). Existing listings are analysed and written in.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-27 15:00:00

"""
import sqlalchemy as sa
from alembic import op

from models.search_terms import write_listing_terms

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

BATCH = 2_000

SQLITE_FTS = [
    # External content: the words live once, in listing_terms; the FTS5 table indexes them.
    """CREATE VIRTUAL TABLE listing_terms_fts USING fts5(
        text_terms, content='listing_terms', content_rowid='listing_id', tokenize='ascii')""",
    """CREATE TRIGGER listing_terms_fts_insert AFTER INSERT ON listing_terms BEGIN
        INSERT INTO listing_terms_fts(rowid, text_terms) VALUES (new.listing_id, new.text_terms);
    END""",
    """CREATE TRIGGER listing_terms_fts_delete AFTER DELETE ON listing_terms BEGIN
        INSERT INTO listing_terms_fts(listing_terms_fts, rowid, text_terms)
        VALUES ('delete', old.listing_id, old.text_terms);
    END""",
    """CREATE TRIGGER listing_terms_fts_update AFTER UPDATE ON listing_terms BEGIN
        INSERT INTO listing_terms_fts(listing_terms_fts, rowid, text_terms)
        VALUES ('delete', old.listing_id, old.text_terms);
        INSERT INTO listing_terms_fts(rowid, text_terms) VALUES (new.listing_id, new.text_terms);
    END""",
]


def upgrade():
    op.create_table(
        "listing_terms",
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("title_terms", sa.Text(), nullable=False),
        sa.Column("text_terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_listing_terms_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("listing_id", name=op.f("pk_listing_terms")),
    )
    op.create_table(
        "search_vocabulary",
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_vocabulary")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_listing_terms_text ON listing_terms "
            "USING gin (array_to_tsvector(string_to_array(text_terms, ' ')))"
        )
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)
    _backfill(bind)


def _backfill(bind) -> None:
    """Analyse the listings already there, a batch at a time (keyset on id)."""
    listings = sa.table(
        "listings",
        sa.column("id", sa.Integer),
        sa.column("title", sa.String),
        sa.column("description", sa.Text),
        sa.column("created_at", sa.DateTime),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(listings).where(listings.c.id > last).order_by(listings.c.id).limit(BATCH)
        ).mappings().all()
        if not rows:
            return
        write_listing_terms(bind, rows)
        last = rows[-1]["id"]


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_listing_terms_text")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS listing_terms_fts_{name}")
        op.execute("DROP TABLE IF EXISTS listing_terms_fts")
    op.drop_table("search_vocabulary")
    op.drop_table("listing_terms")
