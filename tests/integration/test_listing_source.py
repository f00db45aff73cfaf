"""The rows bulk indexing reads (indexer.listing_source) make the same documents as ORM listings."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from indexer import listing_source
from models import Listing, ListingImage, User, db
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
        streamed = {record.id: to_document(record) for record in listing_source.stream_all(session)}
        picked = {r.id: to_document(r) for r in listing_source.by_ids(session, [with_photos.id])}

    assert streamed == expected
    assert picked[with_photos.id]["thumbnail_key"] == "first-photo"
    assert picked[with_photos.id] == expected[with_photos.id]
    assert any(not doc["owner_active"] for doc in streamed.values())
    assert len({doc["category"] for doc in streamed.values()}) > 10
