"""ListingQuery: parsing a URL's arguments into a validated search, and back to one URL."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from search import cursor
from search.query import MAX_TEXT_LENGTH, RESULT_WINDOW, ListingQuery


def parse(*pairs, **args) -> ListingQuery:
    return ListingQuery.from_args(MultiDict([*pairs, *args.items()]))


def test_prices_are_read_in_major_units_and_kept_in_minor_units():
    query = parse(min_price="99.99", max_price="$1,250")
    assert (query.min_price, query.max_price) == (9_999, 125_000)
    assert not query.errors


@pytest.mark.parametrize("value", ["abc", "-5", "1e30", "NaN", "Infinity", "1.2.3", "-0.01"])
def test_bad_prices_become_errors(value):
    query = parse(min_price=value)
    assert "min_price" in query.errors
    assert query.min_price is None


def test_max_price_zero_means_free():
    assert parse(max_price="0").max_price == 0


def test_min_above_max_is_an_error():
    assert "max_price" in parse(min_price="500", max_price="100").errors


@pytest.mark.parametrize("page", ["0", "-1", "x", str(RESULT_WINDOW + 1), "1e3"])
def test_out_of_range_pages_are_errors(page):
    query = parse(page=page)
    assert "page" in query.errors
    assert query.page == 1


def test_pages_stop_at_the_result_window():
    assert "page" not in parse(page=str(RESULT_WINDOW // 24)).errors
    assert "page" in parse(page=str(RESULT_WINDOW // 24 + 1)).errors
    assert "page" in parse(page="101", per_page="100").errors


@pytest.mark.parametrize("per_page", ["0", "101", "abc"])
def test_per_page_is_one_to_a_hundred(per_page):
    assert "per_page" in parse(per_page=per_page).errors


def test_text_is_trimmed_and_capped():
    query = parse(q="  red   bike  " + "x" * 10_000)
    assert query.text.startswith("red bike ")
    assert len(query.text) == MAX_TEXT_LENGTH


def test_unknown_sort_is_an_error():
    assert "sort" in parse(sort="random").errors


def test_default_sort_is_relevance_with_words_and_newest_without():
    assert parse(q="bike").effective_sort == "relevance"
    assert parse().effective_sort == "newest"
    assert parse(sort="relevance").effective_sort == "newest"
    assert parse(q="!!!").effective_sort == "newest"  # no searchable words


def test_distance_sort_needs_a_place():
    assert "sort" in parse(sort="distance").errors
    assert not parse(sort="distance", near="94103").errors


def test_repeated_values_combine_and_unknown_ones_are_errors():
    query = parse(("category", "bikes"), ("category", "furniture"), ("condition", "good"))
    assert query.categories == ("bikes", "furniture")
    assert query.conditions == ("good",)
    assert "condition" in parse(condition="mint").errors
    known = {"bikes"}
    assert "category" in ListingQuery.from_args({"category": "boats"}, category_slugs=known).errors
    assert "category" in parse(category="../etc").errors


def test_a_zip_code_or_a_city_resolves_offline():
    by_zip = parse(near="94103")
    assert by_zip.location.label.startswith("San Francisco, CA")
    assert by_zip.near == "94103"
    by_city = parse(near="  austin,   tx ")
    assert by_city.near == "Austin, TX"
    assert by_city.location.lat == pytest.approx(30.3, abs=0.3)


@pytest.mark.parametrize("near", ["00000", "Nowhereville, ZZ", "Springfield", "9410"])
def test_unknown_or_ambiguous_places_are_errors(near):
    query = parse(near=near)
    assert "near" in query.errors
    assert query.location is None


def test_coordinates_instead_of_a_place():
    query = parse(lat="37.77", lon="-122.42", radius="10")
    assert (query.location.lat, query.location.lon, query.radius) == (37.77, -122.42, 10)
    assert "lon" in parse(lat="37.77").errors
    assert "near" in parse(near="94103", lat="1", lon="2").errors
    for bad in ("91", "NaN", "inf", "x"):
        assert "lat" in parse(lat=bad, lon="0").errors


@pytest.mark.parametrize("radius", ["0", "0.5", "501", "100000", "-3", "NaN", "far"])
def test_radius_is_one_to_five_hundred_miles(radius):
    assert "radius" in parse(near="94103", radius=radius).errors


def test_bbox_may_cross_the_antimeridian_but_not_be_upside_down():
    across = parse(bbox="170,-10,-170,10")
    assert not across.errors and across.bbox.crosses_antimeridian
    assert "bbox" in parse(bbox="-10,10,10,-10").errors  # south above north
    for bad in ("1,2,3", "a,b,c,d", "-200,0,0,10", "0,-91,1,1", "nan,0,1,1"):
        assert "bbox" in parse(bbox=bad).errors


def test_posted_and_photo():
    query = parse(posted="7d", photo="1")
    assert (query.posted, query.photo) == ("7d", True)
    assert "posted" in parse(posted="2d").errors
    assert "photo" in parse(photo="maybe").errors


def test_canonical_url_round_trips_and_is_the_same_for_equal_searches():
    query = parse(
        ("category", "furniture"),
        ("category", "bikes"),
        q="sofa",
        min_price="10",
        max_price="250.50",
        condition="good",
        near="94103",
        radius="10",
        bbox="-123,37,-122,38",
        posted="7d",
        photo="yes",
        sort="newest",
        page="3",
    )
    assert not query.errors
    again = ListingQuery.from_args(MultiDict(query.to_args()))
    assert again == query
    assert again.to_url_query() == query.to_url_query()
    assert query.to_url_query(page=4).endswith("page=4")
    reordered = parse(
        ("category", "bikes"),
        ("category", "furniture"),
        q=" sofa ",
        photo="1",
        max_price="$250.5",
        min_price="10.00",
        condition="good",
        near="94103",
        radius="10.0",
        bbox="-123,37,-122,38",
        posted="7d",
        sort="newest",
    )
    assert reordered.search_url_query() == query.search_url_query()
    assert "page" not in query.search_url_query()


def test_defaults_are_left_out_of_the_url():
    assert parse(q="bike", sort="relevance", radius="25", page="1").to_url_query() == "q=bike"
    assert parse(sort="newest").to_url_query() == ""


def test_chip_helpers_remove_one_value_and_go_back_to_page_one():
    query = parse(
        ("category", "bikes"),
        ("category", "furniture"),
        near="94103",
        sort="distance",
        page="2",
        min_price="5",
    )
    assert query.without("category", "bikes") == {
        "category": ["furniture"],
        "min_price": "5",
        "near": "94103",
        "sort": "distance",
    }
    assert query.without("near") == {"category": ["bikes", "furniture"], "min_price": "5"}
    assert query.toggled("condition", "good")["condition"] == ["good"]
    assert query.toggled("category", "bikes")["category"] == ["furniture"]
    assert query.is_selected("category", "bikes")
    chips = query.active_filters({"bikes": "Bikes"})
    assert [(c.argument, c.label) for c in chips][:2] == [
        ("category", "Bikes"),
        ("category", "furniture"),
    ]
    assert ("near", "Within 25 mi of San Francisco, CA 94103") in [
        (c.argument, c.label) for c in chips
    ]


def test_a_cursor_only_continues_its_own_search():
    first = parse(q="bike")
    token = cursor.encode(first.effective_sort, first.fingerprint(), [1.5, 42])
    assert parse(q="bike", cursor=token).after == (1.5, 42)
    assert "cursor" in parse(q="sofa", cursor=token).errors
    assert "cursor" in parse(q="bike", sort="newest", cursor=token).errors
    assert "cursor" in parse(q="bike", cursor=token, page="2").errors


@pytest.mark.parametrize(
    "forged",
    ["x", "!!!", "e30", cursor.encode("newest", "0" * 12, [1, 2]), "eyJrIjpbIngiLDFdfQ"],
)
def test_forged_cursors_are_errors(forged):
    assert "cursor" in parse(cursor=forged).errors
