"""Serving stored pictures: /media/<key>/<size>, only to those who may see what they show."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from models import ListingImage, ListingStatus, db
from tests.listing_helpers import picture
from web.media.images import StoredImage, store_image


def _store(app) -> StoredImage:
    data = BytesIO(picture(size=(2000, 1500)))
    return store_image(FileStorage(data, "p.jpg"), app.extensions["settings"].MEDIA_ROOT)


@pytest.fixture
def photo_of(app):
    """Factory: store a picture and make it the photo of `listing`; returns its key."""

    def attach(listing) -> str:
        stored = _store(app)
        listing.images.append(
            ListingImage(storage_key=stored.key, width=stored.width, height=stored.height)
        )
        db.session.commit()
        return stored.key

    return attach


@pytest.fixture
def stored(app, make_listing, photo_of) -> str:
    """The key of a photo of an active listing."""
    return photo_of(make_listing())


@pytest.mark.parametrize(("size", "longest"), [("large", 1600), ("medium", 800), ("thumb", 400)])
def test_photos_of_public_listings_are_cacheable_jpegs(client, stored, size, longest):
    response = client.get(f"/media/{stored}/{size}")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    cache = response.cache_control
    assert cache.public and cache.max_age == 365 * 24 * 3600 and cache.immutable
    # Shared caches keep it briefly only: a listing hidden later must drop out of them soon.
    assert cache.s_maxage == 300
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert max(Image.open(BytesIO(response.data)).size) == longest


def _private(response) -> bool:
    cache = response.cache_control
    return response.status_code == 200 and cache.private and cache.no_store and not cache.public


@pytest.mark.parametrize("status", [ListingStatus.hidden, ListingStatus.expired])
def test_photos_of_hidden_and_expired_listings_only_reach_the_owner_and_admins(
    client, make_listing, make_user, login_as, photo_of, status
):
    listing = make_listing(status=status)
    key = photo_of(listing)
    url = f"/media/{key}/thumb"
    assert client.get(url).status_code == 404
    login_as(make_user())
    assert client.get(url).status_code == 404
    login_as(listing.owner)
    assert _private(client.get(url))
    login_as(make_user(is_admin=True))
    assert _private(client.get(url))


def test_photos_of_deleted_listings_only_reach_admins(
    client, make_listing, make_user, login_as, photo_of
):
    listing = make_listing(status=ListingStatus.deleted)
    url = f"/media/{photo_of(listing)}/large"
    login_as(listing.owner)
    assert client.get(url).status_code == 404
    login_as(make_user(is_admin=True))
    assert _private(client.get(url))


def test_photos_of_a_disabled_sellers_listing_are_not_public(
    client, make_user, make_listing, photo_of
):
    listing = make_listing(owner=make_user(active=False))
    assert client.get(f"/media/{photo_of(listing)}/thumb").status_code == 404


def test_photos_of_sold_listings_stay_public(client, make_listing, photo_of):
    key = photo_of(make_listing(status=ListingStatus.sold))
    assert client.get(f"/media/{key}/thumb").cache_control.public


def test_avatars_are_public_while_their_account_is(app, client, make_user, login_as):
    user = make_user(avatar_key=_store(app).key)
    url = f"/media/{user.avatar_key}/thumb"
    assert client.get(url).cache_control.public
    user.active = False
    db.session.commit()
    assert client.get(url).status_code == 404
    login_as(make_user(is_admin=True))
    assert _private(client.get(url))


def test_a_stored_picture_that_belongs_to_nothing_is_a_404(app, client):
    assert client.get(f"/media/{_store(app).key}/thumb").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/{key}/original",  # not a size we serve
        "/media/{key}/../../secret_key",
        "/media/{upper}/thumb",  # keys are lower-case hex
        "/media/../../etc/passwd/thumb",
        "/media/%2e%2e%2f%2e%2e/thumb",
        "/media/0123456789abcdef0123456789abcdef/thumb",  # well-formed, never stored
        "/media/{key}x/thumb",
        "/media/{key}%0A/thumb",  # a trailing newline
    ],
)
def test_anything_else_is_a_404(client, stored, path):
    url = path.format(key=stored, upper=stored.upper())
    assert client.get(url).status_code == 404
