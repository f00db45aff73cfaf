"""One alert cycle: match the listings the index has caught up with against every active saved
search, record what is new, then record the alert mail that is due.

    for each batch of queued listings (candidates.py), in id order:
        keep those searches see at their queued version            (candidates.ready)
        run the active saved searches that could match them        (matching.match)
        notifications + mail items for new matches                  (record.record_matches)
        delete their queue rows, at the version matched            (candidates.forget)
        commit                                                      -- all of it, or none
    record the mail that is due                                     (mailing.send_due)

Crash anywhere: before the commit nothing happened and the queue rows are still there; after
it, everything did and the rows are gone. Two runs at once: on PostgreSQL a batch runs only
under a transaction-level advisory lock, so a second run finds it taken and stops at once
(its beat is a minute away); wherever the lock is missing (SQLite) the notifications' unique
key still lets each match in once (record.py).

Search down (SearchUnavailable): the batch rolls back and the run ends; the next one retries.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import asdict, dataclass
from datetime import datetime

from celery import shared_task
from sqlalchemy import func, select

from indexer.alerts import candidates, mailing
from indexer.alerts.matching import SavedQuery, match
from indexer.alerts.record import record_matches
from indexer.alerts.searches import active_queries
from models import db, utcnow
from search.backends import SearchUnavailable

log = logging.getLogger(__name__)

BATCH = 1000  # queued listings matched together
# One number for "the alert run" among PostgreSQL's advisory locks.
LOCK_KEY = zlib.crc32(b"classifieds.alerts.run")


@dataclass
class RunReport:
    matched_listings: int = 0  # taken off the queue
    waiting: int = 0  # queued, but the index has not caught up with them yet
    notifications: int = 0
    mail_items: int = 0
    mails: int = 0
    busy: bool = False  # another run holds the lock
    unavailable: bool = False  # the search backend could not answer

    def as_dict(self) -> dict:
        return asdict(self)


def run_alerts(now: datetime | None = None, batch: int = BATCH) -> RunReport:
    """One whole cycle (see the module's docstring)."""
    now = now or utcnow()
    report = RunReport()
    searches: list[SavedQuery] | None = None  # read once, when a first batch is ready
    after = 0
    while True:
        if not _lock():
            report.busy = True
            db.session.rollback()
            return report
        queued = candidates.queued_after(after, batch)
        if not queued:
            db.session.rollback()
            break
        after = queued[-1].listing_id
        try:
            ready, documents = candidates.ready(queued, now)
            if documents and searches is None:
                searches = active_queries()
            found = match(searches or [], documents)
        except SearchUnavailable as error:
            db.session.rollback()
            log.warning("Alerts wait for search to come back: %s", error)
            report.unavailable = True
            return report
        recorded = record_matches(found, now)
        candidates.forget(ready)
        db.session.commit()
        report.matched_listings += len(ready)
        report.waiting += len(queued) - len(ready)
        report.notifications += recorded.notifications
        report.mail_items += recorded.mail_items
    report.mails = mailing.send_due(now)
    return report


def _lock() -> bool:
    """Take the run's lock for the current transaction (PostgreSQL); True where there is none."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.scalar(select(func.pg_try_advisory_xact_lock(LOCK_KEY))))


@shared_task(name="indexer.tasks.run_alerts", acks_late=True)
def run_alerts_task() -> dict:
    """The periodic alert cycle (Celery beat, every minute). Safe to repeat or overlap."""
    report = run_alerts()
    if report.matched_listings or report.mails or report.waiting:
        log.info("Alerts: %s", report.as_dict())
    return report.as_dict()
