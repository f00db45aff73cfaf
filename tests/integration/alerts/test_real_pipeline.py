"""The alerts on the index pipeline alone (no stand-in): listings reach Elasticsearch through
the outbox, its after-commit sync and its relay, as documents that carry the row's version; the
alert run matches a listing only once the index holds the version its queue entry waits for.

Documents the pipeline writes become searchable at the index's next refresh (a second); the
tests refresh before each run instead of waiting for it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from indexer import dispatch
from indexer.pipeline import relay_outbox
from models import AlertQueueEntry, db
from search import index
from tests.index_helpers import document, pending_entries
from tests.integration.alerts.conftest import alerted

# The pipeline manages this module's index (see conftest.index_follows_commits).
OWN_INDEX = True


@pytest.fixture
def es(app, listing_index):
    return index.get_client(app.extensions["settings"])


@pytest.fixture
def alias(app) -> str:
    return index.read_alias(app.extensions["settings"])


@pytest.fixture
def refreshed_run(es, alias, run):
    """An alert cycle after the index's refresh: it sees what the pipeline has written."""

    def cycle():
        es.indices.refresh(index=alias)
        return run()

    return cycle


def queued() -> list[tuple[int, int]]:
    db.session.expire_all()
    return [(q.listing_id, q.version) for q in db.session.query(AlertQueueEntry)]


def test_a_listing_the_pipeline_indexed_is_alerted_once(
    save_search, make_listing, refreshed_run, es, alias
):
    search = save_search("q=road bike&max_price=300")
    listing = make_listing()

    assert pending_entries(db.session) == 0, "the after-commit sync carried it"
    assert document(es, alias, listing.id)["version"] == 1
    first, second = refreshed_run(), refreshed_run()

    assert (first.matched_listings, first.notifications) == (1, 1)
    assert second.notifications == 0
    assert alerted(search) == [listing.id] and queued() == []


def test_a_price_drop_whose_sync_was_lost_is_alerted_once_the_relay_carries_it(
    save_search, make_listing, refreshed_run, es, alias
):
    search = save_search("q=road bike&max_price=300")
    listing = make_listing(price_minor=40_000)  # too dear
    refreshed_run()
    assert alerted(search) == []

    event.remove(Session, "after_commit", dispatch._send_changed_listings)  # the message lost
    try:
        listing.price_minor = 25_000
        db.session.commit()
    finally:
        event.listen(Session, "after_commit", dispatch._send_changed_listings)
    assert pending_entries(db.session) == 1
    assert document(es, alias, listing.id)["version"] == 1  # the index still says 400

    stale = refreshed_run()
    assert (stale.waiting, stale.matched_listings) == (1, 0)
    assert alerted(search) == [] and queued() == [(listing.id, 2)]

    relay_outbox()  # Celery beat's relay, every 2 s
    assert pending_entries(db.session) == 0
    assert document(es, alias, listing.id)["version"] == 2

    caught, again = refreshed_run(), refreshed_run()
    assert caught.notifications == 1 and again.notifications == 0
    assert alerted(search) == [listing.id] and queued() == []


def test_the_listings_of_a_re_enabled_account_are_alerted_when_back_in_search(
    save_search, make_listing, make_user, refreshed_run, es, alias
):
    search = save_search("q=road bike&max_price=300")
    seller = make_user(active=False)  # disabled before posting: its listing is out of search
    listing = make_listing(owner=seller)
    assert refreshed_run().notifications == 0

    seller.active = True  # the outbox hook bumps the listing's version in SQL
    db.session.commit()
    assert queued() == [(listing.id, 2)]
    assert document(es, alias, listing.id)["owner_active"] is True
    assert refreshed_run().notifications == 1
    assert alerted(search) == [listing.id]
