"""A new message rings the seller's bell (without a page load) and shows on the notifications
page, in a real browser; opening it leads to the thread and reads it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_messages_browser import TILE, log_in

pytestmark = pytest.mark.e2e


def _offline_tiles(page) -> None:
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )


def test_a_new_message_shows_in_the_bell_and_on_the_notifications_page(
    browser, live_server, browser_page, page_errors, make_user, make_listing
):
    listing = make_listing(owner=make_user(username="alice"), title="Steel touring bike")
    make_user(username="bob")
    seller = browser_page
    log_in(seller, "alice")
    count = seller.get_by_test_id("notification-count")
    expect(count).to_be_hidden()

    buyer_context = browser.new_context(base_url=live_server)
    buyer_context.set_default_timeout(TIMEOUT_MS)
    try:
        buyer = buyer_context.new_page()
        _offline_tiles(buyer)
        log_in(buyer, "bob")
        buyer.goto(f"/listings/{listing.id}/contact")
        buyer.get_by_label("Message").fill("Hi Alice, is the bike still available?")
        buyer.get_by_role("button", name="Send message").click()
        expect(buyer.get_by_text("Your message is sent.")).to_be_visible()
    finally:
        buyer_context.close()

    # The seller's page was loaded before the message; notifications.js asks for the count
    # again when the page comes back into view.
    seller.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(count).to_have_text("1")
    expect(seller.get_by_test_id("notification-bell")).to_have_attribute(
        "aria-label", "Notifications, 1 unread"
    )

    seller.get_by_test_id("notification-bell").click()
    expect(seller).to_have_url(re.compile(r"/notifications$"))
    item = seller.get_by_test_id("notification")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("New message from bob about “Steel touring bike”")
    expect(item).to_contain_text("Hi Alice, is the bike still available?")

    item.get_by_test_id("notification-link").click()
    expect(seller).to_have_url(re.compile(r"/messages/\d+$"))
    expect(seller.get_by_test_id("message-body")).to_have_text(
        "Hi Alice, is the bike still available?"
    )
    expect(count).to_be_hidden()
    assert page_errors == []
