"""Save a search in a real browser; someone else posts a listing that matches; after the alert
cycle the first person's bell rings, the notification leads to the listing, and the alert mail
arrives on the test SMTP server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from indexer.alerts.run import run_alerts
from tests.e2e.accessibility import violations
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_messages_browser import TILE, log_in
from tests.listing_helpers import picture
from tests.mailbox import Mailbox
from web.media.images import SIZES

pytestmark = pytest.mark.e2e


def _offline_tiles(page) -> None:
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )


def test_save_a_search_and_hear_of_a_new_match(
    app, browser, live_server, browser_page, page_errors, categories, make_user, mailbox, tmp_path
):
    make_user(username="alice")
    make_user(username="bob")
    searcher = browser_page
    _offline_tiles(searcher)
    log_in(searcher, "alice")
    searcher.goto("/search?q=touring+bike&near=97201&radius=25")
    searcher.get_by_test_id("save-search-toggle").click()
    name = searcher.get_by_label("Name")
    expect(name).to_have_value("touring bike, Within 25 mi of Portland, OR 97201")
    name.fill("Touring bikes in Portland")
    searcher.get_by_label("Mail me new matches").select_option(label="At once")
    searcher.get_by_role("button", name="Save", exact=True).click()
    expect(searcher.get_by_text("Saved “Touring bikes in Portland”")).to_be_visible()
    expect(searcher.get_by_test_id("already-saved")).to_contain_text("Touring bikes in Portland")
    count = searcher.get_by_test_id("notification-count")
    expect(count).to_be_hidden()

    photo = tmp_path / "bike.jpg"
    photo.write_bytes(picture("JPEG", (800, 600), (30, 90, 160)))
    seller_context = browser.new_context(base_url=live_server)
    seller_context.set_default_timeout(TIMEOUT_MS)
    try:
        seller = seller_context.new_page()
        _offline_tiles(seller)
        log_in(seller, "bob")
        seller.goto("/listings/new")
        seller.get_by_label("Title").fill("Steel touring bike with racks")
        seller.get_by_label("Category").select_option(label="Bikes")
        seller.get_by_label("Description").fill("Front and rear racks, dynamo lights.")
        seller.get_by_label("Price", exact=True).fill("480")
        seller.get_by_label("ZIP code or city").fill("Portland, OR")
        seller.get_by_label("Choose photos").set_input_files([photo])
        seller.get_by_role("button", name="Post listing").click()
        expect(seller.get_by_text("Your listing is up.")).to_be_visible()
        listing_url = seller.url
    finally:
        seller_context.close()

    with app.app_context():  # the alert cycle, as beat runs it every minute
        report = run_alerts()
    assert report.notifications == 1 and report.mails == 1

    # The page was loaded before the match; notifications.js asks again when it is seen.
    searcher.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(count).to_have_text("1")
    searcher.get_by_test_id("notification-bell").click()
    item = searcher.get_by_test_id("notification")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(
        "New for “Touring bikes in Portland”: Steel touring bike with racks"
    )
    expect(item).to_contain_text("$480")
    thumb = item.locator("img.notification-thumb")
    expect(thumb).to_have_js_property("naturalWidth", SIZES["thumb"])  # the photo really loaded
    item.get_by_test_id("notification-link").click()
    expect(searcher).to_have_url(listing_url)
    expect(count).to_be_hidden()

    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "alice@example.com"
    assert mail["Subject"] == "New for “Touring bikes in Portland”: Steel touring bike with racks"
    body = Mailbox.body(mail)
    assert "$480 · Portland, OR" in body
    assert re.search(r"http://localhost:5000/listings/\d+", body)
    assert page_errors == []


def test_without_javascript_a_search_is_saved_from_its_results_page(
    browser, live_server, make_user, make_listing
):
    make_user(username="carol")
    make_listing(title="Road bike, 56 cm frame")
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        log_in(page, "carol")
        page.goto("/search?q=road+bike")
        expect(page.get_by_label("Name")).to_be_hidden()
        page.get_by_test_id("save-search-toggle").click()
        expect(page.get_by_label("Name")).to_have_value("road bike")
        page.get_by_label("Mail me new matches").select_option(label="Once a week")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("Saved “road bike”.")
        expect(page.get_by_role("alert")).to_contain_text("with a weekly mail of new matches")
        expect(page).to_have_url(re.compile(r"/search\?q=road\+bike$"))
        expect(page.get_by_test_id("already-saved")).to_contain_text("road bike")
        page.goto("/saved-searches")
        expect(page.get_by_text("Mail: Once a week")).to_be_visible()
    finally:
        context.close()


def test_the_save_form_and_the_saved_searches_page_pass_an_accessibility_check(
    browser_page, make_user, make_listing
):
    make_user(username="dave")
    make_listing(title="Road bike, 56 cm frame")
    log_in(browser_page, "dave")
    browser_page.goto("/search?q=road+bike")
    browser_page.get_by_test_id("save-search-toggle").click()
    expect(browser_page.get_by_label("Name")).to_be_visible()
    assert violations(browser_page) == []
    browser_page.get_by_role("button", name="Save", exact=True).click()
    expect(browser_page.get_by_test_id("already-saved")).to_be_visible()
    browser_page.goto("/saved-searches")
    assert violations(browser_page) == []
