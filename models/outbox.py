"""The outbox: every change of a listing's document, recorded in the transaction that makes it.

The search index follows PostgreSQL through this table. A `before_flush` hook gives every new or
changed listing its next version and an outbox row in the same flush, so the row and its outbox
entry commit together or not at all; the indexer relays pending entries to Elasticsearch later,
and a lost task message only delays them (indexer/sync.py).

What counts as a change is what a search document shows: the listing's own columns (except
bookkeeping such as `expiry_warned_at`), its photos, its owner's `active` flag and its
category's slug and place in the tree. The last two live in other tables, so a change there
bumps the version of every listing it shows in and writes their outbox rows in the same flush.

The ids of the listings changed are kept in `session.info[CHANGED_LISTINGS]` until the
transaction ends; indexer/dispatch.py sends them to the indexer after the commit.

With no search server configured (the embedded default) versions still move on, as the edit
conflict check needs them, but no outbox rows are written: nothing would ever carry them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Text,
    and_,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import db, utcnow
from models.category import Category
from models.listing import Listing, ListingImage, ListingStatus
from models.user import User

# Columns of a listing that no document shows: changing only these is not a new version.
BOOKKEEPING = frozenset({"expiry_warned_at"})
# What of a user or a category the listing documents show.
OWNER_FIELDS = frozenset({"active"})
CATEGORY_FIELDS = frozenset({"slug", "parent_id", "parent"})
# session.info key: ids of the listings whose new versions the commit must send on.
CHANGED_LISTINGS = "outbox.changed_listings"


class OutboxOp(enum.StrEnum):
    upsert = "upsert"
    delete = "delete"


_PENDING_SQL = "processed_at IS NULL AND parked_at IS NULL"
_PARKED_SQL = "processed_at IS NULL AND parked_at IS NOT NULL"


class OutboxEntry(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        # The relay reads pending entries oldest first; partial, so it stays small.
        Index(
            "ix_outbox_pending",
            "id",
            postgresql_where=text(_PENDING_SQL),
            sqlite_where=text(_PENDING_SQL),
        ),
        Index(
            "ix_outbox_parked",
            "id",
            postgresql_where=text(_PARKED_SQL),
            sqlite_where=text(_PARKED_SQL),
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
    # Set once Elasticsearch has acknowledged this version (or a newer one) everywhere.
    processed_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    # A poison entry (refused again and again) is parked with its error, out of the relay's way.
    parked_at: Mapped[datetime | None] = mapped_column(DateTime)

    listing: Mapped[Listing] = relationship()


def pending() -> ColumnElement[bool]:
    """Entries still to be carried to the index (not done, not parked)."""
    return and_(OutboxEntry.processed_at.is_(None), OutboxEntry.parked_at.is_(None))


def recording() -> bool:
    """Whether outbox entries are written: only when a search index follows the database."""
    if not has_app_context():
        return True
    settings = current_app.extensions.get("settings")
    return settings is None or settings.ELASTICSEARCH_URL is not None


@dataclass(frozen=True)
class OutboxLag:
    """How far the index is behind the database."""

    pending: int  # at most `cap`; `capped` says there are more
    capped: bool
    oldest_age_seconds: float | None
    parked: int

    def as_dict(self) -> dict:
        oldest = self.oldest_age_seconds
        return {
            "pending": self.pending,
            "pending_capped": self.capped,
            "oldest_pending_age_s": None if oldest is None else round(oldest, 1),
            "parked": self.parked,
        }


def outbox_lag(session: Session, cap: int = 10_000) -> OutboxLag:
    """Pending entries (counted up to `cap`, so a large backlog stays cheap to report), the age
    of the oldest one and the number parked; every query runs on a partial index."""
    counted = select(OutboxEntry.id).where(pending()).limit(cap + 1).subquery()
    count = session.scalar(select(func.count()).select_from(counted)) or 0
    oldest = session.scalar(
        select(OutboxEntry.created_at).where(pending()).order_by(OutboxEntry.id).limit(1)
    )
    parked = session.scalar(
        select(func.count(OutboxEntry.id)).where(
            OutboxEntry.processed_at.is_(None), OutboxEntry.parked_at.is_not(None)
        )
    )
    age = None if oldest is None else max(0.0, (utcnow() - oldest).total_seconds())
    return OutboxLag(min(count, cap), count > cap, age, parked or 0)


# --- the flush hook ---------------------------------------------------------------------------


def _changed_fields(obj) -> set[str]:
    """Names of the mapped attributes (columns and relationships) changed on `obj`."""
    state = inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def _changed_listings(session: Session) -> tuple[set[Listing], set[Listing]]:
    """Listings new in this flush, and listings whose documents change in it."""
    created = {obj for obj in session.new if isinstance(obj, Listing)}
    changed = {
        obj
        for obj in session.dirty
        if isinstance(obj, Listing) and _changed_fields(obj) - BOOKKEEPING
    }
    # A photo added, moved or removed changes the listing's document (has_photo, thumbnail).
    for obj in session.new | session.dirty | session.deleted:
        if isinstance(obj, ListingImage) and obj.listing is not None:
            changed.add(obj.listing)
    return created, changed - created


def _searchable_before(listing: Listing, now: datetime) -> bool:
    """Whether the listing was searchable by its own columns before this flush's change."""
    attrs = inspect(listing).attrs
    old_status = attrs.status.history.deleted
    old_expiry = attrs.expires_at.history.deleted
    status = old_status[0] if old_status else listing.status
    expires_at = old_expiry[0] if old_expiry else listing.expires_at
    return status is ListingStatus.active and expires_at is not None and expires_at > now


def _became_searchable(listing: Listing, now: datetime) -> bool:
    """Posted, renewed or restored in this change: active and in date now, and not before."""
    searchable_now = listing.status is ListingStatus.active and listing.expires_at > now
    return searchable_now and not _searchable_before(listing, now)


def _bump_dependents(session: Session, skip: set[int], now: datetime) -> list[int]:
    """New versions and outbox rows for the listings whose documents show a user or a category
    changed in this flush (an account disabled, a category renamed or moved).

    Done in SQL, as one category can hold many listings. Listings that are changing in this
    flush anyway (`skip`) get their version from the ORM instead, or their UPDATE would no
    longer match the version it expects.
    """
    owners = [
        obj.id
        for obj in session.dirty
        if isinstance(obj, User) and obj.id is not None and _changed_fields(obj) & OWNER_FIELDS
    ]
    categories: set[int] = set()
    with session.no_autoflush:
        for obj in session.dirty:
            if isinstance(obj, Category) and obj.id and _changed_fields(obj) & CATEGORY_FIELDS:
                categories.update(obj.subtree_ids())  # a section's slug is in every child's path
    if not owners and not categories:
        return []
    listings = Listing.__table__
    bump = (
        update(listings)
        .where(or_(listings.c.owner_id.in_(owners), listings.c.category_id.in_(categories)))
        .values(version=listings.c.version + 1)
        .returning(listings.c.id, listings.c.version)
    )
    if skip:
        bump = bump.where(listings.c.id.not_in(skip))
    connection = session.connection()
    rows = connection.execute(bump).all()
    if not rows:
        return []
    connection.execute(
        insert(OutboxEntry.__table__),
        [
            {"listing_id": i, "version": v, "op": OutboxOp.upsert, "created_at": now}
            for i, v in rows
        ],
    )
    # Saved-search alerts look at them again: a re-enabled account's listings are back in
    # search, a moved category's listings may match other searches. (models.alerts imports
    # this module, hence the import here.)
    from models.alerts import QUEUED, queue_listings

    queue_listings(connection, rows)
    session.info[QUEUED] = True
    # Copies of these listings loaded in this session hold the old version: reload it, or
    # their next change would be refused as a conflicting edit.
    bumped = {listing_id for listing_id, _ in rows}
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Listing) and obj.id in bumped:
            session.expire(obj, ["version"])
    return list(bumped)


@event.listens_for(Session, "before_flush")
def _record_listing_changes(session: Session, flush_context, instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, Listing):
            raise RuntimeError(
                "Listings are never deleted from the database: set status=deleted instead"
            )
    now = utcnow()
    created, changed = _changed_listings(session)
    for listing in created:
        listing.version = 1
        if listing.published_at is None and listing.status in (None, ListingStatus.active):
            listing.published_at = listing.created_at or now
    for listing in changed:
        # Version check: the UPDATE matches only the version this copy was read at, so a
        # concurrent edit of the same listing fails with StaleDataError instead of vanishing.
        listing.version += 1
        listing.updated_at = now
        if _became_searchable(listing, now):
            listing.published_at = now
    if not recording():
        return
    for listing in created | changed:
        session.add(OutboxEntry(listing=listing, version=listing.version, op=OutboxOp.upsert))
    already = {listing.id for listing in changed}
    dependents = _bump_dependents(session, already, now)
    session.info.setdefault(CHANGED_LISTINGS, set()).update(dependents)


@event.listens_for(Session, "after_flush")
def _remember_changed_ids(session: Session, flush_context) -> None:
    # New listings have their ids only now; the entries added above name them all.
    ids = {obj.listing_id for obj in session.new if isinstance(obj, OutboxEntry)}
    if ids:
        session.info.setdefault(CHANGED_LISTINGS, set()).update(ids)
