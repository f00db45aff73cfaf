"""Fixtures of the alert tests: saving searches, running a cycle, reading what it recorded.

Listings reach Elasticsearch after each commit, through the index pipeline (its tasks run
in-process) and the tests' `index_follows_commits` stand-in, which writes the same documents and
makes them searchable at once. A test that needs the index to lag asks for `index_lags`: both
stop, as when the after-commit message is lost and the relay has not run yet; `index_now` then
carries the listings' pending outbox entries with the pipeline's own code.
test_real_pipeline.py runs the alerts on the pipeline alone.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from indexer import dispatch
from indexer.alerts.run import RunReport, run_alerts
from indexer.alerts.searches import read_query
from indexer.sync import carry
from models import (
    AlertFrequency,
    Listing,
    Notification,
    OutboxEntry,
    OutgoingMail,
    SavedSearch,
    db,
)
from models.outbox import pending
from search import index


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
    """From here on committed listings reach the index only through `index_now`: the stand-in
    stops, and so does the pipeline's after-commit sync (its message is lost; the outbox
    entries stay pending)."""
    index_follows_commits.stop()
    event.remove(Session, "after_commit", dispatch._send_changed_listings)
    yield
    event.listen(Session, "after_commit", dispatch._send_changed_listings)
    index_follows_commits.start()  # so that the fixture's own teardown finds it running


@pytest.fixture
def index_now(app):
    """Carry the pending outbox entries of `listings` into the index (the late pipeline), and
    make them searchable."""

    def write(*listings: Listing) -> None:
        ids = [listing.id for listing in listings]
        db.session.commit()
        with app.app_context():
            settings = app.extensions["settings"]
            es = index.get_client(settings)
            entries = db.session.scalars(
                select(OutboxEntry).where(pending(), OutboxEntry.listing_id.in_(ids))
            ).all()
            assert entries, "nothing waits for the index"
            carry(es, settings, db.session, list(entries))
            es.indices.refresh(index=index.read_alias(settings))
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
