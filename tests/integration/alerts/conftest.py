"""Fixtures of the alert tests: saving searches, running a cycle, reading what it recorded.

Listings reach Elasticsearch through the `index_follows_commits` stand-in for the pipeline
(tests/search_helpers.py); a test that needs the index to lag asks for `index_lags` and writes
the documents itself, later, with `index_now`.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from indexer.alerts.run import RunReport, run_alerts
from indexer.alerts.searches import read_query
from models import AlertFrequency, Listing, Notification, OutgoingMail, SavedSearch, db
from search import index
from tests.search_helpers import index_listings


@pytest.fixture
def save_search(app, categories, make_user):
    """Factory: `save_search("q=bike&max_price=300", user=..., frequency=...)` -> SavedSearch,
    stored in canonical form as the results page saves it."""

    def save(query: str, user=None, frequency=AlertFrequency.instant, name=None) -> SavedSearch:
        parsed = read_query(query)
        assert not parsed.errors, parsed.errors
        search = SavedSearch(
            user=user or make_user(),
            name=name or f"Search {query}",
            query=parsed.search_url_query(),
            frequency=frequency,
        )
        db.session.add(search)
        db.session.commit()
        return search

    return save


@pytest.fixture
def run(app):
    """Run one alert cycle (optionally as if at `now`) in a session of its own, as a worker
    would."""

    def cycle(now: datetime | None = None) -> RunReport:
        db.session.commit()
        with app.app_context():  # a session of its own, as in a worker
            report = run_alerts(now=now)
        db.session.expire_all()
        return report

    return cycle


@pytest.fixture
def index_lags(index_follows_commits):
    """From here on committed listings reach the index only through `index_now`."""
    index_follows_commits.stop()
    yield
    index_follows_commits.start()  # so that the fixture's own teardown finds it running


@pytest.fixture
def index_now(app):
    """Write the current documents of `listings` into the index at once (the late pipeline)."""

    def write(*listings: Listing) -> None:
        ids = [listing.id for listing in listings]
        db.session.commit()
        with app.app_context():
            fresh = db.session.scalars(select(Listing).where(Listing.id.in_(ids))).all()
            settings = app.extensions["settings"]
            index_listings(index.get_client(settings), settings, fresh)
        db.session.expire_all()

    return write


def alerted(search: SavedSearch) -> list[int]:
    """The listing ids the search's owner was notified of for `search`, oldest first."""
    return list(
        db.session.scalars(
            select(Notification.listing_id)
            .where(Notification.saved_search_id == search.id)
            .order_by(Notification.id)
        )
    )


def alert_mails(user) -> list[OutgoingMail]:
    return list(
        db.session.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.user_id == user.id, OutgoingMail.kind == "saved_search_match")
            .order_by(OutgoingMail.id)
        )
    )
