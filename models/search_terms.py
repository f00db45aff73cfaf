"""The embedded search backend's own index, kept in step with `listings` in the same transaction.

`listing_terms` holds each listing's analysed words (search.analysis; the terms the
Elasticsearch document carries, which a reindex reads from here: indexer.listing_source) and
its creation time in milliseconds (the resolution of the index's dates, so both backends order
"newest" alike). Full-text lookup runs over it:
- PostgreSQL: a GIN index on `array_to_tsvector(string_to_array(text_terms, ' '))` — the
  terms are used as lexemes exactly as they are, no text-search configuration in between;
- SQLite: the FTS5 table `listing_terms_fts` (external content, `ascii` tokenizer), kept in
  step with `listing_terms` by triggers; both are created by migration 0004.
`search_vocabulary` lists every term ever indexed, so typo tolerance can find the real words
near a misspelt one (search.fuzzy) without scanning the listings.

An `after_flush` hook rewrites the rows of every listing a flush adds or changes, in that
flush's transaction. Bulk writers that bypass the ORM write the rows themselves
(`manage.py seed` in its batches, `terms_row`), on both stacks: every listing has its row.
A change to search.analysis therefore needs a migration that rewrites the rows (as 0004
wrote the first ones) before the next reindex; tests/unit/test_analysis_is_stored.py pins what
the analysis writes, so such a change cannot pass unnoticed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Connection,
    ForeignKey,
    Index,
    String,
    Text,
    event,
    inspect,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import db
from models.listing import Listing
from search.analysis import MAX_TERM_LENGTH, listing_terms

FTS_TABLE = "listing_terms_fts"  # SQLite only: the FTS5 table and its shadow tables


class ListingTerms(db.Model):
    __tablename__ = "listing_terms"
    __table_args__ = (
        Index(
            "ix_listing_terms_text",
            text("array_to_tsvector(string_to_array(text_terms, ' '))"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    created_ms: Mapped[int] = mapped_column(BigInteger)
    title_terms: Mapped[str] = mapped_column(Text)
    text_terms: Mapped[str] = mapped_column(Text)


class SearchVocabulary(db.Model):
    __tablename__ = "search_vocabulary"

    term: Mapped[str] = mapped_column(String(MAX_TERM_LENGTH), primary_key=True)


def is_fts_table(name: str) -> bool:
    """Whether `name` is SQLite's FTS5 table or one of its shadow tables (not in the models)."""
    return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")


def epoch_ms(moment: datetime) -> int:
    """A naive-UTC timestamp as whole milliseconds since 1970, truncated as the index does."""
    delta = moment.replace(tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000


def terms_row(listing_id: int, title: str, description: str, created_at: datetime) -> dict:
    """The `listing_terms` row of one listing."""
    title_terms, text_terms = listing_terms(title, description)
    return {
        "listing_id": listing_id,
        "created_ms": epoch_ms(created_at),
        "title_terms": title_terms,
        "text_terms": text_terms,
    }


def write_listing_terms(connection: Connection, listings: Iterable[dict]) -> None:
    """Insert or replace the rows of `listings` (dicts with id, title, description and
    created_at) and add their new words to the vocabulary: the bulk form of the flush hook."""
    rows = [
        terms_row(item["id"], item["title"], item["description"], item["created_at"])
        for item in listings
    ]
    if not rows:
        return
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    table = ListingTerms.__table__
    upsert = insert(table)
    upsert = upsert.on_conflict_do_update(
        index_elements=[table.c.listing_id],
        set_={name: upsert.excluded[name] for name in ("created_ms", "title_terms", "text_terms")},
    )
    connection.execute(upsert, rows)
    write_vocabulary(connection, {word for row in rows for word in row["text_terms"].split()})


def write_vocabulary(connection: Connection, words: Iterable[str]) -> None:
    """Add the words the vocabulary does not hold yet."""
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    ordered = sorted(words)
    vocabulary = SearchVocabulary.__table__
    for start in range(0, len(ordered), 5_000):
        chunk = [{"term": word} for word in ordered[start : start + 5_000]]
        connection.execute(insert(vocabulary).on_conflict_do_nothing(), chunk)


def write_vocabulary_of_stored(connection: Connection, listing_ids: range) -> None:
    """Add the words of the stored terms of `listing_ids` (PostgreSQL): for rows written
    without their words, as by a seed that stopped after committing some of its batches."""
    connection.execute(
        text(
            "INSERT INTO search_vocabulary (term) "
            "SELECT DISTINCT word FROM listing_terms, "
            "unnest(string_to_array(text_terms, ' ')) AS word "
            "WHERE listing_id >= :first AND listing_id < :stop AND word <> '' "
            "ON CONFLICT DO NOTHING"
        ),
        {"first": listing_ids.start, "stop": listing_ids.stop},
    )


@event.listens_for(Session, "after_flush")
def _keep_terms_in_step(session: Session, flush_context) -> None:
    # After the flush, new listings have their ids; the rows go in on the flush's own
    # connection, so they commit or roll back with the listing.
    changed = [
        obj
        for obj in session.new | session.dirty
        if isinstance(obj, Listing) and obj.id is not None and _text_changed(session, obj)
    ]
    if changed:
        write_listing_terms(
            session.connection(),
            [
                {
                    "id": listing.id,
                    "title": listing.title,
                    "description": listing.description,
                    "created_at": listing.created_at,
                }
                for listing in changed
            ],
        )


def _text_changed(session: Session, listing: Listing) -> bool:
    if listing in session.new:
        return True
    state = inspect(listing)
    return any(
        state.attrs[name].history.has_changes() for name in ("title", "description", "created_at")
    )
