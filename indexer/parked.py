"""Parked outbox entries: shown, and put back in the queue once their cause is fixed.

The sync parks an entry after MAX_ATTEMPTS refusals (indexer.sync), keeping its last error, so
that one poison listing never holds up the rest. Parking is for a person to look at: the cause
is usually a mapping that refuses a value, fixed by a new mapping (`manage.py reindex`) or by
correcting the listing. `manage.py retry-parked` then hands the entries back to the relay with
a fresh count of attempts.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import Session

from models import OutboxEntry


def parked_entries(session: Session, listing_ids: Collection[int] = ()) -> list[OutboxEntry]:
    """The parked entries (of these listings, if any are named), oldest first."""
    return list(
        session.scalars(select(OutboxEntry).where(_parked(listing_ids)).order_by(OutboxEntry.id))
    )


def retry_parked(session: Session, listing_ids: Collection[int] = ()) -> int:
    """Put the parked entries (of these listings) back in the queue, in the caller's
    transaction; returns how many. Their last error stays until a new attempt replaces it."""
    result = session.execute(
        update(OutboxEntry)
        .where(_parked(listing_ids))
        .values(parked_at=None, attempts=0)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _parked(listing_ids: Collection[int]) -> ColumnElement[bool]:
    condition = and_(OutboxEntry.processed_at.is_(None), OutboxEntry.parked_at.is_not(None))
    if listing_ids:
        condition = and_(condition, OutboxEntry.listing_id.in_(sorted(set(listing_ids))))
    return condition
