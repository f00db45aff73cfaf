"""What an alert run finds, on Elasticsearch and on the embedded backend alike: the search's
own filters (text with typos, categories, price, radius, facets), never one's own listings,
never a listing that left search, edits that newly match, and each match once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from indexer.notifications import kinds
from indexer.notifications.preferences import set_delivery
from models import (
    AlertFrequency,
    AlertMailItem,
    AlertQueueEntry,
    Condition,
    Delivery,
    ListingImage,
    ListingStatus,
    db,
    utcnow,
)
from tests.integration.alerts.conftest import alert_mails, alerted


@pytest.fixture(params=["elasticsearch", "embedded"])
def settings_overrides(request) -> dict:
    return {} if request.param == "elasticsearch" else {"ELASTICSEARCH_URL": None}


def test_the_search_filters_decide_what_is_alerted(save_search, make_listing, categories, run):
    road_bike = save_search("q=road bike&max_price=300")
    furniture = save_search("category=furniture")
    for_sale_cheap = save_search("category=for-sale&max_price=100")  # a section: its children
    near_oakland = save_search("near=Oakland, CA&radius=5")
    good_with_photo = save_search("condition=good&photo=1")
    typo = save_search("q=bicylce")  # "bicycle", one swap away

    bike = make_listing(title="Road bike, 56 cm frame", price_minor=25_000)
    dear_bike = make_listing(title="Carbon road bike", price_minor=90_000)
    chair = make_listing(
        title="Oak chair", category=categories["furniture"], price_minor=4_000,
        city="Oakland", zip_code="94612", latitude=37.8044, longitude=-122.2712,
        description="Solid oak.",
    )  # fmt: skip
    bicycle = make_listing(
        title="Kids bicycle", price_minor=5_000, condition=Condition.good,
        description="Small bicycle with training wheels.",
    )  # fmt: skip
    bicycle.images.append(ListingImage(storage_key="a" * 32, width=640, height=480))
    db.session.commit()

    report = run()

    assert report.matched_listings == 4 and report.waiting == 0
    assert alerted(road_bike) == [bike.id]  # the dear one is above the maximum
    assert alerted(furniture) == [chair.id]
    assert sorted(alerted(for_sale_cheap)) == sorted([chair.id, bicycle.id])
    assert alerted(near_oakland) == [chair.id]  # San Francisco is 8 miles away
    assert alerted(good_with_photo) == [bicycle.id]
    assert alerted(typo) == [bicycle.id]
    assert dear_bike.id not in alerted(road_bike)


def test_nobody_is_told_of_their_own_listings(save_search, make_listing, make_user, run):
    seller = make_user()
    own = save_search("q=road bike", user=seller)
    someone_else = save_search("q=road bike")
    listing = make_listing(owner=seller)

    run()

    assert alerted(own) == []
    assert alerted(someone_else) == [listing.id]


def test_a_listing_that_left_search_before_the_run_is_not_alerted(save_search, make_listing, run):
    search = save_search("q=road bike")
    sold = make_listing()
    sold.status = ListingStatus.sold
    deleted = make_listing(title="Road bike for parts")
    deleted.status = ListingStatus.deleted
    db.session.commit()

    report = run()

    assert alerted(search) == []
    assert report.matched_listings == 2  # looked at, and let go
    assert db.session.query(AlertQueueEntry).count() == 0


def test_a_price_drop_that_newly_matches_alerts_once(save_search, make_listing, run):
    search = save_search("q=road bike&max_price=300")
    listing = make_listing(price_minor=40_000)
    run()
    assert alerted(search) == []

    listing.price_minor = 28_000  # below the search's maximum now
    db.session.commit()
    run()
    assert alerted(search) == [listing.id]

    listing.title = "Road bike, 56 cm frame, new chain"
    listing.price_minor = 26_000
    db.session.commit()
    run()
    assert alerted(search) == [listing.id], "already alerted: an edit does not alert again"


def test_every_run_alerts_each_match_once(save_search, make_listing, run):
    search = save_search("q=road bike")
    listing = make_listing()

    first, second = run(), run()

    assert alerted(search) == [listing.id]
    assert (first.notifications, second.notifications) == (1, 0)
    assert len(alert_mails(search.user)) == 1


def test_a_paused_search_is_not_run_and_resuming_it_alerts_only_later_changes(
    save_search, make_listing, run
):
    search = save_search("q=road bike")
    search.paused_at = utcnow()
    db.session.commit()
    during = make_listing()
    run()
    assert alerted(search) == []

    search.paused_at = None
    db.session.commit()
    after = make_listing(title="Another road bike")
    run()
    assert alerted(search) == [after.id]
    assert during.id not in alerted(search)


def test_how_people_want_to_be_told(save_search, make_user, make_listing, run):
    mail = save_search("q=road bike")
    app_only = save_search("q=road bike")
    set_delivery(app_only.user_id, kinds.SAVED_SEARCH_MATCH.name, Delivery.app)
    off = save_search("q=road bike")
    set_delivery(off.user_id, kinds.SAVED_SEARCH_MATCH.name, Delivery.off)
    never = save_search("q=road bike", frequency=AlertFrequency.never)
    disabled = save_search("q=road bike", user=make_user(active=False))
    db.session.commit()
    listing = make_listing()

    run()

    assert alerted(mail) == alerted(app_only) == alerted(never) == [listing.id]
    assert alerted(off) == alerted(disabled) == []
    pending = {item.saved_search_id for item in db.session.query(AlertMailItem)}
    assert pending == set() and len(alert_mails(mail.user)) == 1  # instant: mailed already
    assert alert_mails(app_only.user) == alert_mails(never.user) == []


def test_a_search_saved_while_its_match_waits_is_told_of_it(save_search, make_listing, run):
    listing = make_listing()
    search = save_search("q=road bike", frequency=AlertFrequency.daily)

    run(now=utcnow() + timedelta(seconds=1))

    assert alerted(search) == [listing.id]
