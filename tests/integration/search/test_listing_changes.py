"""Listings that change after they are found: edited, sold, expired, hidden, deleted, their
owner banned, a photo added. Once the index has caught up (tests/search_helpers.py stands in
for the pipeline), search shows the change, on Elasticsearch and on the embedded backend."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import ListingImage, ListingStatus, db, utcnow
from tests.helpers import submit
from tests.listing_helpers import listing_form

BACKENDS = pytest.mark.parametrize(
    "settings_overrides", [{}, {"ELASTICSEARCH_URL": None}], ids=["elasticsearch", "database"]
)


def found(client, **args) -> list[int]:
    response = client.get("/api/v1/search", query_string=args)
    assert response.status_code == 200, response.get_json()
    return [hit["id"] for hit in response.get_json()["hits"]]


@BACKENDS
def test_an_edited_listing_is_found_by_its_new_words(client, make_listing, login_as, categories):
    listing = make_listing(title="Green velvet sofa", description="Comfy.")
    assert found(client, q="velvet") == [listing.id]
    login_as(listing.owner)
    form = listing_form(categories["furniture"].id, title="Red leather armchair")
    response = submit(client, f"/listings/{listing.id}/edit", form)
    assert response.status_code == 302
    assert found(client, q="velvet") == []
    assert found(client, q="armchairs") == [listing.id]
    assert found(client, category="furniture") == [listing.id]
    assert found(client, category="bikes") == []


@BACKENDS
def test_a_sold_listing_disappears(client, make_listing, login_as):
    listing = make_listing(title="Road bike")
    assert found(client, q="bike") == [listing.id]
    login_as(listing.owner)
    submit(client, f"/listings/{listing.id}/sold", form_url=f"/listings/{listing.id}")
    assert found(client, q="bike") == []
    assert client.get("/api/v1/search").get_json()["total"] == 0


@BACKENDS
@pytest.mark.parametrize(
    "change",
    [
        {"status": ListingStatus.hidden},
        {"status": ListingStatus.deleted},
        {"status": ListingStatus.expired},
        # Past its date but not yet expired by the hourly job: already invisible.
        {"expires_at": "past"},
    ],
    ids=["hidden", "deleted", "expired", "past-its-date"],
)
def test_a_listing_that_stops_being_public_disappears(client, make_listing, change):
    listing = make_listing(title="Road bike")
    kept = make_listing(title="Another road bike")
    assert sorted(found(client, q="bike")) == [listing.id, kept.id]
    for name, value in change.items():
        setattr(listing, name, utcnow() - timedelta(minutes=1) if value == "past" else value)
    db.session.commit()
    assert found(client, q="bike") == [kept.id]
    assert found(client) == [kept.id]


@BACKENDS
def test_a_banned_sellers_listings_disappear(client, make_listing, make_user):
    seller = make_user()
    listing = make_listing(owner=seller)
    assert found(client) == [listing.id]
    seller.active = False
    db.session.commit()
    assert found(client) == []


@BACKENDS
def test_price_and_photo_changes_show_in_filters_and_facets(client, make_listing):
    listing = make_listing(price_minor=25_000)
    assert found(client, max_price="200") == []
    listing.price_minor = 15_000
    db.session.commit()
    assert found(client, max_price="200") == [listing.id]
    assert found(client, photo="1") == []
    listing.images.append(ListingImage(position=0, storage_key="ab" * 32, width=10, height=10))
    db.session.commit()
    assert found(client, photo="1") == [listing.id]
    body = client.get("/api/v1/search").get_json()
    assert body["hits"][0]["thumbnail_url"] == f"/media/{'ab' * 32}/thumb"
    assert body["facets"]["photo"] == [{"value": "1", "count": 1}]


@BACKENDS
def test_pages_list_what_search_finds(client, make_listing, categories):
    shown = make_listing(title="Blue mountain bike")
    hidden = make_listing(title="Hidden scam bike", status=ListingStatus.hidden)
    for path in ("/", "/search?q=bike", "/c/bikes", "/c/for-sale"):
        page = client.get(path).get_data(as_text=True)
        assert f'data-listing-id="{shown.id}"' in page, path
        assert f'data-listing-id="{hidden.id}"' not in page, path
    assert 'data-testid="count-bikes">1<' in client.get("/categories").get_data(as_text=True)
