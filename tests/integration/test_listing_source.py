"""The rows bulk indexing reads (indexer.listing_source) make the same documents as ORM listings."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from indexer import listing_source
from models import Listing, ListingImage, User, db
from models.search_terms import ListingTerms
from search.document import to_document
from tests.index_helpers import seed_listings


def test_a_streamed_record_makes_the_same_document_as_the_orm_listing(app, make_listing):
    seed_listings(app, 120)
    with_photos = make_listing(title="Café racer, two photos")
    for position, key in ((1, "second-photo"), (0, "first-photo")):
        db.session.add(
            ListingImage(listing=with_photos, position=position, storage_key=key, width=1, height=1)
        )
    db.session.commit()
    db.session.execute(update(User).where(User.id % 4 == 0).values(active=False))
    db.session.commit()
    db.session.expire_all()

    expected = {
        listing.id: to_document(listing) for listing in db.session.scalars(select(Listing)).unique()
    }
    with Session(db.engine) as session:
        records = list(listing_source.stream_all(session))
        streamed = {record.id: to_document(record) for record in records}
        picked = {r.id: to_document(r) for r in listing_source.by_ids(session, [with_photos.id])}

    # The records' terms come from listing_terms (the ORM listings' were analysed afresh).
    assert all(record.stored_terms is not None for record in records)
    assert streamed == expected
    assert picked[with_photos.id]["thumbnail_key"] == "first-photo"
    assert picked[with_photos.id] == expected[with_photos.id]
    assert any(not doc["owner_active"] for doc in streamed.values())
    assert len({doc["category"] for doc in streamed.values()}) > 10


def test_a_listing_without_stored_terms_is_analysed_instead(app, make_listing):
    listing = make_listing(title="Vintage café chairs", description="Four of them, like new.")
    db.session.execute(delete(ListingTerms).where(ListingTerms.listing_id == listing.id))
    db.session.commit()
    expected = to_document(db.session.get(Listing, listing.id))

    with Session(db.engine) as session:
        (record,) = listing_source.by_ids(session, [listing.id])

    assert record.stored_terms is None
    assert to_document(record) == expected
    assert expected["text_terms"] == "vintag cafe chair four of them like new"
