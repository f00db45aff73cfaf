"""After a commit, hand the ids of the listings it changed to the indexer.

models.outbox collects the ids during the flushes (`session.info[CHANGED_LISTINGS]`); only
once the transaction has committed are they sent, so a worker never looks for a row that is
not there yet, and a request that writes never waits for Elasticsearch. A rolled-back
transaction sends nothing. A message lost here is only a delay: the outbox relay sends every
entry still pending.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from indexer.celery_app import enqueue
from indexer.pipeline import sync_listings
from models.outbox import CHANGED_LISTINGS

# Listings per task: a category renamed or an account disabled can change thousands at once.
CHUNK = 500


@event.listens_for(Session, "after_commit")
def _send_changed_listings(session: Session) -> None:
    ids = session.info.pop(CHANGED_LISTINGS, None)
    if not ids:
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        if not enqueue(sync_listings, ordered[start : start + CHUNK]):
            return  # the broker is down: the relay will carry them all when it is back


@event.listens_for(Session, "after_rollback")
def _forget_changed_listings(session: Session) -> None:
    session.info.pop(CHANGED_LISTINGS, None)
