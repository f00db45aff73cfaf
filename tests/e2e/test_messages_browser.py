"""A buyer contacts a seller from a listing and they talk, in a real browser."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

# Map tiles are answered locally (this machine is offline), so a failed tile request cannot
# hide a real console error.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def log_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("user-menu")).to_contain_text(username)


def test_a_buyer_contacts_the_seller_and_replies(
    browser_page, page_errors, make_user, make_listing
):
    page = browser_page
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )
    listing = make_listing(owner=make_user(username="alice"), title="Steel touring bike")
    make_user(username="bob")

    log_in(page, "bob")
    page.goto(f"/listings/{listing.id}")
    page.get_by_role("link", name="Contact seller").click()
    page.get_by_label("Message").fill("Hi Alice,\nis the bike still available?")
    page.get_by_role("button", name="Send message").click()

    expect(page).to_have_url(re.compile(r"/messages/\d+(#reply)?$"))
    expect(page.get_by_text("Your message is sent.")).to_be_visible()
    bodies = page.get_by_test_id("message-body")
    expect(bodies).to_have_count(1)
    expect(bodies.first).to_have_text("Hi Alice,\nis the bike still available?")

    page.get_by_label("Message").fill("I could come on Saturday.")
    page.get_by_label("Message").press("Control+Enter")  # messages.js sends on Ctrl+Enter
    expect(bodies).to_have_count(2)
    expect(bodies.last).to_have_text("I could come on Saturday.")

    page.locator("#mainNav").get_by_role("link", name="Messages").click()
    expect(page.get_by_test_id("conversation-title")).to_have_text("Steel touring bike")
    expect(page.get_by_test_id("snippet")).to_contain_text("I could come on Saturday.")
    assert page_errors == []
