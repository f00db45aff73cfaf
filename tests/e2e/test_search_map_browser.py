"""The map view in Chromium, offline: clusters from the engine when zoomed out, pins with a
popup card when zoomed in, "Search this area", and the back button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.search_page_data import stock

pytestmark = pytest.mark.e2e

TILES = "https://tile.openstreetmap.org/**"


@pytest.fixture
def shop(app, make_listing, categories):
    return stock(make_listing, categories, app.extensions["settings"].MEDIA_ROOT)


@pytest.fixture
def page(browser_page, shop):
    # No tile can load (this machine is offline; here they are refused outright): the map must
    # still show its pins and clusters on its plain background.
    browser_page.route(TILES, lambda route: route.abort())
    return browser_page


def page_errors_but_tiles(errors: list[str]) -> list[str]:
    return [e for e in errors if "tile.openstreetmap.org" not in e and "ERR_FAILED" not in e]


def search_map(page):
    return page.get_by_test_id("search-map")


def cluster_counts(page) -> list[int]:
    expect(page.locator(".map-cluster").first).to_be_visible()
    return [
        int(n)
        for n in page.locator(".map-cluster").evaluate_all(
            "nodes => nodes.map(n => n.dataset.count)"
        )
    ]


def test_the_map_clusters_zooms_to_pins_and_searches_the_visible_area(page, page_errors):
    page.goto("/search")
    page.get_by_test_id("view-map").click()
    expect(page).to_have_url(re.compile(r"/search\?view=map$"))
    # Zoomed out over California: bubbles from the engine, whose counts make the total.
    expect(search_map(page)).to_have_attribute("data-showing", "clusters")
    expect(search_map(page)).to_have_attribute("data-cluster-total", "7")
    counts = cluster_counts(page)
    assert sum(counts) == 7 and len(counts) >= 2  # Los Angeles is a bubble of its own

    # A bubble zooms into its cell; San Francisco's (the largest) soon shows pins.
    for _ in range(5):
        if search_map(page).get_attribute("data-showing") == "pins":
            break
        before = search_map(page).get_attribute("data-zoom")
        page.locator(".map-cluster", has_text=str(max(cluster_counts(page)))).first.click()
        expect(search_map(page)).not_to_have_attribute("data-zoom", before)
    expect(search_map(page)).to_have_attribute("data-showing", "pins")
    # The three San Francisco listings share a ZIP code, hence one pin and one popup.
    page.get_by_role("button", name=re.compile(r"^3 listings: .*Leather sofa, three seats")).click()
    popup = page.locator(".leaflet-popup")
    expect(popup).to_contain_text("Leather sofa, three seats")
    expect(popup).to_contain_text("$400")

    area = page.get_by_role("button", name="Search this area")
    expect(area).to_be_visible()  # the person moved the map
    area.click()
    expect(page).to_have_url(re.compile(r"[?&]bbox=[^&]+"))
    expect(page.get_by_test_id("chip")).to_have_text(["Remove the filter In the map area"])
    expect(page.get_by_test_id("results").get_by_text("Leather sofa, three seats")).to_be_visible()
    expect(page.get_by_test_id("results").get_by_text("Carbon racing bike")).to_have_count(0)
    found = int(page.get_by_test_id("results-title").inner_text().split()[0])
    assert 1 <= found < 7
    expect(area).to_be_hidden()

    for _ in range(4):  # zoomed out again, the bubbles count what the search finds now
        page.get_by_role("button", name="Zoom out").click()
    expect(search_map(page)).to_have_attribute("data-showing", "clusters")
    expect(search_map(page)).to_have_attribute("data-cluster-total", str(found))

    page.go_back()
    expect(page).to_have_url(re.compile(r"/search\?view=map$"))
    expect(page.get_by_test_id("results-title")).to_have_text("7 listings")
    assert page_errors_but_tiles(page_errors) == []


def test_a_place_centres_the_map_on_its_radius_with_pins(page, page_errors):
    page.goto("/search?near=94103&radius=10&view=map")
    expect(search_map(page)).to_have_attribute("data-showing", "pins")
    expect(page.locator(".leaflet-marker-icon[title]")).to_have_count(2)  # two ZIP codes
    page.get_by_test_id("view-list").click()
    expect(search_map(page)).to_have_count(0)
    page.get_by_test_id("view-map").click()
    expect(search_map(page)).to_have_attribute("data-showing", "pins")
    assert page_errors_but_tiles(page_errors) == []
