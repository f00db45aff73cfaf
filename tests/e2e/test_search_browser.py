"""The search page in Chromium: facets, chips, places, the back button, a phone, no JavaScript,
the keyboard and an accessibility check (axe-core)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.accessibility import violations
from tests.e2e.conftest import TIMEOUT_MS
from tests.search_page_data import stock

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def shop(app, make_listing, categories):
    return stock(make_listing, categories, app.extensions["settings"].MEDIA_ROOT)


@pytest.fixture
def page(browser_page, shop):
    browser_page.goto("/search")
    expect(results_title(browser_page)).to_have_text("7 listings")
    # Set on the loaded document: it survives updates in place, not a reload.
    browser_page.evaluate("window.notReloaded = true")
    return browser_page


def results_title(page):
    return page.get_by_test_id("results-title")


def facet(page, name: str):
    """A facet value's link by its visible label (e.g. "Good"), in the filters."""
    label = re.compile(rf"^(Chosen: )?{re.escape(name)} [\d,]+ listings$")
    return page.get_by_test_id("filters").get_by_role("link", name=label)


def search_button(page):
    return page.get_by_test_id("search-bar").get_by_role("button", name="Search")


def chips(page):
    return page.get_by_test_id("chip")


def real_errors(errors: list[str]) -> list[str]:
    """Console errors but for 400 answers the page asked for on purpose (Chromium logs them)."""
    return [e for e in errors if "status of 400" not in e]


def test_two_values_of_one_facet_show_both_chips_and_keep_their_counts(page, page_errors):
    facet(page, "Good").click()
    expect(page).to_have_url(re.compile(r"/search\?condition=good$"))
    expect(results_title(page)).to_have_text("2 listings")
    expect(facet(page, "Fair")).to_contain_text("2")  # still counted: its own filter is ignored
    facet(page, "Fair").click()
    expect(page).to_have_url(re.compile(r"/search\?condition=good&condition=fair$"))
    expect(results_title(page)).to_have_text("4 listings")
    expect(chips(page)).to_have_text(["Remove the filter Good", "Remove the filter Fair"])
    expect(facet(page, "Good")).to_have_attribute("aria-current", "true")
    expect(facet(page, "Fair")).to_have_attribute("aria-current", "true")
    assert page.evaluate("window.notReloaded") is True  # updated in place
    assert page_errors == []


def test_removing_a_chip_removes_only_its_filter(page, page_errors):
    page.goto("/search?condition=fair&condition=good&category=furniture")
    expect(results_title(page)).to_have_text("2 listings")
    page.get_by_role("link", name="Remove the filter Fair").click()
    expect(page).to_have_url(re.compile(r"/search\?category=furniture&condition=good$"))
    expect(results_title(page)).to_have_text("1 listing")
    page.get_by_test_id("clear-all").click()
    expect(page).to_have_url(re.compile(r"/search$"))
    expect(chips(page)).to_have_count(0)
    assert page_errors == []


def test_a_zip_and_radius_give_distances_and_the_distance_sort(page, page_errors):
    sort = page.get_by_label("Sort by")
    expect(sort.locator("option[value=distance]")).to_have_count(0)
    page.get_by_label("Where").press_sequentially("oakland, c")
    suggestions = page.locator("#place-suggestions option")  # from /api/v1/places
    # The first suggestion of a process reads the whole gazetteer: give it time.
    expect(suggestions.first).to_have_attribute("value", "Oakland, CA", timeout=20_000)
    page.get_by_label("Where").fill("94612")
    page.get_by_label("Within").select_option("10")
    search_button(page).click()
    expect(results_title(page)).to_have_text("5 listings near Oakland, CA 94612")
    expect(page.get_by_test_id("distance")).to_have_count(5)
    expect(facet(page, "Within 10 mi")).to_have_attribute("aria-current", "true")
    sort.select_option("distance")
    expect(page).to_have_url(re.compile(r"near=94612&radius=10&sort=distance"))
    first = page.get_by_test_id("results").locator(".search-hit").first
    expect(first.get_by_test_id("distance")).to_contain_text("under 0.1 mi")
    expect(page.get_by_test_id("results").get_by_test_id("distance").last).to_contain_text("8.")
    assert page.evaluate("window.notReloaded") is True
    assert page_errors == []


def test_the_back_button_restores_the_previous_results(page, page_errors):
    page.get_by_role("button", name="Subcategories of For Sale").click()
    facet(page, "Bikes").click()
    expect(results_title(page)).to_have_text("3 listings")
    facet(page, "New").click()
    expect(results_title(page)).to_have_text("1 listing")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/search\?category=bikes$"))
    expect(results_title(page)).to_have_text("3 listings")
    expect(chips(page)).to_have_text(["Remove the filter Bikes"])
    page.go_back()
    expect(results_title(page)).to_have_text("7 listings")
    page.go_forward()
    expect(results_title(page)).to_have_text("3 listings")
    assert page.evaluate("window.notReloaded") is True
    assert page_errors == []


def test_a_wrong_price_shows_its_message_in_place_and_can_be_corrected(page, page_errors):
    page.get_by_label("Min $").fill("cheap")
    page.get_by_role("button", name="Apply price").click()
    expect(page.get_by_test_id("error-min_price")).to_contain_text("Enter a price as a number")
    expect(page.get_by_label("Min $")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Min $").fill("100")
    page.get_by_label("Max $").fill("300")
    page.get_by_role("button", name="Apply price").click()
    expect(results_title(page)).to_have_text("3 listings")
    expect(chips(page)).to_have_text(
        ["Remove the filter From $100", "Remove the filter Up to $300"]
    )
    assert real_errors(page_errors) == []


def test_zero_results_offer_a_way_out_that_finds_something(page, page_errors):
    page.goto("/search?category=bikes&max_price=0")
    expect(page.get_by_test_id("no-results")).to_be_visible()
    page.get_by_test_id("relaxation").first.click()
    expect(results_title(page)).to_have_text("3 listings")
    assert page_errors == []


def test_on_a_phone_the_filters_open_in_a_panel(browser, live_server, shop, page_errors):
    context = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(TIMEOUT_MS)
    phone = context.new_page()
    phone.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        phone.goto("/search")
        expect(results_title(phone)).to_have_text("7 listings")
        expect(phone.get_by_test_id("filters")).not_to_be_visible()
        phone.get_by_test_id("open-filters").click()
        expect(phone.get_by_test_id("filters")).to_be_visible()
        facet(phone, "Good").click()
        expect(results_title(phone)).to_have_text("2 listings")
        expect(phone.get_by_test_id("filters")).not_to_be_visible()
        expect(phone.locator(".offcanvas-backdrop")).to_have_count(0)
        expect(phone.get_by_test_id("open-filters")).to_have_text("Filters (1)")
        width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], "the page scrolls sideways on a phone"
        box = phone.get_by_test_id("results").locator(".search-hit").first.bounding_box()
        assert box["width"] > PHONE["width"] * 0.8  # one card a row
    finally:
        context.close()
    assert page_errors == []


def test_without_javascript_the_same_filters_work_as_links_and_forms(browser, live_server, shop):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/search")
        expect(results_title(page)).to_have_text("7 listings")
        facet(page, "Bikes").click()  # a subcategory: listed open without the script
        expect(page).to_have_url(re.compile(r"/search\?category=bikes$"))
        facet(page, "Good").click()
        facet(page, "New").click()
        expect(results_title(page)).to_have_text("2 listings")
        expect(chips(page)).to_have_count(3)
        page.get_by_role("link", name="Remove the filter Good").click()
        expect(results_title(page)).to_have_text("1 listing")
        page.get_by_label("Where").fill("Los Angeles, CA")
        search_button(page).click()
        expect(results_title(page)).to_have_text("1 listing near Los Angeles, CA")
        page.get_by_label("Sort by").select_option("distance")
        page.get_by_role("button", name="Sort", exact=True).click()
        expect(page).to_have_url(re.compile(r"sort=distance"))
        page.get_by_test_id("view-map").click()
        expect(page).to_have_url(re.compile(r"view=map"))
        expect(page.get_by_test_id("results").locator(".search-hit")).to_have_count(1)
    finally:
        context.close()


def test_facets_work_from_the_keyboard(page, page_errors):
    good = facet(page, "Good")
    good.focus()
    page.keyboard.press("Enter")
    expect(results_title(page)).to_have_text("2 listings")
    # Focus stays on the value just chosen, so the next one is a Tab away.
    expect(facet(page, "Good")).to_be_focused()
    page.keyboard.press("Tab")
    expect(facet(page, "Fair")).to_be_focused()
    page.keyboard.press("Enter")
    expect(results_title(page)).to_have_text("4 listings")
    # A section's subcategories open and close from the keyboard too.
    toggle = page.get_by_role("button", name="Subcategories of For Sale")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(facet(page, "Bikes")).to_be_visible()
    facet(page, "Bikes").focus()
    page.keyboard.press("Enter")
    expect(results_title(page)).to_have_text("2 listings")
    assert page_errors == []


@pytest.mark.parametrize("path", ["/search", "/search?near=94103&condition=good&q=bike"])
def test_the_search_page_passes_an_accessibility_check(page, path):
    page.goto(path)
    expect(results_title(page)).to_be_visible()
    assert violations(page) == []
