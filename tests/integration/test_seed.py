"""`manage.py seed`: valid, varied demo data, announced to the indexer, and safe to run again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import (
    Category,
    Favorite,
    Listing,
    ListingImage,
    ListingStatus,
    OutboxEntry,
    OutboxOp,
    PriceKind,
    User,
    db,
    utcnow,
)
from scripts.seed import seed
from scripts.seed_places import STATES
from scripts.seed_users import DEMO_PASSWORD
from web.media.images import SIZES, image_path

# The 50 states and DC, Hawaii and the Aleutians included.
LATITUDES = (18.9, 71.5)
LONGITUDES = (-179.2, -66.9)


def run_seed(app, *args: str):
    result = app.test_cli_runner().invoke(seed, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


@pytest.fixture
def seeded(app):
    """300 listings with a fixed seed; returns the CLI result."""
    return run_seed(app, "--listings", "300", "--seed", "42")


def listings() -> list[Listing]:
    return list(db.session.scalars(select(Listing)).unique())


def test_seeding_adds_the_requested_listings_and_about_one_user_per_fifteen(seeded):
    assert db.session.scalar(select(func.count(Listing.id))) == 300
    assert db.session.scalar(select(func.count(User.id))) == 300 // 15 + 1  # and the demo account


def test_listings_sit_on_real_us_places(seeded):
    for listing in listings():
        assert LATITUDES[0] <= listing.latitude <= LATITUDES[1], listing.zip_code
        assert LONGITUDES[0] <= listing.longitude <= LONGITUDES[1], listing.zip_code
        assert listing.state in STATES
        assert len(listing.zip_code) == 5 and listing.zip_code.isdigit()
        assert listing.city


def test_listings_use_only_leaf_categories_with_for_sale_ahead_of_gigs(seeded):
    parents = set(
        db.session.scalars(select(Category.parent_id).where(Category.parent_id.is_not(None)))
    )
    sections = {listing.category.parent.slug for listing in listings()}
    assert all(listing.category_id not in parents for listing in listings())
    by_section = {s: sum(1 for x in listings() if x.category.parent.slug == s) for s in sections}
    assert by_section["for-sale"] > 3 * by_section.get("gigs", 0)


def test_prices_agree_with_price_kind_and_category(seeded):
    for listing in listings():
        section = listing.category.parent.slug
        if listing.price_kind is PriceKind.free:
            assert listing.price_minor == 0
            assert listing.category.slug == "free-stuff" or section == "community"
        elif listing.price_kind is PriceKind.salary:
            assert section == "jobs"
            assert 20_000_00 <= listing.price_minor <= 250_000_00  # yearly, in cents
        else:
            assert listing.price_minor > 0
        if section == "jobs":
            assert listing.price_kind is PriceKind.salary
        if listing.category.slug == "cars-and-trucks":
            assert listing.price_minor >= 1_000_00
        assert listing.currency == "USD"


def test_only_goods_and_vehicles_have_a_condition(seeded):
    for listing in listings():
        if listing.category.parent.slug in ("housing", "jobs", "services", "community", "gigs"):
            assert listing.condition is None
        elif listing.category.slug != "tickets":
            assert listing.condition is not None


def test_status_agrees_with_the_expiry_date(seeded):
    now = utcnow()
    statuses = {listing.status for listing in listings()}
    assert {ListingStatus.active, ListingStatus.expired} <= statuses
    for listing in listings():
        assert listing.expires_at - listing.created_at == timedelta(days=30)
        assert listing.created_at >= now - timedelta(days=46)
        if listing.status is ListingStatus.expired:
            assert listing.expires_at <= now
        elif listing.status is ListingStatus.active:
            assert listing.expires_at > now
        else:
            assert listing.status is ListingStatus.sold


def test_every_listing_has_one_outbox_entry_at_version_one(seeded):
    entries = list(db.session.scalars(select(OutboxEntry)))
    assert sorted(e.listing_id for e in entries) == sorted(x.id for x in listings())
    assert {(e.version, e.op, e.processed_at) for e in entries} == {(1, OutboxOp.upsert, None)}
    assert {x.version for x in listings()} == {1}


def test_accounts_are_unique_and_share_one_password_hash(seeded):
    users = list(db.session.scalars(select(User)))
    assert len({u.username.lower() for u in users}) == len(users)
    assert len({u.email.lower() for u in users}) == len(users)
    assert len({u.password_hash for u in users}) == 1  # hashed once, copied to everyone
    demo = next(u for u in users if u.username == "demo")
    assert demo.check_password(DEMO_PASSWORD)


def test_favourites_point_at_other_peoples_listings(seeded):
    favourites = list(db.session.scalars(select(Favorite)))
    assert favourites
    for favourite in favourites:
        assert favourite.listing.owner_id != favourite.user_id
        assert favourite.created_at >= favourite.listing.created_at


def test_progress_and_summary_are_printed(seeded):
    assert "Writing 300 listings" in seeded.output
    assert "Added 21 users, 300 listings (active" in seeded.output
    assert "demo / demo-password-123" in seeded.output
    assert "--seed 42" in seeded.output


def test_running_twice_adds_more_without_clashing_usernames(app):
    run_seed(app, "--listings", "150", "--seed", "7")
    second = run_seed(app, "--listings", "150", "--seed", "7", "--users", "12")

    users = list(db.session.scalars(select(User)))
    assert len(users) == 1 + 10 + 12
    assert len({u.username.lower() for u in users}) == len(users)
    assert db.session.scalar(select(func.count(Listing.id))) == 300
    assert db.session.scalar(select(func.count(OutboxEntry.id))) == 300
    assert "already existed" in second.output


def test_if_empty_seeds_a_new_database_only(app):
    run_seed(app, "--listings", "20", "--if-empty")
    again = run_seed(app, "--listings", "20", "--if-empty")
    assert db.session.scalar(select(func.count(Listing.id))) == 20
    assert "not seeding" in again.output


def test_photos_are_stored_like_uploads_on_goods_vehicles_and_housing(app):
    result = run_seed(app, "--listings", "60", "--seed", "3", "--photos")

    photos = list(db.session.scalars(select(ListingImage)))
    assert photos and f"Stored {len(photos)} photos." in result.output
    media_root = app.extensions["settings"].MEDIA_ROOT
    for photo in photos:
        assert photo.listing.category.parent.slug in ("for-sale", "vehicles", "housing")
        assert (photo.width, photo.height) == (640, 480)
        for size in SIZES:
            assert image_path(media_root, photo.storage_key, size).is_file()
    positions = {}
    for photo in photos:
        positions.setdefault(photo.listing_id, []).append(photo.position)
    assert all(sorted(p) == list(range(len(p))) for p in positions.values())


@pytest.mark.parametrize("settings_overrides", [{"ELASTICSEARCH_URL": None}])
def test_seeded_listings_are_found_by_the_embedded_search(app, client, seeded):
    from models import ListingTerms

    assert db.session.scalar(select(func.count(ListingTerms.listing_id))) == 300
    listing = next(item for item in listings() if item.status is ListingStatus.active)
    query = {"q": listing.title, "per_page": 100}  # every word required: few others match
    body = client.get("/api/v1/search", query_string=query).get_json()
    assert listing.id in [hit["id"] for hit in body["hits"]]
