"""ListingQuery: parsing a URL's arguments into a validated search."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from search.query import MAX_PAGE, MAX_TEXT_LENGTH, ListingQuery


def parse(**args) -> ListingQuery:
    return ListingQuery.from_args(MultiDict(args))


def test_prices_are_read_in_major_units_and_kept_in_minor_units():
    query = parse(min_price="99.99", max_price="$1,250")
    assert (query.min_price, query.max_price) == (9_999, 125_000)
    assert not query.errors


@pytest.mark.parametrize("value", ["abc", "-5", "1e30", "NaN", "Infinity", "1.2.3"])
def test_bad_prices_become_form_errors(value):
    query = parse(min_price=value)
    assert "min_price" in query.errors
    assert query.min_price is None


def test_min_above_max_is_an_error():
    assert "max_price" in parse(min_price="500", max_price="100").errors


@pytest.mark.parametrize("page", ["0", "-1", "x", str(MAX_PAGE + 1)])
def test_out_of_range_pages_are_errors(page):
    query = parse(page=page)
    assert "page" in query.errors
    assert query.page == 1


def test_text_is_trimmed_and_capped():
    query = parse(q="  red   bike  " + "x" * 500)
    assert query.text.startswith("red bike ")
    assert len(query.text) == MAX_TEXT_LENGTH


def test_unknown_sort_is_an_error():
    assert "sort" in parse(sort="random").errors


def test_round_trips_through_the_url():
    query = parse(
        q="sofa", category="furniture", min_price="10", max_price="250.5", sort="newest", page="3"
    )
    again = ListingQuery.from_args(MultiDict(query.to_args()))
    assert again == query
    assert query.to_url_query(page=4).endswith("page=4")
