"""Which queued listings the alert run may match now: those the search index has caught up with.

A listing waits in `alert_queue` with the version its last change gave it (models/alerts.py).
It is *ready* once searches see that version or a newer one (matching.indexed_documents): then
whatever the saved searches find is what the listing is now. Until then it waits, however
long the index lags (a slow pipeline, Elasticsearch down for an hour): the queue is the
watermark, kept per listing in the database, so a late listing is matched late, never skipped.

A listing whose version never reaches the index (its indexing was given up) would wait for
ever; after GIVE_UP_AFTER it is matched against whatever the index holds of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, tuple_

from indexer.alerts.matching import indexed_documents
from models import AlertQueueEntry, db

GIVE_UP_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Candidate:
    listing_id: int
    version: int


def queued_after(listing_id: int, limit: int) -> list[Candidate]:
    """The next `limit` queued listings after `listing_id`, in id order."""
    rows = db.session.execute(
        select(AlertQueueEntry.listing_id, AlertQueueEntry.version)
        .where(AlertQueueEntry.listing_id > listing_id)
        .order_by(AlertQueueEntry.listing_id)
        .limit(limit)
    )
    return [Candidate(listing_id, version) for listing_id, version in rows]


def ready(candidates: list[Candidate], now: datetime) -> tuple[list[Candidate], dict[int, dict]]:
    """The candidates whose version (or a newer one) searches see now, and those that waited
    longer than GIVE_UP_AFTER; with what searches see of them (matching.indexed_documents)."""
    documents = indexed_documents([c.listing_id for c in candidates])
    seen = {listing_id: int(d["version"]) for listing_id, d in documents.items()}
    late = {c.listing_id for c in candidates if seen.get(c.listing_id, 0) < c.version}
    if late:
        given_up = db.session.scalars(
            select(AlertQueueEntry.listing_id).where(
                AlertQueueEntry.listing_id.in_(late),
                AlertQueueEntry.queued_at <= now - GIVE_UP_AFTER,
            )
        )
        late -= set(given_up)
    kept = [c for c in candidates if c.listing_id not in late]
    return kept, {c.listing_id: documents[c.listing_id] for c in kept if c.listing_id in documents}


def forget(candidates: list[Candidate]) -> None:
    """Take matched candidates off the queue (in the caller's transaction) — each only at the
    version that was matched: a change committed meanwhile has raised it, and stays queued."""
    if not candidates:
        return
    db.session.execute(
        delete(AlertQueueEntry)
        .where(
            tuple_(AlertQueueEntry.listing_id, AlertQueueEntry.version).in_(
                [(c.listing_id, c.version) for c in candidates]
            )
        )
        .execution_options(synchronize_session=False)
    )
