"""`manage.py reconcile`: find where the live index disagrees with the database, and repair it.

The comparison streams both sides in id order (indexer.compare) and looks at each batch of
candidates again before believing them, so a change still on its way through the pipeline is
not reported. Repairs go through the outbox wherever a listing row exists, so the relay does the
writing with its usual versioning and bookkeeping:

- missing, stale: an outbox entry for the listing's current version;
- diverged (the index holds a newer version than the row, e.g. after a database restore, or the
  same version with another status): the row's version is moved past the index's, through the
  ORM, whose flush hook writes the outbox entry, so the next write wins;
- extra (no listing row at all): there is nothing to queue, so the document is deleted from
  every index writes go to.

With `send_now`, the repaired listings are also written to the index directly, for a site whose
worker is not running.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from elasticsearch import Elasticsearch
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from indexer import bulk, compare, listing_source
from indexer.compare import Difference, Kind
from models import Listing, OutboxEntry, OutboxOp
from search import answers
from search.index import indices_behind, read_alias, write_targets
from settings import Settings

BATCH = 1_000  # candidates looked at again, and repaired, together


class NoLiveIndex(Exception):
    """The read alias names no index: there is nothing to reconcile (run reindex)."""


@dataclass
class ReconcileReport:
    index: str = ""
    listings: int = 0
    documents: int = 0
    found: Counter = field(default_factory=Counter)  # differences by kind
    queued: int = 0  # outbox entries written
    bumped: int = 0  # listings whose version moved past the index's
    deleted: int = 0  # documents without a listing, deleted
    sent: bulk.BulkOutcome | None = None

    @property
    def differences(self) -> int:
        return sum(self.found.values())


def reconcile(
    es: Elasticsearch,
    engine: Engine,
    settings: Settings,
    *,
    repair: bool = True,
    send_now: bool = False,
    on_difference: Callable[[Difference], None] = lambda difference: None,
) -> ReconcileReport:
    """Compare the live index with the database; repair what differs unless `repair` is off."""
    live = indices_behind(es, read_alias(settings))
    if not live:
        raise NoLiveIndex(f"No index behind the alias {read_alias(settings)!r}: run reindex.")
    report = ReconcileReport(index=live[0])
    with Session(engine) as stream, Session(engine) as work:
        rows = compare.Counted(compare.database_entries(stream))
        docs = compare.Counted(compare.index_entries(es, report.index))
        for candidates in compare.batches(compare.differences(rows, docs), BATCH):
            confirmed = compare.recheck(es, work, report.index, candidates)
            for difference in confirmed:
                report.found[difference.kind] += 1
                on_difference(difference)
            if repair and confirmed:
                _repair(es, work, settings, confirmed, report, send_now)
        report.listings, report.documents = rows.count, docs.count
    return report


def _repair(
    es: Elasticsearch,
    session: Session,
    settings: Settings,
    confirmed: list[Difference],
    report: ReconcileReport,
    send_now: bool,
) -> None:
    by_kind = {kind: [d for d in confirmed if d.kind is kind] for kind in Kind}
    for difference in by_kind[Kind.missing] + by_kind[Kind.stale]:
        session.add(
            OutboxEntry(
                listing_id=difference.listing_id,
                version=difference.db.version,
                op=OutboxOp.upsert,
            )
        )
        report.queued += 1
    diverged = {d.listing_id: d.index.version for d in by_kind[Kind.diverged]}
    for listing in session.scalars(select(Listing).where(Listing.id.in_(diverged))):
        # Marked changed, the row gets its next version and an outbox entry from the flush
        # hook (models.outbox), one above the index's.
        listing.version = max(listing.version, diverged[listing.id])
        flag_modified(listing, "title")
        report.bumped += 1
    report.queued += len(diverged)
    session.commit()
    if not (by_kind[Kind.extra] or send_now):
        return
    targets = write_targets(es, settings)
    extra = [d.listing_id for d in by_kind[Kind.extra]]
    if extra:
        outcome = bulk.send(es, bulk.delete_actions(extra, targets))
        report.deleted += outcome.done // max(1, len(targets))
    if send_now:
        ids = [d.listing_id for d in confirmed if d.kind is not Kind.extra]
        outcome = bulk.send(es, bulk.index_actions(listing_source.by_ids(session, ids), targets))
        report.sent = report.sent or bulk.BulkOutcome()
        report.sent.add(outcome)
    answers.index_changed(settings)
