"""The alerts' own bookkeeping: listings waiting to be matched, and matches waiting for mail.

`alert_queue` holds one row per listing whose document changed (posted, edited, renewed,
restored, sold, ...) and that the alert run has not matched yet, with the version it must see.
Flush hooks write it in the transaction of the change itself, so no change can escape the
alerts, whatever happens to a process afterwards. The run takes a row only once the search
index holds that version (indexer/alerts/candidates.py) and deletes it in the same
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

from models import outbox  # noqa: F401  (its flush hook must be registered before ours)
from models.base import db, utcnow
from models.listing import Listing

# session.info keys: this transaction queued listings (indexer/alerts/trigger.py looks at it);
# the listings a flush changes, from before it to after it.
QUEUED = "alerts.queued"
_CHANGED = "alerts.changed_listings"


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


@event.listens_for(Session, "before_flush")
def _note_changed_listings(session: Session, flush_context, instances) -> None:
    # Runs after models.outbox's hook (imported above, so registered first), which gives every
    # new or changed listing its next version: a listing whose version moved is a listing
    # whose document changed. Ids come only with the flush, so they are read after it.
    noted = session.info.setdefault(_CHANGED, set())
    for obj in session.new | session.dirty:
        if isinstance(obj, Listing) and (
            obj in session.new or inspect(obj).attrs.version.history.has_changes()
        ):
            noted.add(obj)


@event.listens_for(Session, "after_flush")
def _queue_changed_listings(session: Session, flush_context) -> None:
    changed = [(obj.id, obj.version) for obj in session.info.pop(_CHANGED, ()) if obj.id]
    if changed:
        queue_listings(session.connection(), changed)
        session.info[QUEUED] = True


@event.listens_for(Session, "after_rollback")
def _forget_changed_listings(session: Session) -> None:
    session.info.pop(_CHANGED, None)
