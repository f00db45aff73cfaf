"""The alerts' prefilter on hand-made listings: what it keeps and drops, by every field it
compares, across the antimeridian and near a pole."""

from __future__ import annotations

from urllib.parse import parse_qsl

from werkzeug.datastructures import MultiDict

from indexer.alerts.prefilter import NewListing, Prefilter
from indexer.alerts.searches import suggest_name
from search.query import ListingQuery

SF = (37.7725, -122.4147)


def listing(listing_id: int, **fields) -> NewListing:
    values = {
        "seller_id": 100,
        "category_path": frozenset({"for-sale", "bikes"}),
        "price_minor": 25_000,
        "condition": "good",
        "has_photo": True,
        "lat": SF[0],
        "lon": SF[1],
        "terms": frozenset({"road", "bike", "frame"}),
        **fields,
    }
    return NewListing(listing_id=listing_id, **values)


def query(text: str) -> ListingQuery:
    parsed = ListingQuery.from_args(MultiDict(parse_qsl(text)))
    assert not parsed.errors, parsed.errors
    return parsed


def kept(listings: list[NewListing], text: str, searcher_id: int = 1) -> list[int]:
    return Prefilter(listings).possible(query(text), searcher_id)


def test_each_compared_field_can_drop_a_listing():
    listings = [
        listing(1),
        listing(2, category_path=frozenset({"for-sale", "furniture"})),
        listing(3, price_minor=90_000),
        listing(4, condition=None),
        listing(5, has_photo=False),
        listing(6, lat=34.0614, lon=-118.2385),  # Los Angeles
        listing(7, terms=frozenset({"sofa"})),
        listing(8, seller_id=1),  # the searcher's own
    ]
    search = "q=bike&category=bikes&max_price=300&condition=good&photo=1&near=94103&radius=10"
    assert kept(listings, search) == [1]
    assert kept(listings, "category=for-sale") == [1, 2, 3, 4, 5, 6, 7]


def test_words_within_their_typo_allowance_are_kept():
    listings = [listing(1, terms=frozenset({"bicycl"})), listing(2, terms=frozenset({"car"}))]
    assert kept(listings, "q=bicylce") == [1]  # one swap away from the stem "bicycl"
    assert kept(listings, "q=cat") == []  # three letters: no typo allowed


def test_places_across_the_antimeridian_and_near_a_pole():
    adak = listing(1, lat=51.88, lon=-176.65)
    attu = listing(2, lat=52.9, lon=173.2)  # west of the antimeridian
    north = listing(3, lat=89.5, lon=10.0)
    listings = [adak, attu, north]
    assert kept(listings, "lat=52.5&lon=179.9&radius=300") == [1, 2]
    assert kept(listings, "lat=89.9&lon=-170&radius=50") == [3]


def test_a_search_without_filters_keeps_everything_but_ones_own():
    assert kept([listing(1), listing(2, seller_id=7)], "", searcher_id=7) == [1]


def test_the_suggested_name_says_what_the_search_is():
    labels = {"bikes": "Bikes"}
    assert suggest_name(query("q=road bike&category=bikes&max_price=300"), labels) == (
        "road bike, Bikes, Up to $300"
    )
    assert suggest_name(ListingQuery(), labels) == "All listings"
    long = suggest_name(query("q=" + " ".join(["word"] * 60)), labels)
    assert len(long) <= 100 and long.endswith("…")
