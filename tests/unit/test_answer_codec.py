"""Answers shared between web processes come back exactly as they went, and only from us
(search.answer_codec)."""

from __future__ import annotations

from datetime import datetime

import pytest
from markupsafe import Markup

from search import answer_codec
from search.query import Location
from search.results import DistanceBand, Facets, FacetValue, ListingHit, PriceBand, SearchResult

SIGNER = answer_codec.signer("a secret key of the test suite")


def a_result() -> SearchResult:
    hit = ListingHit(
        id=7,
        title="Road bike <b>",
        title_html=Markup("<mark>Road</mark> bike &lt;b&gt;"),
        price_minor=12_500,
        price_kind="fixed",
        currency="USD",
        category="bicycles",
        condition=None,
        city="Austin",
        state="TX",
        zip_code=None,
        lat=30.2672,
        lon=-97.7431,
        created_at=datetime(2026, 11, 28, 9, 5, 1, 123456),
        has_photo=True,
        thumbnail_key="photos/7/thumb.jpg",
        seller_id=3,
        distance_mi=1.0000000000000002,
    )
    facets = Facets(
        category=[FacetValue("bicycles", 1, label="Bicycles")],
        condition=[FacetValue("used", 1)],
        price=[PriceBand(10_000, 25_000, 1), PriceBand(25_000, None, 0)],
        distance=[DistanceBand(10, 1)],
    )
    return SearchResult(
        hits=[hit],
        total=1,
        facets=facets,
        location=Location(30.27, -97.74, label="Austin, TX"),
        next_cursor="abc",
        took=8.0,
        page=2,
        per_page=10,
    )


def test_an_answer_comes_back_as_it_went():
    asked, result = answer_codec.decode(SIGNER, answer_codec.encode(SIGNER, 42, a_result()))
    assert asked == 42
    assert result == a_result()
    assert isinstance(result.hits[0].title_html, Markup)


def test_an_answer_without_a_place_or_hits_comes_back_too():
    empty = SearchResult(hits=[], total=0, facets=Facets(), location=None, next_cursor=None, took=0)
    assert answer_codec.decode(SIGNER, answer_codec.encode(SIGNER, 1, empty)) == (1, empty)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data.replace(b"Road", b"Evil"),  # edited in Redis
        lambda data: data[:-1],  # cut short
        lambda data: b"not an answer",
        lambda data: answer_codec.encode(
            answer_codec.signer("another site's secret"), 42, a_result()
        ),
    ],
)
def test_an_answer_we_did_not_write_is_refused(damage):
    data = damage(answer_codec.encode(SIGNER, 42, a_result()))
    with pytest.raises(answer_codec.UnreadableAnswer):
        answer_codec.decode(SIGNER, data)


def test_an_answer_of_another_shape_is_refused():
    # What an older or newer version of the code may have left in Redis for the minute.
    data = SIGNER.sign(b'[42, {"hits": [{"id": 1}], "total": 1}]')
    with pytest.raises(answer_codec.UnreadableAnswer):
        answer_codec.decode(SIGNER, data)
