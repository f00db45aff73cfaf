"""Public profiles, the owner's listing tabs, and editing a profile (with a picture)."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from PIL import Image

from models import ListingStatus, User, db
from tests.helpers import submit


def png(width=300, height=200, color=(200, 30, 30)) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (width, height), color).save(data, "PNG")
    data.seek(0)
    return data


def edit(client, **fields):
    data = {"display_name": "", "bio": "", "location": "", **fields}
    return submit(client, "/me/edit", data, content_type="multipart/form-data")


def fresh(user: User) -> User:
    db.session.refresh(user)
    return user


# The public page


def test_public_profile_shows_who_and_what(client, make_user, make_listing):
    bob = make_user(
        username="bob",
        display_name="Bob the Builder",
        bio="Sells tools.",
        city="Austin",
        state="TX",
        created_at=datetime(2024, 3, 5),
    )
    make_listing(owner=bob, title="Cordless drill")
    make_listing(owner=bob, title="Hidden saw", status=ListingStatus.hidden)
    make_listing(owner=bob, title="Sold ladder", status=ListingStatus.sold)
    make_listing(owner=bob, title="Expired hammer", status=ListingStatus.expired)
    page = client.get("/u/bob").get_data(as_text=True)
    assert "Bob the Builder" in page and "@bob" in page
    assert "Member since March 2024" in page
    assert "Sells tools." in page and "Austin, TX" in page
    assert "Cordless drill" in page
    for private in ("Hidden saw", "Sold ladder", "Expired hammer"):
        assert private not in page
    assert "bob@example.com" not in page  # the address is never shown
    assert 'data-testid="avatar-placeholder"' in page


def test_profile_address_ignores_case(client, make_user):
    make_user(username="Bob")
    assert client.get("/u/bob").status_code == 200
    assert client.get("/u/BOB").status_code == 200


@pytest.mark.parametrize("name", ["nobody", "a" * 200])
def test_unknown_profile_is_404(client, name):
    assert client.get(f"/u/{name}").status_code == 404


def test_disabled_account_has_no_profile(client, make_user):
    make_user(username="bob", active=False)
    assert client.get("/u/bob").status_code == 404


def test_profile_pages_through_many_listings(client, make_user, make_listing):
    bob = make_user(username="bob")
    for n in range(26):
        make_listing(owner=bob, title=f"Thing number {n:02d}")
    first = client.get("/u/bob").get_data(as_text=True)
    second = client.get("/u/bob?page=2").get_data(as_text=True)
    assert "Thing number 25" in first and "Thing number 00" not in first
    assert "Thing number 00" in second and "Thing number 25" not in second
    assert client.get("/u/bob?page=-4").status_code == 200
    assert client.get("/u/bob?page=99999999999999999999").status_code == 200


def test_display_name_and_bio_are_escaped(client, make_user):
    make_user(
        username="bob",
        display_name='<script>alert("x")</script>',
        bio="<img src=x onerror=alert(1)>\n<b>bold</b>",
    )
    page = client.get("/u/bob").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;<br>&lt;b&gt;bold&lt;/b&gt;" in page


# My listings


def test_me_needs_a_login(client):
    assert client.get("/me").status_code == 302


def test_me_tabs(client, make_user, make_listing, login_as):
    bob = login_as(make_user(username="bob"))
    make_listing(owner=bob, title="Active drill")
    hidden = make_listing(owner=bob, title="Hidden saw", status=ListingStatus.hidden)
    make_listing(owner=bob, title="Sold ladder", status=ListingStatus.sold)
    make_listing(owner=bob, title="Expired hammer", status=ListingStatus.expired)
    make_listing(owner=bob, title="Deleted chair", status=ListingStatus.deleted)
    make_listing(title="Someone else's bike")
    active = client.get("/me").get_data(as_text=True)
    assert "Active drill" in active and "Hidden saw" in active
    assert (
        f'data-testid="hidden-note-{hidden.id}">Hidden by the moderators: others cannot see it.'
        in active
    )
    assert "Sold ladder" not in active and "Someone else" not in active
    past = client.get("/me?tab=past").get_data(as_text=True)
    assert "Sold ladder" in past and "Expired hammer" in past
    assert "Active drill" not in past and "Deleted chair" not in past
    assert "Deleted chair" not in active
    assert client.get("/me?tab=bogus").status_code == 200


# Editing


def test_edit_needs_a_login(client):
    response = client.get("/me/edit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_edit_profile_text_and_place(client, make_user, login_as):
    bob = login_as(make_user(username="bob"))
    response = edit(client, display_name="  Bob B.  ", bio="Hello\r\nthere", location="94103")
    assert response.status_code == 302 and response.headers["Location"] == "/u/bob"
    fresh(bob)
    assert bob.display_name == "Bob B." and bob.bio == "Hello\nthere"
    assert (bob.zip_code, bob.city, bob.state) == ("94103", "San Francisco", "CA")
    assert bob.latitude == pytest.approx(37.77, abs=0.1)
    assert bob.longitude == pytest.approx(-122.41, abs=0.1)
    form = client.get("/me/edit").get_data(as_text=True)
    assert 'value="94103"' in form and 'value="Bob B."' in form


def test_edit_profile_by_city(client, make_user, login_as):
    bob = login_as(make_user(username="bob"))
    edit(client, location="Austin, TX")
    fresh(bob)
    assert (bob.zip_code, bob.city, bob.state) == (None, "Austin", "TX")
    assert 'value="Austin, TX"' in client.get("/me/edit").get_data(as_text=True)


def test_clearing_the_place(client, make_user, login_as):
    bob = login_as(
        make_user(
            username="bob",
            zip_code="94103",
            city="San Francisco",
            state="CA",
            latitude=37.7,
            longitude=-122.4,
        )
    )
    edit(client, location="")
    fresh(bob)
    assert (bob.zip_code, bob.city, bob.latitude) == (None, None, None)


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("00000", "We don&#39;t know the ZIP code 00000."),
        ("Atlantis, ZZ", "We don&#39;t know a city called"),
    ],
)
def test_unknown_place_is_a_form_error(client, make_user, login_as, location, message):
    bob = login_as(make_user(username="bob"))
    response = edit(client, display_name="Bob", location=location)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert fresh(bob).display_name == ""


def test_bio_is_limited_to_1000_characters(client, make_user, login_as):
    bob = login_as(make_user(username="bob"))
    response = edit(client, bio="x" * 1001)
    assert "At most 1000 characters." in response.get_data(as_text=True)
    assert edit(client, bio="x" * 1000).status_code == 302
    assert len(fresh(bob).bio) == 1000


def test_display_name_is_limited(client, make_user, login_as):
    login_as(make_user(username="bob"))
    assert edit(client, display_name="x" * 61).status_code == 200


def test_display_name_is_one_clean_line(client, make_user, login_as):
    bob = login_as(make_user(username="bob"))
    assert (
        edit(client, display_name="Bob\r\nBcc: x@example.com\x00", location="\t94103").status_code
        == 302
    )
    assert fresh(bob).display_name == "Bob Bcc: x@example.com"
    assert fresh(bob).zip_code == "94103"


def test_avatar_upload_replace_and_remove(app, client, make_user, login_as):
    bob = login_as(make_user(username="bob"))
    media_root = app.extensions["settings"].MEDIA_ROOT
    assert edit(client, avatar=(png(), "me.png")).status_code == 302
    first = fresh(bob).avatar_key
    assert first and list(media_root.rglob(f"{first}-*.jpg"))
    page = client.get("/u/bob").get_data(as_text=True)
    assert f'src="/media/{first}/thumb"' in page
    assert client.get(f"/media/{first}/thumb").status_code == 200

    edit(client, avatar=(png(color=(0, 0, 255)), "new.png"))
    second = fresh(bob).avatar_key
    assert second != first
    assert not list(media_root.rglob(f"{first}-*")), "the old picture is deleted"

    edit(client, remove_avatar="y")
    assert fresh(bob).avatar_key is None
    assert not list(media_root.rglob(f"{second}-*"))


def test_a_non_image_avatar_is_refused(app, client, make_user, login_as):
    bob = login_as(make_user(username="bob"))
    fake = io.BytesIO(b"<?php system($_GET['c']); ?>")
    response = edit(client, display_name="Bob", avatar=(fake, "avatar.png"))
    assert response.status_code == 200
    assert "not a picture we can read" in response.get_data(as_text=True)
    fresh(bob)
    assert bob.avatar_key is None and bob.display_name == ""
    assert not list(app.extensions["settings"].MEDIA_ROOT.rglob("*.jpg"))


def test_editing_without_a_new_picture_keeps_the_old_one(client, make_user, login_as):
    bob = login_as(make_user(username="bob"))
    edit(client, avatar=(png(), "me.png"))
    key = fresh(bob).avatar_key
    edit(client, display_name="Bob")
    assert fresh(bob).avatar_key == key
