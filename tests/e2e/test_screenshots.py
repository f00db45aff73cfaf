"""Screenshots for the README, made on demo data by every run of the browser tests.

`manage.py seed` writes a few hundred listings with generated photos around real US places;
they are indexed and the search page, the map and a listing page are photographed into
docs/screenshots/ (commit them when they change). Map tiles cannot be reached from here, so
the map shows its plain background under the engine's clusters.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from scripts.seed import seed
from tests.search_helpers import index_all

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 960}


@pytest.fixture
def demo(app, categories):
    result = app.test_cli_runner().invoke(seed, ["--listings", "600", "--seed", "11", "--photos"])
    assert result.exit_code == 0, result.output
    index_all(app)


def listing_with_neighbours(page) -> int:
    """A listing near New York, with a photo, and another of its category within 25 miles."""
    answer = page.request.get("/api/v1/search?near=New+York,+NY&photo=1&per_page=100").json()
    for hit in answer["hits"]:
        around = f"category={hit['category']}&lat={hit['lat']}&lon={hit['lon']}&radius=25"
        if page.request.get(f"/api/v1/search?{around}").json()["total"] > 1:
            return hit["id"]
    raise AssertionError("no listing of the demo data has a neighbour of its kind")


def test_screenshots_of_the_search_page_the_map_and_a_listing(browser, live_server, demo):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    try:
        page.goto("/search?category=for-sale&near=New+York,+NY&radius=50&photo=1")
        expect(page.get_by_test_id("results").locator(".search-hit").first).to_be_visible()
        page.evaluate("document.fonts.ready")
        page.screenshot(path=SHOTS / "search.png")

        page.goto("/search?view=map")
        expect(page.get_by_test_id("search-map")).to_have_attribute("data-showing", "clusters")
        expect(page.locator(".map-cluster").first).to_be_visible()
        page.wait_for_timeout(500)  # the zoom animation settles
        page.screenshot(path=SHOTS / "map.png")

        page.goto(f"/listings/{listing_with_neighbours(page)}")
        expect(page.get_by_test_id("similar-nearby")).to_be_visible()
        page.screenshot(path=SHOTS / "listing.png", full_page=True)
    finally:
        context.close()
    for name in ("search.png", "map.png", "listing.png"):
        assert 10_000 < (SHOTS / name).stat().st_size < 1_500_000, name
