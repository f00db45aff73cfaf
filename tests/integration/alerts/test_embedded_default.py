"""The zero-configuration run (SQLite, the embedded search backend, no Redis, no beat) alerts
too: a commit that changes listings runs an alert cycle in-process right after it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_migrate import upgrade

from models import AlertFrequency, Category, Listing, SavedSearch, db, utcnow
from models.category_tree import install_category_tree
from tests.integration.alerts.conftest import alerted


@pytest.fixture
def settings_overrides(tmp_path) -> dict:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path}/classifieds.db",
        "ELASTICSEARCH_URL": None,
        "REDIS_URL": None,
    }


def test_posting_a_listing_alerts_at_once_without_redis_or_elasticsearch(app, make_user, mailbox):
    upgrade()
    install_category_tree(db.session)
    bikes = db.session.query(Category).filter_by(slug="bikes").one()
    buyer, seller = make_user(), make_user()
    search = SavedSearch(
        user=buyer, name="Bikes", query="q=road+bike", frequency=AlertFrequency.instant
    )
    db.session.add(search)
    db.session.commit()

    listing = Listing(
        owner=seller, category=bikes, title="Road bike", description="Fast.",
        price_minor=20_000, city="San Francisco", state="CA", zip_code="94103",
        latitude=37.7725, longitude=-122.4147, expires_at=utcnow() + timedelta(days=30),
    )  # fmt: skip
    db.session.add(listing)
    db.session.commit()  # the alert cycle runs right after this commit, in this process

    db.session.expire_all()
    assert alerted(search) == [listing.id]
    (mail,) = mailbox.wait_for(1)
    assert mail["Subject"] == "New for “Bikes”: Road bike"
    db.engine.dispose()
