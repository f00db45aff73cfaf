"""Every paginated list pages the same way (web.pagination): "Page n of m", and no "Next" on
the last page, including the last one allowed when there are more results than that."""

from __future__ import annotations

import re

import pytest

from models import Conversation, Favorite, db

PER_PAGE = 2
MAX_PAGE = 2


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    # Real page sizes would need hundreds of rows to reach the cap; the rule is the same.
    monkeypatch.setattr("web.pagination.PER_PAGE", PER_PAGE)
    monkeypatch.setattr("web.pagination.MAX_PAGE", MAX_PAGE)


@pytest.fixture
def owner(make_user):
    return make_user(username="bob")


@pytest.fixture
def listings(owner, make_listing):
    """More listings than the allowed pages hold (3 pages' worth, 2 allowed)."""
    return [make_listing(owner=owner, title=f"Bike number {n}") for n in range(6)]


@pytest.fixture
def reader(make_user, listings):
    """Someone who saved every listing and wrote to the seller about each."""
    carol = make_user(username="carol")
    for item in listings:
        db.session.add(Favorite(user_id=carol.id, listing_id=item.id))
        db.session.add(Conversation(listing_id=item.id, buyer_id=carol.id, seller_id=item.owner_id))
    db.session.commit()
    return carol


def _next_links(html: str, path: str) -> list[str]:
    return re.findall(rf'href="{re.escape(path)}\?[^"]*page=(\d+)[^"]*">Next', html)


@pytest.mark.parametrize("path", ["/c/bikes", "/u/bob", "/me", "/favorites", "/messages"])
def test_lists_stop_at_the_last_allowed_page(client, login_as, owner, reader, path):
    login_as(reader if path in ("/favorites", "/messages") else owner)
    first = client.get(path).get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert _next_links(first, path) == ["2"]
    last = client.get(f"{path}?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in last
    assert _next_links(last, path) == [], "no Next beyond the last allowed page"
