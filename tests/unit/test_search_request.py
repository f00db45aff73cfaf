"""The Elasticsearch request of a query, read without a server: where each filter goes."""

from __future__ import annotations

from datetime import datetime

from werkzeug.datastructures import MultiDict

from search.backends.common import Clock
from search.backends.elasticsearch import SHARED_FACETS, build_search
from search.query import ListingQuery

CLOCK = Clock(datetime(2026, 11, 27, 12, 0, 0))


def request_for(**args) -> dict:
    query = ListingQuery.from_args(MultiDict(args))
    assert not query.errors
    return build_search(query, CLOCK)


def test_faceted_filters_go_to_the_post_filter_and_each_facet_drops_its_own():
    body = request_for(category="bikes", condition="good", near="94103", photo="1")
    post_filter = body["post_filter"]["bool"]["filter"]
    assert {next(iter(clause)) for clause in post_filter} == {"terms", "geo_distance", "term"}
    category_facet = body["aggs"]["category"]["filter"]["bool"]["filter"]
    assert {"terms": {"category_path": ["bikes"]}} not in category_facet
    assert {"terms": {"condition": ["good"]}} in category_facet
    distance_facet = body["aggs"]["distance"]["filter"]["bool"]["filter"]
    assert not any("geo_distance" in clause for clause in distance_facet)


def test_facets_the_query_does_not_filter_on_share_one_aggregation_of_every_filter():
    body = request_for(category="bikes", near="94103")
    post_filter = body["post_filter"]["bool"]["filter"]
    shared = body["aggs"][SHARED_FACETS]
    assert shared["filter"]["bool"]["filter"] == post_filter
    assert set(shared["aggs"]) == {"condition", "posted", "photo", "price"}
    assert set(body["aggs"]) == {"category", "distance", SHARED_FACETS}
    # Without any filter, every facet counts the query's matches: one aggregation for all.
    unfiltered = request_for(q="bike")["aggs"]
    assert list(unfiltered) == [SHARED_FACETS]
    assert unfiltered[SHARED_FACETS]["filter"] == {"bool": {"filter": []}}


def test_visibility_text_and_box_are_in_the_query_for_hits_and_facets_alike():
    body = request_for(q="Mountain bikes", bbox="170,40,-170,60")
    query = body["query"]["bool"]
    assert {"term": {"status": "active"}} in query["filter"]
    assert {"term": {"owner_active": True}} in query["filter"]
    assert any("geo_bounding_box" in clause for clause in query["filter"])
    required = query["must"][0]["bool"]["must"][0]["match"]["text_terms"]
    assert required["query"] == "mountain bike"
    assert required["operator"] == "and" and required["fuzziness"] == "AUTO:5,8"


def test_every_sort_ends_with_the_id_and_totals_are_exact():
    for sort in ("newest", "price_asc", "price_desc"):
        body = request_for(sort=sort)
        assert body["sort"][-1] == {"listing_id": {"order": "desc"}}
        assert body["track_total_hits"] is True
    assert "_geo_distance" in request_for(near="94103", sort="distance")["sort"][0]
