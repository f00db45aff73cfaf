"""The index lags (a slow pipeline, Elasticsearch down for an hour): a listing indexed after the
run that should have caught it is alerted by the next run, once; one that left search before
the index caught up is not alerted at all."""

from __future__ import annotations

from datetime import timedelta

from models import AlertQueueEntry, ListingStatus, db, utcnow
from tests.integration.alerts.conftest import alert_mails, alerted


def queued() -> list[tuple[int, int]]:
    return [(q.listing_id, q.version) for q in db.session.query(AlertQueueEntry)]


def test_a_listing_indexed_after_a_run_is_alerted_by_the_next_one_once(
    save_search, make_listing, run, index_now, index_lags
):
    search = save_search("q=road bike")
    listing = make_listing()

    missed = run()
    assert (missed.waiting, missed.matched_listings) == (1, 0)
    assert alerted(search) == [] and queued() == [(listing.id, 1)]

    index_now(listing)
    caught = run()
    again = run()

    assert caught.notifications == 1 and again.notifications == 0
    assert alerted(search) == [listing.id]
    assert len(alert_mails(search.user)) == 1
    assert queued() == []


def test_the_run_waits_until_the_index_holds_the_version_that_matches(
    save_search, make_listing, run, index_now, index_lags
):
    search = save_search("q=road bike&max_price=300")
    listing = make_listing(price_minor=40_000)  # too dear
    index_now(listing)
    run()
    listing.price_minor = 25_000
    db.session.commit()

    stale = run()  # the index still says 400
    assert stale.waiting == 1 and alerted(search) == []

    index_now(listing)
    run()
    assert alerted(search) == [listing.id]


def test_a_listing_that_left_search_before_the_index_caught_up_is_not_alerted(
    save_search, make_listing, run, index_now, index_lags
):
    search = save_search("q=road bike")
    listing = make_listing()
    index_now(listing)  # searchable, active, version 1 ...
    listing.status = ListingStatus.sold  # ... and sold before any run: version 2
    db.session.commit()

    first = run()  # the index still shows it active, at version 1
    assert first.waiting == 1 and alerted(search) == []

    index_now(listing)
    second = run()
    assert second.matched_listings == 1 and alerted(search) == []
    assert queued() == []


def test_runs_while_elasticsearch_is_down_lose_nothing(app, save_search, make_listing, run):
    search = save_search("q=road bike")
    listing = make_listing()
    settings = app.extensions["settings"]
    app.extensions["settings"] = settings.model_copy(
        update={"ELASTICSEARCH_URL": "http://127.0.0.1:9"}  # nothing listens there
    )
    try:
        down = run()
    finally:
        app.extensions["settings"] = settings

    assert down.unavailable and alerted(search) == []
    assert queued() == [(listing.id, 1)]

    back = run()
    assert back.notifications == 1 and alerted(search) == [listing.id]


def test_a_listing_the_index_never_gets_stops_waiting_after_a_day(
    save_search, make_listing, run, index_lags
):
    search = save_search("q=road bike")
    make_listing()

    assert run().waiting == 1
    gave_up = run(now=utcnow() + timedelta(days=1, minutes=1))

    assert gave_up.matched_listings == 1 and alerted(search) == []  # nothing in the index
    assert queued() == []
