"""A conversation about a listing a moderator hid, its seller deleted, or whose participant's
account was disabled is closed: both sides still read it, with a notice, and nobody can write
in it any more (a hidden scam must not keep its seller talking to buyers)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Conversation, ListingStatus, Message, db
from tests.helpers import submit


@pytest.fixture
def seller(make_user):
    return make_user(username="alice")


@pytest.fixture
def buyer(make_user):
    return make_user(username="bob")


@pytest.fixture
def talk(client, login_as, buyer, seller, make_listing) -> Conversation:
    """A conversation the buyer opened about one of the seller's listings."""
    listing = make_listing(owner=seller, title="Too good to be true")
    login_as(buyer)
    response = submit(
        client, f"/listings/{listing.id}/contact", {"body": "Is it real?"}, form_url="/messages"
    )
    assert response.status_code == 302
    return db.session.scalars(select(Conversation)).one()


def reply(client, talk: Conversation, body: str = "Send me a deposit first"):
    return submit(client, f"/messages/{talk.id}", {"body": body}, form_url="/messages")


def messages() -> int:
    return db.session.scalar(select(func.count(Message.id)))


@pytest.mark.parametrize(
    ("status", "notice"),
    [
        (ListingStatus.hidden, "A moderator removed this listing"),
        (ListingStatus.deleted, "The seller deleted this listing"),
    ],
)
def test_a_removed_listing_closes_its_conversations(
    client, login_as, buyer, seller, talk, status, notice
):
    talk.listing.status = status
    db.session.commit()
    for person in (seller, buyer):
        login_as(person)
        page = client.get(f"/messages/{talk.id}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Is it real?" in html, "the history stays readable"
        assert notice in html and 'data-testid="closed-notice"' in html
        assert 'name="body"' not in html, "no reply form"
        refused = reply(client, talk)
        assert refused.status_code == 403
        assert notice in refused.get_data(as_text=True)
    assert messages() == 1


def test_a_disabled_account_closes_its_conversations(client, login_as, buyer, seller, talk):
    seller.active = False
    db.session.commit()
    login_as(buyer)
    refused = reply(client, talk, "Are you there?")
    assert refused.status_code == 403
    assert "no longer has an account here" in refused.get_data(as_text=True)
    assert messages() == 1


@pytest.mark.parametrize("status", [ListingStatus.sold, ListingStatus.expired])
def test_a_sold_or_expired_listing_keeps_its_conversations_open(
    client, login_as, seller, talk, status
):
    # The sale is being arranged: pick-up times still need to be agreed.
    talk.listing.status = status
    db.session.commit()
    login_as(seller)
    assert 'data-testid="closed-notice"' not in client.get(f"/messages/{talk.id}").get_data(
        as_text=True
    )
    assert reply(client, talk, "Saturday at ten?").status_code == 302
    assert messages() == 2
