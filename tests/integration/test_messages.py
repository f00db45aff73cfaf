"""Messages between buyers and sellers: starting, replying, the inbox, unread counts, mail,
authorization and the limits on what one may send."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import Conversation, ListingStatus, Message, db
from tests.helpers import submit
from tests.integration.test_security import INLINE_SCRIPT, INLINE_STYLE
from tests.mailbox import Mailbox
from web.messages import conversations
from web.pagination import PER_PAGE

SITE = "https://classifieds.example"


@pytest.fixture
def settings_overrides() -> dict:
    return {"SITE_URL": SITE}


@pytest.fixture
def seller(make_user):
    return make_user(username="alice", display_name="Alice A.", email="alice@example.com")


@pytest.fixture
def buyer(make_user):
    return make_user(username="bob", display_name="Bob B.", email="bob@example.com")


@pytest.fixture
def listing(make_listing, seller):
    return make_listing(owner=seller, title="Road bike, 56 cm frame")


def contact(client, listing, body: str = "Hi, is this still available?", **kwargs):
    # Any page of the session carries its CSRF token; the inbox is one that never redirects.
    return submit(
        client, f"/listings/{listing.id}/contact", {"body": body}, form_url="/messages", **kwargs
    )


def reply(client, conversation_id: int, body: str):
    return submit(client, f"/messages/{conversation_id}", {"body": body}, form_url="/messages")


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def only_conversation() -> Conversation:
    return db.session.scalars(select(Conversation)).one()


def badge(client) -> str | None:
    match = re.search(r'data-testid="unread-count">(\d+)<', client.get("/").get_data(as_text=True))
    return match and match.group(1)


# Starting a conversation


def test_contact_seller_starts_a_conversation_and_mails_the_seller(
    client, login_as, buyer, seller, listing, mailbox
):
    login_as(buyer)
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert f'href="/listings/{listing.id}/contact"' in page
    form = client.get(f"/listings/{listing.id}/contact")
    assert form.status_code == 200 and "Road bike, 56 cm frame" in form.get_data(as_text=True)

    response = contact(client, listing, "Hi Alice,\nis it still available?")
    talk = only_conversation()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/messages/{talk.id}")
    assert (talk.listing_id, talk.buyer_id, talk.seller_id) == (listing.id, buyer.id, seller.id)
    (message,) = conversations.thread(talk)
    assert (message.sender_id, message.body) == (buyer.id, "Hi Alice,\nis it still available?")

    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "alice@example.com"
    assert mail["Subject"] == "New message about Road bike, 56 cm frame"
    body = Mailbox.body(mail)
    assert f"{SITE}/messages/{talk.id}" in body
    assert "is it still available?" in body and "Bob B." in body
    assert "bob@example.com" not in body, "the buyer's address stays private"


def test_the_mail_link_comes_from_site_url_not_the_host_header(
    app, client, login_as, buyer, listing, mailbox
):
    login_as(buyer)
    contact(client, listing)
    talk = only_conversation()
    mailbox.clear()
    # A request that came in under a forged Host header builds the mail of its message.
    with app.test_request_context("/", base_url="http://evil.example"):
        conversations.tell_recipient(talk, conversations.thread(talk)[0])
        db.session.commit()
    body = Mailbox.body(mailbox.wait_for(1)[0])
    assert f"{SITE}/messages/{talk.id}" in body and "evil.example" not in body


def test_a_second_contact_continues_the_same_conversation(client, login_as, buyer, listing):
    login_as(buyer)
    contact(client, listing, "First")
    talk = only_conversation()
    again = client.get(f"/listings/{listing.id}/contact")
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/messages/{talk.id}")
    assert contact(client, listing, "Second").status_code == 302
    assert count(Conversation) == 1
    assert [m.body for m in conversations.thread(talk)] == ["First", "Second"]


def test_start_or_get_survives_the_race_for_the_same_conversation(app, buyer, listing, monkeypatch):
    existing = Conversation(listing_id=listing.id, buyer_id=buyer.id, seller_id=listing.owner_id)
    db.session.add(existing)
    db.session.commit()
    real_find, calls = conversations.find, []

    def find_too_late(listing_id, buyer_id):
        # The first look misses the row a concurrent request just committed.
        calls.append(1)
        return None if len(calls) == 1 else real_find(listing_id, buyer_id)

    monkeypatch.setattr(conversations, "find", find_too_late)
    assert conversations.start_or_get(listing, buyer.id).id == existing.id
    assert count(Conversation) == 1


# Replies, the inbox and unread counts


def test_the_sellers_reply_reaches_the_buyer_by_mail(
    client, login_as, buyer, seller, listing, mailbox
):
    login_as(buyer)
    contact(client, listing)
    talk = only_conversation()
    login_as(seller)
    mailbox.clear()
    response = reply(client, talk.id, "Yes, come by on Saturday.")
    assert response.status_code == 302
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "bob@example.com"
    assert f"{SITE}/messages/{talk.id}" in Mailbox.body(mail)
    thread = client.get(f"/messages/{talk.id}").get_data(as_text=True)
    assert thread.index("Hi, is this still available?") < thread.index("Yes, come by on Saturday.")


def test_a_reply_moves_the_conversation_up_the_inbox(client, login_as, buyer, make_listing, seller):
    first, second = make_listing(owner=seller, title="First bike"), make_listing(owner=seller)
    login_as(buyer)
    contact(client, first)
    contact(client, second)
    older = db.session.scalars(
        select(Conversation).where(Conversation.listing_id == first.id)
    ).one()
    before = older.updated_at
    reply(client, older.id, "Still there?")
    db.session.refresh(older)
    assert older.updated_at > before
    inbox = client.get("/messages").get_data(as_text=True)
    assert inbox.index("First bike") < inbox.index("Road bike, 56 cm frame")


def test_the_inbox_shows_both_sides_with_unread_counts(
    client, login_as, make_user, make_listing, buyer, seller, listing
):
    carol = make_user(username="carol", display_name="Carol C.")
    lamp = make_listing(owner=carol, title="Brass desk lamp")
    login_as(buyer)
    contact(client, listing, "One")
    contact(client, listing, "Two")
    login_as(seller)
    contact(client, lamp, "Is the lamp <b>still</b> there?")
    selling = db.session.scalars(select(Conversation).where(Conversation.seller_id == seller.id))
    selling = selling.one()

    page = client.get("/messages").get_data(as_text=True)
    assert "Road bike, 56 cm frame" in page and "Brass desk lamp" in page
    assert "Selling to" in page and "Bob B." in page
    assert "Buying from" in page and "Carol C." in page
    assert f'data-testid="unread-{selling.id}" aria-label="2 unread">2<' in page
    assert "Two" in page, "the snippet is the newest message"
    assert "You:</span> Is the lamp &lt;b&gt;still&lt;/b&gt; there?" in page

    buying = client.get("/messages?box=buying").get_data(as_text=True)
    assert "Brass desk lamp" in buying and "Road bike" not in buying
    only_selling = client.get("/messages?box=selling").get_data(as_text=True)
    assert "Road bike" in only_selling and "Brass desk lamp" not in only_selling
    assert client.get("/messages?box=nonsense&page=-3").status_code == 200


def test_the_inbox_is_paginated(client, login_as, buyer, seller, make_listing):
    login_as(buyer)
    for n in range(PER_PAGE + 1):
        contact(client, make_listing(owner=seller, title=f"Bike number {n:02d}"))
    first = client.get("/messages").get_data(as_text=True)
    assert f"Bike number {PER_PAGE}" in first and "Bike number 00" not in first
    assert "Page 1 of 2" in first
    assert "Bike number 00" in client.get("/messages?page=2").get_data(as_text=True)


def test_opening_a_conversation_marks_it_read_and_the_badge_drops(
    client, login_as, buyer, seller, listing
):
    login_as(buyer)
    contact(client, listing, "One")
    contact(client, listing, "Two")
    talk = only_conversation()
    assert badge(client) is None, "your own messages are not unread to you"
    login_as(seller)
    assert badge(client) == "2"
    assert client.get(f"/messages/{talk.id}").status_code == 200
    assert all(m.read_at is not None for m in conversations.thread(talk))
    assert badge(client) is None
    reply(client, talk.id, "Hello")
    login_as(buyer)
    assert badge(client) == "1", "the seller's reading did not mark the buyer's inbox read"


# Who may do what


def test_an_outsider_cannot_read_or_reply(client, login_as, make_user, buyer, listing):
    login_as(buyer)
    contact(client, listing, "Private question")
    talk = only_conversation()
    login_as(make_user(username="mallory"))
    page = client.get(f"/messages/{talk.id}")
    assert page.status_code == 404 and "Private question" not in page.get_data(as_text=True)
    assert reply(client, talk.id, "Let me in").status_code == 404
    assert count(Message) == 1
    assert "Private question" not in client.get("/messages").get_data(as_text=True)
    assert client.get("/messages/999999").status_code == 404


@pytest.mark.parametrize("path", ["/messages", "/messages/1", "/listings/1/contact"])
def test_messages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_nobody_messages_their_own_listing(client, login_as, seller, listing):
    login_as(seller)
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "/contact" not in page
    response = contact(client, listing)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/listings/{listing.id}")
    assert "your own listing" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count(Conversation) == 0


def test_a_sold_item_takes_no_new_conversations(client, login_as, buyer, listing):
    listing.status = ListingStatus.sold
    db.session.commit()
    login_as(buyer)
    assert "/contact" not in client.get(f"/listings/{listing.id}").get_data(as_text=True)
    response = contact(client, listing)
    assert response.status_code == 302
    assert "has been sold" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count(Conversation) == 0


def test_an_existing_conversation_goes_on_after_the_sale(client, login_as, buyer, listing):
    login_as(buyer)
    contact(client, listing)
    talk = only_conversation()
    listing.status = ListingStatus.sold
    db.session.commit()
    assert reply(client, talk.id, "When can I pick it up?").status_code == 302
    assert "Sold" in client.get(f"/messages/{talk.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    "status", [ListingStatus.hidden, ListingStatus.expired, ListingStatus.deleted]
)
def test_a_listing_others_cannot_see_cannot_be_contacted(client, login_as, buyer, listing, status):
    listing.status = status
    db.session.commit()
    login_as(buyer)
    assert client.get(f"/listings/{listing.id}/contact").status_code == 404
    assert contact(client, listing).status_code == 404
    assert client.get("/listings/999999/contact").status_code == 404
    assert count(Conversation) == 0


# What a message may be


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a message first."),
        ("  \r\n\t  ", "Write a message first."),
        ("x" * 4001, "at most 4,000 characters"),
    ],
)
def test_a_bad_message_is_a_form_error(client, login_as, buyer, listing, body, error):
    login_as(buyer)
    response = contact(client, listing, body)
    assert response.status_code == 400
    assert error in response.get_data(as_text=True)
    assert count(Conversation) == 0
    contact(client, listing, "A fine first message")
    response = reply(client, only_conversation().id, body)
    assert response.status_code == 400
    assert error in response.get_data(as_text=True)
    assert count(Message) == 1


def test_a_message_is_trimmed_and_may_be_4000_characters(client, login_as, buyer, listing):
    login_as(buyer)
    contact(client, listing, "  " + "x" * 4000 + "\r\n  ")
    (message,) = conversations.thread(only_conversation())
    assert message.body == "x" * 4000


def test_messages_without_the_csrf_token_are_refused(client, login_as, buyer, listing):
    login_as(buyer)
    assert client.post(f"/listings/{listing.id}/contact", data={"body": "Hi"}).status_code == 400
    contact(client, listing)
    talk = only_conversation()
    assert client.post(f"/messages/{talk.id}", data={"body": "Hi"}).status_code == 400
    assert count(Message) == 1


def test_a_message_is_shown_escaped_with_its_line_breaks(client, login_as, buyer, seller, listing):
    payload = '<script>alert("x")</script>\n<img src=x onerror=alert(1)>'
    login_as(buyer)
    contact(client, listing, payload)
    talk = only_conversation()
    login_as(seller)
    for path in (f"/messages/{talk.id}", "/messages"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    thread = client.get(f"/messages/{talk.id}").get_data(as_text=True)
    assert 'class="message-body"' in thread
    assert "&lt;/script&gt;\n&lt;img" in thread, "the line break is kept for pre-wrap"


def test_messages_pages_have_no_inline_script_or_style(client, login_as, buyer, listing):
    login_as(buyer)
    paths = [f"/listings/{listing.id}/contact"]
    contact(client, listing)
    paths += ["/messages", f"/messages/{only_conversation().id}", "/messages?box=selling"]
    for path in paths:
        page = client.get(path).get_data(as_text=True)
        assert not INLINE_SCRIPT.search(page), (path, INLINE_SCRIPT.search(page))
        assert not INLINE_STYLE.search(page), (path, INLINE_STYLE.search(page))


@pytest.mark.parametrize("settings_overrides", [{"MESSAGE_RATE_LIMIT": "2 per minute"}])
def test_sending_is_rate_limited_per_person(client, login_as, make_user, buyer, listing):
    login_as(buyer)
    assert contact(client, listing, "One").status_code == 302
    talk = only_conversation()
    assert reply(client, talk.id, "Two").status_code == 302
    limited = reply(client, talk.id, "Three")
    assert limited.status_code == 429
    assert "Too many attempts" in limited.get_data(as_text=True)
    assert contact(client, listing, "Four").status_code == 429, "one budget for every message"
    assert client.get(f"/messages/{talk.id}").status_code == 200, "reading stays free"
    assert count(Message) == 2
    login_as(make_user(username="carol"))
    assert contact(client, listing, "Someone else").status_code == 302, "the limit is per person"
