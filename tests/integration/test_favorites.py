"""Favourites: saving and removing from the listing page and from cards, and the favourites page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Favorite, ListingStatus, db
from tests.helpers import submit


@pytest.fixture
def buyer(make_user, login_as):
    return login_as(make_user(username="buyer"))


def saved_ids(user) -> list[int]:
    return list(db.session.scalars(select(Favorite.listing_id).where(Favorite.user_id == user.id)))


def test_save_and_remove_from_the_listing_page(client, buyer, make_listing):
    listing = make_listing()
    page = f"/listings/{listing.id}"
    assert "Save to favourites" in client.get(page).get_data(as_text=True)

    response = submit(client, f"{page}/favorite", {"next": page}, form_url=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    assert saved_ids(buyer) == [listing.id]
    assert "Saved to favourites" in client.get(page).get_data(as_text=True)

    submit(client, f"{page}/favorite", form_url=page)  # twice is still once
    assert saved_ids(buyer) == [listing.id]

    submit(client, f"{page}/unfavorite", {"next": page}, form_url=page)
    assert saved_ids(buyer) == []


def test_cards_carry_a_heart_that_reflects_the_state(client, buyer, make_listing):
    listing = make_listing()
    home = client.get("/").get_data(as_text=True)
    assert f'action="/listings/{listing.id}/favorite"' in home
    submit(client, f"/listings/{listing.id}/favorite", {"next": "/"}, form_url="/")
    home = client.get("/").get_data(as_text=True)
    assert f'action="/listings/{listing.id}/unfavorite"' in home
    assert "bi-heart-fill" in home


def test_favourites_page_lists_visible_favourites(client, buyer, make_listing):
    kept = make_listing(title="A bike I like")
    sold = make_listing(title="A bike now sold")
    gone = make_listing(title="A bike since deleted")
    for listing in (kept, sold, gone):
        submit(client, f"/listings/{listing.id}/favorite", form_url="/")
    sold.status, gone.status = ListingStatus.sold, ListingStatus.deleted
    db.session.commit()
    html = client.get("/favorites").get_data(as_text=True)
    assert kept.title in html and sold.title in html
    assert gone.title not in html
    assert "Sold" in html


def test_next_cannot_leave_the_site(client, buyer, make_listing):
    listing = make_listing()
    # The same rule as the login page's next (web/navigation.py): browsers drop a tab and read
    # "/\t/evil.example" as "//evil.example".
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "/ /evil.example",
        "javascript:alert(1)",
    ):
        response = submit(
            client, f"/listings/{listing.id}/favorite", {"next": target}, form_url="/"
        )
        assert response.headers["Location"].endswith(f"/listings/{listing.id}")


def test_anonymous_people_are_sent_to_log_in(client, make_listing):
    listing = make_listing()
    # No page gives an anonymous visitor a token for this form; without one it is refused too.
    response = client.post(f"/listings/{listing.id}/favorite")
    assert response.status_code in (302, 400, 401)
    assert db.session.scalar(select(db.func.count()).select_from(Favorite)) == 0
    assert client.get("/favorites").status_code in (302, 401)


def test_an_invisible_listing_cannot_be_saved(client, buyer, make_listing):
    hidden = make_listing(status=ListingStatus.hidden)
    response = submit(client, f"/listings/{hidden.id}/favorite", form_url="/")
    assert response.status_code == 404
    assert saved_ids(buyer) == []


def test_favouriting_needs_the_csrf_token(client, buyer, make_listing):
    listing = make_listing()
    assert client.post(f"/listings/{listing.id}/favorite").status_code == 400
    assert saved_ids(buyer) == []
