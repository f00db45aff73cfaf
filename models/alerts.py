"""The alerts' own bookkeeping: listings waiting to be matched, and matches waiting for mail.

`alert_queue` holds one row per listing whose document changed (posted, edited, renewed,
restored, sold, ...) and that the alert run has not matched yet, with the version it must see.
An `after_flush` hook writes it in the transaction of the change itself, so no change can
escape the alerts, whatever happens to a process afterwards. The run takes a row only once the
search index holds that version (indexer/alerts/candidates.py) and deletes it in the same
transaction as the notifications it leads to: a listing indexed late is matched late, never
skipped, and a row is matched once.

`alert_mail_items` are matches whose mail has not gone yet (instant mail waits out its gap,
digests their day or week); the mail step records one mail per saved search and deletes its
items in one transaction.

Bulk writers that bypass the ORM (`manage.py seed`) queue nothing: demo data is not news.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, event, func, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import db, utcnow
from models.listing import Listing

# session.info key: this transaction queued listings (indexer/alerts/trigger.py looks at it).
QUEUED = "alerts.queued"


class AlertQueueEntry(db.Model):
    __tablename__ = "alert_queue"

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    # The listing's newest version not matched yet: the run waits until the index holds it.
    version: Mapped[int] = mapped_column(Integer)
    # When the listing first waited here (a later change keeps it): how long the index lags.
    queued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AlertMailItem(db.Model):
    __tablename__ = "alert_mail_items"

    saved_search_id: Mapped[int] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"), primary_key=True
    )
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def queue_listings(connection: Connection, versions: Iterable[tuple[int, int]]) -> None:
    """Queue (listing id, version) pairs for the alerts; a listing already waiting keeps its
    row and waits for the higher version."""
    rows = [
        {"listing_id": listing_id, "version": version, "queued_at": utcnow()}
        for listing_id, version in versions
    ]
    if not rows:
        return
    on_postgresql = connection.dialect.name == "postgresql"
    table = AlertQueueEntry.__table__
    upsert = (postgresql if on_postgresql else sqlite).insert(table)
    # GREATEST on PostgreSQL is the two-argument MAX of SQLite.
    higher = (func.greatest if on_postgresql else func.max)(
        table.c.version, upsert.excluded.version
    )
    upsert = upsert.on_conflict_do_update(
        index_elements=[table.c.listing_id], set_={"version": higher}
    )
    connection.execute(upsert, rows)


@event.listens_for(Session, "after_flush")
def _queue_changed_listings(session: Session, flush_context) -> None:
    # models.outbox gives every new or changed listing its next version before the flush;
    # a listing whose version moved is a listing whose document changed.
    changed = [
        (obj.id, obj.version)
        for obj in session.new | session.dirty
        if isinstance(obj, Listing) and obj.id is not None and _version_moved(session, obj)
    ]
    if changed:
        queue_listings(session.connection(), changed)
        session.info[QUEUED] = True


def _version_moved(session: Session, listing: Listing) -> bool:
    return listing in session.new or inspect(listing).attrs.version.history.has_changes()
