"""The search page as a browser without JavaScript gets it: facet links, chips, places, zero
results and bad input, rendered by the server on the real stack (the index follows commits)."""

from __future__ import annotations

import re

import pytest

from tests.html import find, find_all
from tests.search_page_data import stock


@pytest.fixture
def shop(app, make_listing, categories, tmp_path):
    return stock(make_listing, categories, app.extensions["settings"].MEDIA_ROOT)


def get(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def facet(html: str, key: str):
    """The link of one facet value, by its key ("condition:good", "category:bikes", ...)."""
    return find(html, "a", data_focus_key=key)


def count(html: str, key: str) -> int:
    element = facet(html, key)
    return int(re.search(r"(\d[\d,]*) listings", element.text).group(1).replace(",", ""))


def title(html: str) -> str:
    return find(html, testid="results-title").text


def test_the_sidebar_counts_every_facet_and_links_each_value(client, shop):
    html = get(client, "/search")
    assert title(html) == "7 listings"
    assert count(html, "category:for-sale") == 6
    assert count(html, "category:bikes") == 3
    assert count(html, "category:jobs") == 1
    assert count(html, "condition:good") == 2
    assert count(html, "posted:1d") == 4
    assert count(html, "posted:7d") == 6
    assert count(html, "photo:1") == 1
    assert count(html, "price:0-1") == 1  # the free armchair
    assert count(html, "price:25000-50000") == 3
    assert facet(html, "condition:good").query == {"condition": ["good"]}
    assert facet(html, "price:0-1").query == {"max_price": ["0"]}
    assert facet(html, "price:25000-50000").query == {
        "min_price": ["250"],
        "max_price": ["499.99"],
    }
    assert not find_all(html, "a", data_focus_key="distance:25")  # no place, no distances


def test_choosing_a_value_keeps_the_other_values_of_its_facet_with_their_counts(client, shop):
    html = get(client, "/search?condition=good")
    assert title(html) == "2 listings"
    good = facet(html, "condition:good")
    assert good.attrs.get("aria-current") == "true"
    assert good.query == {}  # choosing it again takes it away
    assert count(html, "condition:fair") == 2  # the condition facet ignores its own filter
    assert facet(html, "condition:fair").query == {"condition": ["good", "fair"]}
    assert count(html, "category:bikes") == 1  # other facets count the good ones only


def test_two_values_of_one_facet_give_two_chips_each_removing_only_itself(client, shop):
    html = get(client, "/search?condition=fair&condition=good&q=")  # any order, empty q
    assert title(html) == "4 listings"
    chips = {chip.text: chip.query for chip in find_all(html, "a", testid="chip")}
    assert chips == {
        "Remove the filter Good": {"condition": ["fair"]},
        "Remove the filter Fair": {"condition": ["good"]},
    }
    assert find(html, "a", testid="clear-all").query == {}


def test_clear_all_keeps_the_words(client, shop):
    html = get(client, "/search?q=bike&condition=good&max_price=500")
    assert find(html, "a", testid="clear-all").query == {"q": ["bike"]}


def test_a_subcategory_narrows_its_chosen_section_instead_of_adding_to_it(client, shop):
    html = get(client, "/search?category=for-sale")
    assert facet(html, "category:bikes").query == {"category": ["bikes"]}
    html = get(client, "/search?category=bikes&category=jobs")
    assert facet(html, "category:for-sale").query == {"category": ["for-sale", "jobs"]}


def test_titles_show_the_matched_words_marked(client, shop):
    html = get(client, "/search?q=bikes")
    assert "<mark>bike</mark>" in html.lower()


def test_cards_say_the_price_the_age_and_free_or_salary(client, shop):
    html = get(client, "/search")
    cards = {
        card.attrs["data-listing-id"]: card.text for card in find_all(html, class_="search-hit")
    }
    texts = " | ".join(cards.values())
    assert "Free" in texts
    assert "$120,000/yr" in texts
    road = cards[str(shop["road"].id)]
    assert "$250" in road and "San Francisco, CA" in road and "3 hours ago" in road
    assert "2 weeks ago" in cards[str(shop["table"].id)]


def test_a_place_adds_distances_the_distance_facet_and_the_distance_sort(client, shop):
    html = get(client, "/search?near=94103")
    assert title(html) == "5 listings near San Francisco, CA 94103"
    distances = [d.text for d in find_all(html, testid="distance")]
    assert len(distances) == 5 and any(re.search(r"\b8\.\d mi\b", d) for d in distances)
    assert count(html, "distance:5") == 3
    assert count(html, "distance:500") == 7  # the facet counts past the chosen radius
    assert facet(html, "distance:25").attrs.get("aria-current") == "true"
    sorts = [
        o.attrs["value"]
        for o in find_all(html, "option")
        if o.attrs.get("value") in ("relevance", "newest", "price_asc", "price_desc", "distance")
    ]
    assert "distance" in sorts
    assert "distance" not in [
        o.attrs.get("value") for o in find_all(get(client, "/search"), "option")
    ]


def test_sorting_by_distance_puts_the_nearest_first(client, shop):
    html = get(client, "/search?near=94612&sort=distance")
    ids = [card.attrs["data-listing-id"] for card in find_all(html, class_="search-hit")]
    assert ids[:2] == sorted([str(shop["vintage"].id), str(shop["armchair"].id)], reverse=True)


def test_zero_results_keep_the_search_and_offer_filters_to_remove_with_their_counts(client, shop):
    html = get(client, "/search?category=bikes&max_price=0")
    assert title(html) == "0 listings"
    assert find(html, testid="no-results")
    ways = [(way.text, way.query) for way in find_all(html, "a", testid="relaxation")]
    assert ways == [
        ("Remove “Free” 3 listings", {"category": ["bikes"]}),
        ("Remove “Bikes” 1 listings", {"max_price": ["0"]}),
    ]
    assert len(find_all(html, "a", testid="chip")) == 2  # the search is still all there


def test_zero_results_near_a_place_offer_a_wider_radius(client, shop):
    html = get(client, "/search?near=94103&radius=5&condition=new")
    ways = [(way.text, way.query) for way in find_all(html, "a", testid="relaxation")]
    assert (
        "Search within 500 mi 1 listings",
        {"condition": ["new"], "near": ["94103"], "radius": ["500"]},
    ) in ways


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("min_price=cheap", "min_price", "Enter a price as a number"),
        ("min_price=500&max_price=100", "max_price", "below the minimum"),
        ("near=00000", "near", "We don't know the ZIP code 00000"),
        ("near=Springfield", "near", "add the state"),
        ("radius=0&near=94103", "radius", "radius in miles"),
        ("sort=distance", "sort", "needs a place"),
        ("category=no-such-thing", "category", "We don't know the category"),
        ("condition=mint", "condition", "Unknown condition"),
        ("bbox=1,2,3", "bbox", "west,south,east,north"),
        ("page=0", "page", "Enter a number"),
    ],
)
def test_bad_input_gets_a_400_page_with_the_message_by_its_field(
    client, categories, query, field, message
):
    html = get(client, f"/search?{query}", status=400)
    assert message in find(html, testid=f"error-{field}").text


def test_clearing_the_place_box_drops_a_distance_sort_instead_of_failing(client, shop):
    html = get(client, "/search?near=&sort=distance&q=bike")
    assert title(html) == "2 listings for “bike”"  # road and carbon; a bicycle is not a bike


def test_a_wrong_field_keeps_what_was_typed_so_it_can_be_corrected(client, shop):
    html = get(client, "/search?q=sofa&min_price=12abc", status=400)
    assert find(html, "input", id="min-price").attrs["value"] == "12abc"
    assert find(html, "input", id="search-q").attrs["value"] == "sofa"


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "x" * 5000,
        "q=%00%ff%fe",
        'q="unclosed AND (title:x OR *',
        "near=%F0%9F%9A%B2",
        "radius=1e309&near=94103",
        "lat=91&lon=0",
        "lat=NaN&lon=NaN",
        "bbox=-200,0,0,10",
        "bbox=10,50,20,40",
        "cursor=Zm9yZ2Vk",
        "per_page=10000",
        "view=../../etc",
        "category=" + "a" * 500,
        "posted=forever&photo=maybe",
        "min_price=-1&max_price=1e40",
    ],
)
def test_garbage_never_makes_a_server_error(client, categories, query):
    response = client.get(f"/search?{query}")
    assert response.status_code in (200, 400)


def test_every_link_of_the_page_reproduces_a_page(client, shop):
    html = get(client, "/search?near=94103&condition=good&posted=7d")
    links = {
        a.attrs["href"]
        for a in find_all(html, "a")
        if a.attrs.get("href", "").startswith("/search")
    }
    assert len(links) > 15
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_map_view_carries_the_clusters_endpoint_and_keeps_itself_in_links(client, shop):
    html = get(client, "/search?view=map&category=bikes")
    map_element = find(html, id="search-map")
    assert map_element.attrs["data-clusters-url"] == "/api/v1/search/clusters?category=bikes"
    assert facet(html, "condition:good").query == {
        "category": ["bikes"],
        "condition": ["good"],
        "view": ["map"],
    }
    assert find(html, "a", testid="view-list").query == {"category": ["bikes"]}


def remembered_inputs(client) -> dict[str, str]:
    """The hidden place inputs of the navbar's search form, on the home page."""
    html = get(client, "/")
    return {
        i.attrs["name"]: i.attrs["value"]
        for i in find_all(html, "input", type="hidden")
        if i.attrs.get("name") in ("near", "radius")
    }


def test_a_chosen_place_is_remembered_for_the_next_search_until_it_is_removed(client, shop):
    assert remembered_inputs(client) == {}
    html = get(client, "/search?near=94612&radius=10")
    assert remembered_inputs(client) == {"near": "94612", "radius": "10"}
    place_chip = next(c for c in find_all(html, "a", testid="chip") if "94612" in c.text)
    assert place_chip.query["near"] == [""]
    get(client, place_chip.attrs["href"])
    assert remembered_inputs(client) == {}


def test_the_place_box_offers_the_remembered_place_when_the_search_has_none(client, shop):
    get(client, "/search?near=94103")
    html = get(client, "/search?q=sofa")
    assert find(html, "a", testid="use-remembered-place").query == {
        "q": ["sofa"],
        "near": ["94103"],
    }


def test_a_listing_page_shows_similar_listings_nearby(client, shop):
    html = get(client, f"/listings/{shop['road'].id}")
    section = find(html, testid="similar-nearby")
    assert "Vintage road bicycle" in section.text  # a bike 8 miles away
    assert "Carbon racing bike" not in section.text  # a bike 350 miles away
    assert "Leather sofa" not in section.text  # near, but furniture
    assert "Road bike, 56 cm frame" not in section.text  # not itself
