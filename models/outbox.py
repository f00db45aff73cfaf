"""The outbox: every change of a listing, recorded in the transaction that makes it.

The search index follows PostgreSQL through this table. A `before_flush` hook gives every new or
changed listing its next version and an outbox row in the same flush, so the row and its outbox
entry commit together or not at all; the indexer relays pending entries to Elasticsearch later,
and a lost task message only delays them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Enum, ForeignKey, Index, Integer, Text, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import db, utcnow
from models.listing import Listing, ListingImage


class OutboxOp(enum.StrEnum):
    upsert = "upsert"
    delete = "delete"


class OutboxEntry(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_pending",
            "id",
            postgresql_where=text("processed_at IS NULL"),
            sqlite_where=text("processed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    op: Mapped[OutboxOp] = mapped_column(
        Enum(OutboxOp, name="outbox_op", native_enum=False, create_constraint=True, length=10)
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)

    listing: Mapped[Listing] = relationship()


def _changed_listings(session: Session) -> tuple[set[Listing], set[Listing]]:
    """Listings new in this flush, and listings whose columns or photos changed."""
    created = {obj for obj in session.new if isinstance(obj, Listing)}
    changed = {
        obj
        for obj in session.dirty
        if isinstance(obj, Listing) and session.is_modified(obj, include_collections=True)
    }
    # A photo added, moved or removed changes the listing's document (has_photo, thumbnail).
    for obj in session.new | session.dirty | session.deleted:
        if isinstance(obj, ListingImage) and obj.listing is not None:
            changed.add(obj.listing)
    return created, changed - created


@event.listens_for(Session, "before_flush")
def _record_listing_changes(session: Session, flush_context, instances) -> None:
    created, changed = _changed_listings(session)
    for listing in created:
        listing.version = 1
        session.add(OutboxEntry(listing=listing, version=1, op=OutboxOp.upsert))
    for listing in changed:
        # Version check: the UPDATE matches only the version this copy was read at, so a
        # concurrent edit of the same listing fails with StaleDataError instead of vanishing.
        listing.version += 1
        listing.updated_at = utcnow()
        session.add(OutboxEntry(listing=listing, version=listing.version, op=OutboxOp.upsert))
    for obj in session.deleted:
        if isinstance(obj, Listing):
            raise RuntimeError(
                "Listings are never deleted from the database: set status=deleted instead"
            )
