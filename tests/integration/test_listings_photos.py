"""Photos on listings: uploading with a new listing, adding, removing and reordering on edit."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Listing, ListingImage, db
from tests.helpers import submit
from tests.listing_helpers import listing_form, picture, upload


@pytest.fixture
def seller(make_user, login_as):
    return login_as(make_user(username="seller"))


def media_files(app) -> list[Path]:
    return sorted(Path(app.extensions["settings"].MEDIA_ROOT).rglob("*.jpg"))


def post(client, data: dict):
    return submit(client, "/listings/new", data, content_type="multipart/form-data")


def edit(client, listing: Listing, categories, **fields):
    data = listing_form(categories["bikes"].id, **fields)
    return submit(client, f"/listings/{listing.id}/edit", data, content_type="multipart/form-data")


def newest() -> Listing | None:
    return db.session.scalars(select(Listing).order_by(Listing.id.desc())).first()


def test_post_with_photos_shows_a_gallery(app, client, categories, seller):
    photos = [
        upload(picture(size=(1200, 900)), "one.jpg"),
        upload(picture("PNG", (300, 300), (0, 0, 255)), "two.png"),
    ]
    response = post(client, listing_form(categories["bikes"].id, photos=photos))
    assert response.status_code == 302
    listing = newest()
    assert [image.position for image in listing.images] == [0, 1]
    assert (listing.images[0].width, listing.images[0].height) == (1200, 900)
    assert len(media_files(app)) == 6  # three sizes each
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    for image in listing.images:
        assert f"/media/{image.storage_key}/large" in page
        assert f"/media/{image.storage_key}/thumb" in page
    assert "js/listing-gallery.js" in page
    card_page = client.get("/").get_data(as_text=True)
    assert f"/media/{listing.images[0].storage_key}/thumb" in card_page


def test_a_file_that_is_not_a_picture_is_a_form_error(app, client, categories, seller):
    photos = [upload(picture(), "good.jpg"), upload(b"#!/bin/sh\necho hi\n" * 20, "evil.jpg")]
    response = post(client, listing_form(categories["bikes"].id, photos=photos))
    assert response.status_code == 400
    assert "evil.jpg: That file is not a picture" in response.get_data(as_text=True)
    assert newest() is None
    assert media_files(app) == []  # the good one stored first is gone again


@pytest.mark.parametrize("settings_overrides", [{"MAX_UPLOAD_MB": 1}])
def test_a_picture_above_the_size_limit_is_a_form_error(app, client, categories, seller):
    oversized = picture("PNG", (64, 64)) + os.urandom(2**20)
    response = post(
        client, listing_form(categories["bikes"].id, photos=[upload(oversized, "big.png")])
    )
    assert response.status_code == 400
    assert "larger than 1 MB" in response.get_data(as_text=True)
    assert newest() is None


def test_a_decompression_bomb_is_a_form_error(app, client, categories, seller):
    from tests.unit.test_images import png_header_only

    bomb = upload(png_header_only(30_000, 30_000), "bomb.png")
    response = post(client, listing_form(categories["bikes"].id, photos=[bomb]))
    assert response.status_code == 400
    assert "too many pixels" in response.get_data(as_text=True)


@pytest.mark.parametrize("settings_overrides", [{"MAX_PHOTOS_PER_LISTING": 2}])
def test_photo_count_is_capped(app, client, categories, seller):
    photos = [upload(picture(), f"{n}.jpg") for n in range(3)]
    response = post(client, listing_form(categories["bikes"].id, photos=photos))
    assert response.status_code == 400
    assert "at most 2 photos" in response.get_data(as_text=True)
    assert media_files(app) == []


@pytest.mark.parametrize("settings_overrides", [{"MAX_PHOTOS_PER_LISTING": 2}])
def test_edit_counts_kept_photos_against_the_cap(app, client, categories, seller):
    post(
        client, listing_form(categories["bikes"].id, photos=[upload(picture()), upload(picture())])
    )
    listing = newest()
    response = edit(client, listing, categories, photos=[upload(picture())])
    assert response.status_code == 400
    assert "you can add 0 more" in response.get_data(as_text=True)
    # Removing one makes room for one.
    response = edit(
        client,
        listing,
        categories,
        photos=[upload(picture())],
        remove_photos=[str(listing.images[0].id)],
    )
    assert response.status_code == 302


def test_edit_adds_removes_and_reorders_photos(app, client, categories, seller):
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    post(
        client,
        listing_form(
            categories["bikes"].id,
            photos=[upload(picture(color=c), f"{n}.jpg") for n, c in enumerate(colours)],
        ),
    )
    listing = newest()
    first, second, third = listing.images
    removed_key = first.storage_key

    response = edit(
        client,
        listing,
        categories,
        remove_photos=[str(first.id)],
        cover_photo=str(third.id),
        photos=[upload(picture(), "new.jpg")],
    )

    assert response.status_code == 302
    db.session.expire_all()
    images = db.session.scalars(
        select(ListingImage)
        .where(ListingImage.listing_id == listing.id)
        .order_by(ListingImage.position)
    ).all()
    assert [image.id for image in images[:2]] == [third.id, second.id]
    assert [image.position for image in images] == [0, 1, 2]
    assert removed_key not in " ".join(str(path) for path in media_files(app))
    assert len(media_files(app)) == 9
    assert client.get(f"/media/{removed_key}/thumb").status_code == 404


def test_edit_form_lists_existing_photos(client, categories, seller):
    post(client, listing_form(categories["bikes"].id, photos=[upload(picture())]))
    listing = newest()
    html = client.get(f"/listings/{listing.id}/edit").get_data(as_text=True)
    assert re.search(rf'name="remove_photos"[^>]*value="{listing.images[0].id}"', html)
    assert f"/media/{listing.images[0].storage_key}/thumb" in html


def test_someone_elses_photo_id_cannot_be_removed(client, categories, seller, make_user, login_as):
    post(client, listing_form(categories["bikes"].id, photos=[upload(picture())]))
    theirs = newest()
    mine_owner = make_user()
    login_as(mine_owner)
    post(client, listing_form(categories["bikes"].id))
    mine = newest()
    response = edit(client, mine, categories, remove_photos=[str(theirs.images[0].id)])
    assert response.status_code == 400
    db.session.expire_all()
    assert len(db.session.get(Listing, theirs.id).images) == 1


@pytest.mark.parametrize("settings_overrides", [{"MAX_UPLOAD_MB": 1, "MAX_PHOTOS_PER_LISTING": 1}])
def test_a_request_above_the_total_upload_limit_is_a_413_page(app, client, categories, seller):
    huge = upload(os.urandom(3 * 2**20), "huge.jpg")
    response = post(client, listing_form(categories["bikes"].id, photos=[huge]))
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert newest() is None
