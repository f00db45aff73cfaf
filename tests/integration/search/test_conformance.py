"""One conformance suite for every backend: each argument and facet of the search contract,
asked through `GET /api/v1/search`, must give what the contract computed in plain Python gives
(tests/search_catalogue.Reference), on Elasticsearch, on PostgreSQL and on SQLite alike."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from search.query import ListingQuery
from tests.integration.search.conftest import BACKENDS
from tests.search_catalogue import facets_as_dicts

CASES = [
    "",
    # text: every word required, inflections, accents, typos
    "q=bike",
    "q=BIKES",
    "q=mountian+bikes",
    "q=kids+bike",
    "q=road+bike",
    "q=cafe",
    "q=creme+brulee",
    "q=running",
    "q=lamp",
    "q=bike+sofa",
    "q=the",
    # categories: a section includes its subcategories; repeated values are OR
    "category=bikes",
    "category=for-sale",
    "category=bikes&category=furniture",
    "category=vehicles",
    "category=jobs&category=housing",
    # prices: major units, inclusive; max 0 is free
    "min_price=100",
    "max_price=100",
    "min_price=25&max_price=250",
    "min_price=24.99&max_price=25",
    "max_price=0",
    "min_price=0.01&max_price=0.01",
    # condition: listings without one match none
    "condition=good",
    "condition=good&condition=fair",
    "condition=new&category=household-items",
    # places: ZIP, city, coordinates; radius inclusive
    "near=94103",
    "near=94103&radius=10",
    "near=94103&radius=500",
    "near=Sacramento,+CA&radius=5",
    "lat=37.7725&lon=-122.4147&radius=1",
    "near=99546&radius=500",
    # map box, also across the antimeridian, also with a place
    "bbox=-123,37,-121,39",
    "bbox=170,40,-170,60",
    "bbox=-123,37,-122,38&near=94103",
    # posted within, photos
    "posted=1d",
    "posted=7d",
    "posted=30d&category=bikes",
    "photo=1",
    "photo=1&category=furniture",
    # sorts, ties by id descending
    "sort=newest",
    "sort=price_asc",
    "sort=price_desc",
    "sort=newest&category=for-sale",
    "near=94103&sort=distance",
    "near=94103&radius=500&sort=distance&category=for-sale",
    "q=bike&sort=price_desc",
    # everything at once
    "q=bike&near=94103&radius=50&max_price=300&condition=good&condition=fair&photo=1",
    "category=for-sale&min_price=20&near=94612&radius=100&posted=30d&sort=price_asc",
]


def _query(case: str) -> ListingQuery:
    from urllib.parse import parse_qsl

    return ListingQuery.from_args(MultiDict(parse_qsl(case)))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES)
def test_every_argument_and_facet_matches_the_contract(catalogue, backend, case):
    query = _query(case)
    assert not query.errors
    status, body = catalogue.get(backend, f"{case}&per_page=100")
    assert status == 200, body
    expected = catalogue.reference.ids(query)
    ids = [hit["id"] for hit in body["hits"]]
    if query.effective_sort == "relevance":
        assert sorted(ids) == sorted(expected)
    else:
        assert ids == expected
    assert body["total"] == len(expected)
    assert facets_as_dicts(body["facets"]) == catalogue.reference.facets(query)
    assert body["next_cursor"] is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_facet_ignores_its_own_filter_but_keeps_the_others(catalogue, backend):
    _, body = catalogue.get(backend, "category=bikes&condition=good&per_page=100")
    conditions = {item["value"]: item["count"] for item in body["facets"]["condition"]}
    categories = {item["value"]: item["count"] for item in body["facets"]["category"]}
    # Other conditions of bikes stay countable; other categories in "good" condition too.
    assert conditions == {"good": 1, "fair": 2, "for_parts": 1}
    assert categories["bikes"] == 1 and categories["appliances"] == 1
    assert categories["for-sale"] == 4  # a section counts its subcategories: 1, 7, 14, 20


@pytest.mark.parametrize("backend", BACKENDS)
def test_facet_values_carry_labels_and_only_nonzero_counts(catalogue, backend):
    _, body = catalogue.get(backend, "q=lamp")
    labels = {item["value"]: item["label"] for item in body["facets"]["category"]}
    assert labels == {
        "for-sale": "For Sale",
        "furniture": "Furniture",
        "household-items": "Household Items",
    }
    for name in ("category", "condition", "posted", "photo", "price", "distance"):
        assert all(item["count"] > 0 for item in body["facets"][name])


@pytest.mark.parametrize("backend", BACKENDS)
def test_distance_is_on_every_hit_and_bands_are_cumulative(catalogue, backend):
    _, body = catalogue.get(backend, "near=94103&radius=10&sort=distance")
    assert body["location"]["label"].startswith("San Francisco, CA")
    distances = [hit["distance_mi"] for hit in body["hits"]]
    assert distances == sorted(distances) and distances[0] == 0
    oakland = next(hit for hit in body["hits"] if hit["city"] == "Oakland")
    assert oakland["distance_mi"] == pytest.approx(8.24, abs=0.01)
    bands = [band["count"] for band in body["facets"]["distance"]]
    assert bands == sorted(bands)  # "within 5", "within 10", ... never shrink
    _, plain = catalogue.get(backend, "category=bikes")
    assert plain["location"] is None
    assert {hit["distance_mi"] for hit in plain["hits"]} == {None}
    assert plain["facets"]["distance"] == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_hits_have_the_contract_shape(catalogue, backend):
    _, body = catalogue.get(backend, "q=espresso+machines&near=94103&radius=50")
    assert set(body) == {"total", "location", "hits", "facets", "next_cursor", "took"}
    (hit,) = body["hits"]
    assert hit == {
        "id": 4,
        "title": "Café espresso machine",
        "title_html": "Café <mark>espresso</mark> <mark>machine</mark>",
        "price_minor": 19_999,
        "price_kind": "fixed",
        "currency": "USD",
        "category": "appliances",
        "condition": "new",
        "city": "San Jose",
        "state": "CA",
        "zip_code": "95112",
        "lat": 37.3443,
        "lon": -121.8832,
        "created_at": hit["created_at"],
        "has_photo": True,
        "thumbnail_url": f"/media/{4:064x}/thumb",
        "url": "/listings/4",
        "distance_mi": pytest.approx(41.51, abs=0.01),
    }
    assert hit["created_at"].endswith("Z")


@pytest.mark.parametrize("backend", BACKENDS)
def test_title_matches_rank_above_description_matches(catalogue, backend):
    _, body = catalogue.get(backend, "q=lamp")
    ids = [hit["id"] for hit in body["hits"]]
    assert set(ids[:2]) == {8, 21} and ids[2] == 9


@pytest.mark.parametrize("backend", BACKENDS)
def test_pages_are_slices_of_the_whole_order(catalogue, backend):
    _, whole = catalogue.get(backend, "sort=price_asc&per_page=100")
    ids = [hit["id"] for hit in whole["hits"]]
    _, second = catalogue.get(backend, "sort=price_asc&per_page=5&page=2")
    assert [hit["id"] for hit in second["hits"]] == ids[5:10]
    assert second["total"] == len(ids)


@pytest.mark.parametrize("backend", BACKENDS)
def test_alerts_can_ask_for_recent_listings_of_other_sellers(catalogue, backend):
    from datetime import timedelta

    from search import engine

    since = catalogue.now - timedelta(hours=11)
    with catalogue.apps[backend].test_request_context():
        recent = engine.run(ListingQuery(visible_after=since, per_page=100))
        others = engine.run(ListingQuery(visible_after=since, exclude_seller=2, per_page=100))
        own = engine.run(ListingQuery(visible_after=since, exclude_seller=1, per_page=100))
    assert [hit.id for hit in recent.hits] == [23, 16, 1, 10, 5, 24, 12]
    assert [hit.id for hit in others.hits] == [23, 16, 1, 10, 5, 24, 12]
    assert own.total == 0 and own.hits == []
