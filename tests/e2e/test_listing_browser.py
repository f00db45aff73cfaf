"""A person registers, posts a listing with photos, and sees it on its page, in a real browser."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from tests.listing_helpers import picture

pytestmark = pytest.mark.e2e

PASSWORD = "plum tractor umbrella 42"
# A 1x1 transparent PNG: map tiles are answered locally (this machine is offline), so the map
# draws and a failed tile request cannot hide a real console error.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def register(page, username: str) -> None:
    page.goto("/register")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("user-menu")).to_contain_text(username)


def test_post_a_listing_with_photos_and_see_it(browser_page, page_errors, categories, tmp_path):
    page = browser_page
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )
    first, second = tmp_path / "front.jpg", tmp_path / "side.png"
    first.write_bytes(picture("JPEG", (1200, 900), (200, 40, 40)))
    second.write_bytes(picture("PNG", (800, 800), (40, 40, 200)))

    register(page, "walter")
    page.locator("#mainNav").get_by_role("link", name="Post a listing").click()
    page.get_by_label("Title").fill("Steel touring bike with racks")
    page.get_by_label("Category").select_option(label="Bikes")
    page.get_by_label("Description").fill(
        "Comfortable touring bike, front and rear racks, dynamo lights."
    )
    page.get_by_label("Price", exact=True).fill("480")
    page.get_by_label("Condition").select_option(label="Good")
    page.get_by_label("ZIP code or city").fill("Portland, OR")
    page.get_by_label("Choose photos").set_input_files([first, second])
    page.get_by_role("button", name="Post listing").click()

    expect(page).to_have_url(re.compile(r"/listings/\d+$"))
    expect(page.get_by_text("Your listing is up.")).to_be_visible()
    expect(page.get_by_test_id("listing-title")).to_have_text("Steel touring bike with racks")
    expect(page.get_by_test_id("listing-price")).to_contain_text("$480")
    expect(page.get_by_text("Portland, OR").first).to_be_visible()

    main = page.locator("#gallery-main")
    expect(main).to_be_visible()
    expect(main).to_have_js_property("naturalWidth", 1200)  # the picture really loaded
    page.get_by_role("button", name="Show photo 2").click()
    expect(main).to_have_js_property("naturalWidth", 800)

    expect(page.locator("#listing-map.is-ready")).to_be_visible()  # Leaflet drew the map
    expect(page.get_by_test_id("owner-controls")).to_be_visible()
    assert page_errors == []


def test_a_bad_photo_is_reported_on_the_form(browser_page, page_errors, categories, tmp_path):
    page = browser_page
    fake = tmp_path / "holiday.jpg"
    fake.write_text("this is not really a picture" * 10)
    register(page, "wendy")
    page.goto("/listings/new")
    page.get_by_label("Title").fill("Camping chairs, set of two")
    page.get_by_label("Category").select_option(label="Sporting Goods")
    page.get_by_label("Description").fill(
        "Two folding camping chairs with cup holders, barely used."
    )
    page.get_by_label("It's free").check()
    expect(page.get_by_label("Price", exact=True)).to_be_disabled()
    page.get_by_label("ZIP code or city").fill("97201")
    page.get_by_label("Choose photos").set_input_files([fake])
    page.get_by_role("button", name="Post listing").click()

    expect(page.get_by_test_id("error-photos")).to_contain_text(
        "holiday.jpg: That file is not a picture"
    )
    expect(page.get_by_label("Title")).to_have_value("Camping chairs, set of two")
    # A refused form is answered with 400, which Chromium logs; nothing else may be there.
    assert [e for e in page_errors if "status of 400" not in e] == []
