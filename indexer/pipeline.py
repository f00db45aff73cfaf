"""The index pipeline's Celery tasks: sync after a commit, the relay, and pruning the outbox.

- `sync_listings(ids)`: sent after each commit that changed listings (indexer.dispatch); it
  carries those listings and, up to a batch, the oldest other pending entries, so tasks queued
  behind a busy worker collapse into one bulk request. It may be lost (Redis down, worker
  killed): the relay picks up whatever it left.
- `relay_outbox()`: Celery beat every 2 s; carries every pending entry, oldest first. Its
  beat messages expire, so a worker that was away does not come back to a queue of stale
  relays; two relays at once share the work (SKIP LOCKED) instead of fighting over it.
- `prune_outbox()`: hourly; deletes entries processed longer ago than OUTBOX_RETENTION_DAYS.

The outbox is the retry mechanism: a task never re-queues itself. While Elasticsearch is
unreachable each process backs off (1 s, doubling up to 30 s) and both tasks return at once,
so a dead server costs one failed connection per back-off period, not one per write.
Without ELASTICSEARCH_URL every task returns at once: nothing is waited for.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from time import monotonic

from celery import shared_task
from flask import current_app

from indexer import sync
from models import db
from search.index import ensure_index, get_client
from settings import Settings

log = logging.getLogger(__name__)


class Backoff:
    """Wait before trying a server again after failures: `base` seconds, doubling to `cap`."""

    def __init__(self, base: float = 1.0, cap: float = 30.0) -> None:
        self.base, self.cap = base, cap
        self.failures = 0
        self.until = 0.0

    def ready(self) -> bool:
        return monotonic() >= self.until

    def failed(self) -> float:
        self.failures += 1
        delay = min(self.cap, self.base * 2 ** (self.failures - 1))
        self.until = monotonic() + delay
        return delay

    def succeeded(self) -> None:
        self.failures, self.until = 0, 0.0


_backoffs: dict[str, Backoff] = {}
_last_no_index_warning = 0.0


def _backoff(settings: Settings) -> Backoff:
    # One per server: a process (a test run) may talk to several.
    return _backoffs.setdefault(str(settings.ELASTICSEARCH_URL), Backoff())


def _settings() -> Settings:
    return current_app.extensions["settings"]


def _run(work, settings: Settings) -> dict:
    """Run `work(es)` unless backing off; record the outcome in the back-off."""
    backoff = _backoff(settings)
    if not backoff.ready():
        return {"skipped": "elasticsearch unavailable; backing off"}
    try:
        result = work(get_client(settings))
    except sync.IndexUnavailable as exc:
        delay = backoff.failed()
        log.warning("Elasticsearch unavailable (%s); next try in %.0f s", exc, delay)
        return {"skipped": str(exc)[:300]}
    backoff.succeeded()
    return result.as_dict()


@shared_task(name="indexer.tasks.sync_listings", acks_late=True)
def sync_listings(listing_ids: list[int]) -> dict:
    """Carry the pending outbox entries of these listings into the index."""
    settings = _settings()
    if settings.ELASTICSEARCH_URL is None:
        return {}
    return _run(lambda es: sync.sync_listings(es, settings, db.session, listing_ids), settings)


@shared_task(name="indexer.tasks.relay_outbox", acks_late=True)
def relay_outbox() -> dict:
    """Carry every pending outbox entry, oldest first (Celery beat, every 2 s)."""
    settings = _settings()
    if settings.ELASTICSEARCH_URL is None:
        return {}

    def relay(es) -> sync.SyncResult:
        result = sync.relay_pending(es, settings, db.session)
        if result.no_index and _bootstrap(es, settings):
            result = sync.relay_pending(es, settings, db.session)
        if result.done or result.parked or result.refused:
            log.info("Outbox relay: %s", result.as_dict())
        return result

    return _run(relay, settings)


def _bootstrap(es, settings: Settings) -> bool:
    """Create the first, empty index when that loses nothing: when every listing still has a
    pending entry (a new site, or one seeded but never indexed). Otherwise an empty index would
    hide listings whose entries are long done, and only a rebuild will do."""
    global _last_no_index_warning
    if not sync.unindexed_listings_exist(db.session):
        db.session.rollback()
        name = ensure_index(es, settings)
        log.info("Created the first search index %s; the relay fills it from the outbox", name)
        return True
    db.session.rollback()
    if monotonic() - _last_no_index_warning > 60:
        _last_no_index_warning = monotonic()
        log.warning(
            "No search index behind %s-write and some listings have no pending outbox entry: "
            "run `manage.py reindex` to build one",
            settings.ELASTICSEARCH_INDEX,
        )
    return False


@shared_task(name="indexer.tasks.prune_outbox", acks_late=True)
def prune_outbox() -> dict:
    """Delete outbox entries processed more than OUTBOX_RETENTION_DAYS ago (hourly)."""
    settings = _settings()
    retention = timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    removed = sync.prune_processed(db.session, retention)
    if removed:
        log.info("Outbox: pruned %d processed entries", removed)
    return {"pruned": removed}
