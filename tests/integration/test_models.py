"""Model constraints, checked by PostgreSQL itself."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from models import (
    Conversation,
    Favorite,
    Listing,
    ListingImage,
    ListingStatus,
    OutboxEntry,
    PriceKind,
    Report,
    ReportReason,
    db,
)


def _fails_to_commit(obj) -> None:
    db.session.add(obj)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_usernames_are_unique_ignoring_case(make_user):
    make_user(username="Alice", email="alice@example.com")
    with pytest.raises(IntegrityError):
        make_user(username="alice", email="other@example.com")


def test_emails_are_unique_ignoring_case(make_user):
    make_user(username="one", email="Same@Example.com")
    with pytest.raises(IntegrityError):
        make_user(username="two", email="same@example.com")


@pytest.mark.parametrize(
    "fields",
    [
        {"price_minor": -1},
        {"price_minor": 10**13},
        {"price_kind": PriceKind.free, "price_minor": 500},
        {"currency": "US"},
        {"latitude": 91.0},
        {"longitude": -181.0},
    ],
)
def test_listing_rejects_impossible_values(make_listing, fields):
    listing = make_listing()
    for name, value in fields.items():
        setattr(listing, name, value)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_listing_needs_an_existing_category(make_listing):
    listing = make_listing()
    listing.category_id = 999_999
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_person_reports_a_listing_once(make_listing, make_user):
    listing, reporter = make_listing(), make_user()
    db.session.add(Report(listing=listing, reporter=reporter, reason=ReportReason.spam))
    db.session.commit()
    _fails_to_commit(Report(listing=listing, reporter=reporter, reason=ReportReason.scam))


def test_favourite_is_unique_per_person_and_listing(make_listing, make_user):
    listing_id, user_id = make_listing().id, make_user().id
    db.session.add(Favorite(user_id=user_id, listing_id=listing_id))
    db.session.commit()
    db.session.expunge_all()  # else the identity map, not the database, catches the duplicate
    _fails_to_commit(Favorite(user_id=user_id, listing_id=listing_id))


def test_one_conversation_per_listing_and_buyer_and_never_with_oneself(make_listing, make_user):
    listing, buyer = make_listing(), make_user()
    db.session.add(Conversation(listing=listing, buyer=buyer, seller=listing.owner))
    db.session.commit()
    _fails_to_commit(Conversation(listing=listing, buyer=buyer, seller=listing.owner))
    _fails_to_commit(Conversation(listing=listing, buyer=listing.owner, seller=listing.owner))


def test_every_change_bumps_the_version_and_writes_an_outbox_entry(make_listing):
    listing = make_listing()
    assert listing.version == 1
    listing.title = "Road bike, repainted"
    db.session.commit()
    listing.status = ListingStatus.sold
    db.session.commit()
    entries = db.session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)).all()
    assert listing.version == 3
    assert [(e.listing_id, e.version) for e in entries] == [
        (listing.id, 1),
        (listing.id, 2),
        (listing.id, 3),
    ]


def test_adding_a_photo_is_a_change_of_the_listing(make_listing):
    listing = make_listing()
    listing.images.append(ListingImage(storage_key="abc123", width=800, height=600))
    db.session.commit()
    assert listing.version == 2
    assert db.session.scalar(select(OutboxEntry.version).order_by(OutboxEntry.id.desc())) == 2


def test_a_change_that_fails_leaves_no_outbox_entry(make_listing):
    listing = make_listing()
    listing.price_minor = -5
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(OutboxEntry.version).order_by(OutboxEntry.id.desc())) == 1


def test_an_edit_of_a_stale_copy_is_refused(make_listing, app):
    listing = make_listing()
    other_session = db.sessionmaker(bind=db.engine)()  # another request, same row
    try:
        stale = other_session.get(Listing, listing.id)
        listing.title = "First edit"
        db.session.commit()
        stale.title = "Second edit, from an old copy"
        with pytest.raises(StaleDataError):
            other_session.commit()
    finally:
        other_session.close()


def test_listings_are_never_deleted_from_the_database(make_listing):
    listing = make_listing()
    db.session.delete(listing)
    with pytest.raises(RuntimeError, match="status=deleted"):
        db.session.flush()
    db.session.rollback()
