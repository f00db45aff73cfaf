"""The Elasticsearch backend: a ListingQuery answered from the index in one request.

Shape of the request (built by pure functions, so it can be read and tested without a server):
- `query`: the visibility rule (models.visibility: active, not past expiry, owner active),
  the text, the map box and the alert-only conditions — what every facet shares;
- `post_filter`: the filters that have a facet (category, condition, posted, photo, price and
  the radius), so the hits obey all of them while each facet's aggregation applies every one
  but its own: choosing a value never hides the others (the facets the query does not filter
  on apply them all, and share one aggregation);
- text: every analysed query word must match the pre-analysed `text_terms` (title and
  description), with typo tolerance `AUTO:5,8` and an exact first letter; the same words in
  `title_terms` add to the score (the title weighs more);
- sort: the contract's orders with `listing_id` descending as the unique tiebreaker, which
  also makes `search_after` (the cursor) exact; `track_total_hits` makes totals exact.
Highlighting and each hit's distance are computed in Python (search.results) as the embedded
backend does, so both backends show the same.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from elasticsearch import ApiError, TransportError
from elasticsearch.dsl import Q, Search
from flask import current_app

from search import analysis, index
from search.backends import SearchUnavailable
from search.backends.common import Clock, build_facets, next_cursor
from search.query import POSTED, ListingQuery
from search.results import DISTANCE_BANDS_MI, PRICE_BANDS, ListingHit, SearchResult

log = logging.getLogger(__name__)

TITLE_BOOST = 3.0
# Fuzzy variants of one query word that Lucene may try; far above what real words have, so
# that no variant the embedded backend would accept is cut off.
MAX_EXPANSIONS = 500
CATEGORY_FACET_SIZE = 1000  # above the number of categories
SHARED_FACETS = "unfiltered_facets"  # the facets the query does not filter on (facet_aggregations)
HIDDEN_FIELDS = ["text_terms", "title_terms"]  # not needed to show a hit (search.document)

SORTS = {
    "relevance": [{"_score": {"order": "desc"}}],
    "newest": [{"created_at": {"order": "desc"}}],
    "price_asc": [{"price_minor": {"order": "asc"}}],
    "price_desc": [{"price_minor": {"order": "desc"}}],
}
TIEBREAK = {"listing_id": {"order": "desc"}}
# What read_response reads, and nothing else (no shard counts, index names or scores).
FILTER_PATH = ["took", "hits.total", "hits.hits._source", "hits.hits.sort", "aggregations"]


def search(query: ListingQuery) -> SearchResult:
    """Run `query` against the read alias of the configured index."""
    body = build_search(query, Clock.current())
    return read_response(query, execute(body, FILTER_PATH))


def execute(request: Search | dict, filter_path: list[str] | None = None) -> dict:
    """The raw response body of `request` (a Search or a ready body) on the read alias (raises
    SearchUnavailable).

    Raw, because elasticsearch.dsl's Response wrapper would be built only to be turned back
    into the dict the callers read."""
    settings = current_app.extensions["settings"]
    body = request if isinstance(request, dict) else request.to_dict()
    try:
        # Cached on the shard even with hits (Elasticsearch caches only size-0 requests unless
        # asked), until the next refresh that changes the index: the same search again, as
        # the popular ones are, costs Elasticsearch its fetch phase alone. Clock makes a
        # minute's searches identical.
        response = index.get_client(settings).search(
            index=index.read_alias(settings),
            body=body,
            filter_path=filter_path,
            request_cache=True,
        )
    except (ApiError, TransportError) as error:
        log.warning("Elasticsearch could not answer a search: %s", error)
        raise SearchUnavailable("Search is unavailable right now.") from error
    return response.body


def build_search(query: ListingQuery, clock: Clock) -> dict:
    """The whole request body for `query` evaluated at `clock.now`.

    The clauses are elasticsearch.dsl queries; the body around them is a plain dict. Search's
    builder copies itself at every call and walks the finished tree once more to serialise it,
    which cost 1.7 ms a request here, a third of the app's CPU per search (docs/BENCHMARKS.md).
    """
    post_filters = {name: clause.to_dict() for name, clause in facet_filters(query, clock).items()}
    main = Q(
        "bool",
        filter=[*shared_filters(query, clock), *reach(query)],
        must=text_clauses(query),
    )
    body = {
        "query": main.to_dict(),
        "post_filter": {"bool": {"filter": list(post_filters.values())}},
        "aggs": facet_aggregations(query, post_filters, clock),
        "sort": sort_clauses(query),
        "_source": {"excludes": HIDDEN_FIELDS},
        "track_total_hits": True,
    }
    if query.after is not None:
        # One hit more than the page shows tells whether another page follows.
        body.update(search_after=list(query.after), size=query.per_page + 1)
    else:
        body.update({"from": query.offset, "size": query.per_page})
    return body


def shared_filters(query: ListingQuery, clock: Clock) -> list[Q]:
    """Filters without a facet of their own: they apply to hits and facets alike."""
    filters = [
        Q("term", status="active"),
        Q("range", expires_at={"gt": _iso(clock.now)}),
        Q("term", owner_active=True),
    ]
    if query.bbox is not None:
        box = query.bbox
        filters.append(
            Q(
                "geo_bounding_box",
                location={
                    "top_left": {"lat": box.north, "lon": box.west},
                    "bottom_right": {"lat": box.south, "lon": box.east},
                },
            )
        )
    if query.visible_after is not None:
        filters.append(Q("range", visible_at={"gt": _iso(query.visible_after)}))
    if query.exclude_seller is not None:
        filters.append(~Q("term", seller_id=query.exclude_seller))
    return filters


def reach(query: ListingQuery) -> list[Q]:
    """With a place: nothing beyond the widest distance band (or the radius, if wider) can be
    a hit or count in any facet, so the main query leaves it out. Without this the radius sits
    only in the post filter, and every facet's aggregation would filter the whole country's
    matches down to the place again."""
    if query.location is None:
        return []
    miles = max(query.radius, DISTANCE_BANDS_MI[-1])
    return [Q("geo_distance", distance=f"{miles}mi", distance_type="arc", location=_point(query))]


def text_clauses(query: ListingQuery) -> list[Q]:
    """Every word required in title or description; title matches score higher."""
    terms = query.terms
    if not terms:
        return []
    words = " ".join(terms)
    fuzzy = {
        "fuzziness": analysis.ES_FUZZINESS,
        "prefix_length": analysis.FUZZY_PREFIX,
        "max_expansions": MAX_EXPANSIONS,
    }
    required = Q("match", text_terms={"query": words, "operator": "and", **fuzzy})
    title = Q("match", title_terms={"query": words, "boost": TITLE_BOOST, **fuzzy})
    return [Q("bool", must=[required], should=[title])]


def facet_filters(query: ListingQuery, clock: Clock) -> dict[str, Q]:
    """The filters that have a facet, by facet name (`distance` is the radius)."""
    filters: dict[str, Q] = {}
    if query.categories:
        filters["category"] = Q("terms", category_path=list(query.categories))
    if query.conditions:
        filters["condition"] = Q("terms", condition=list(query.conditions))
    if query.posted:
        filters["posted"] = Q("range", created_at={"gte": _iso(clock.since(query.posted))})
    if query.photo:
        filters["photo"] = Q("term", has_photo=True)
    if query.min_price is not None or query.max_price is not None:
        bounds = {"gte": query.min_price, "lte": query.max_price}
        filters["price"] = Q(
            "range", price_minor={k: v for k, v in bounds.items() if v is not None}
        )
    if query.location is not None:
        filters["distance"] = Q(
            "geo_distance",
            distance=f"{query.radius}mi",
            distance_type="arc",
            location=_point(query),
        )
    return filters


def facet_aggregations(query: ListingQuery, filters: dict[str, dict], clock: Clock) -> dict:
    """Each facet counted under every post filter (`filters`, by facet) except its own.

    A facet the query does not filter on applies every post filter, so all such facets share
    one filtered aggregation (SHARED_FACETS); each facet the query does filter on has its own.
    Elasticsearch evaluates a filter aggregation's filter on its own for each, so sharing saved
    11 to 12% of its CPU per search on the benchmark's mix (docs/BENCHMARKS.md)."""
    values = {
        "category": {"terms": {"field": "category_path", "size": CATEGORY_FACET_SIZE}},
        "condition": {"terms": {"field": "condition", "size": 10}},
        "posted": {
            "filters": {
                "filters": {
                    window: {"range": {"created_at": {"gte": _iso(clock.since(window))}}}
                    for window in POSTED
                }
            }
        },
        "photo": {"filter": {"term": {"has_photo": True}}},
        "price": {
            "range": {
                "field": "price_minor",
                "ranges": [_band(low, high) for low, high in PRICE_BANDS],
            }
        },
    }
    if query.location is not None:
        values["distance"] = {
            "geo_distance": {
                "field": "location",
                "origin": _point(query),
                "unit": "mi",
                "distance_type": "arc",
                "ranges": [{"to": miles} for miles in DISTANCE_BANDS_MI],
            }
        }
    aggregations = {
        name: {
            "filter": {"bool": {"filter": [c for f, c in filters.items() if f != name]}},
            "aggs": {"values": aggregation},
        }
        for name, aggregation in values.items()
        if name in filters
    }
    unfiltered = {name: agg for name, agg in values.items() if name not in filters}
    if unfiltered:
        aggregations[SHARED_FACETS] = {
            "filter": {"bool": {"filter": list(filters.values())}},
            "aggs": unfiltered,
        }
    return aggregations


def sort_clauses(query: ListingQuery) -> list[dict]:
    sort = query.effective_sort
    if sort == "distance":
        first = {
            "_geo_distance": {
                "location": _point(query),
                "order": "asc",
                "unit": "mi",
                "distance_type": "arc",
            }
        }
        return [first, TIEBREAK]
    return [*SORTS[sort], TIEBREAK]


def read_response(query: ListingQuery, response: dict) -> SearchResult:
    """The SearchResult of a raw response to `build_search(query)`."""
    raw_hits = response["hits"].get("hits", [])  # filter_path drops an empty list
    total = response["hits"]["total"]["value"]
    if query.after is not None:
        more = len(raw_hits) > query.per_page
    else:
        more = query.offset + len(raw_hits) < total
    raw_hits = raw_hits[: query.per_page]
    terms = query.terms
    hits = [
        ListingHit.from_document(hit["_source"], terms=terms, origin=query.location)
        for hit in raw_hits
    ]
    last = raw_hits[-1]["sort"] if raw_hits else None
    return SearchResult(
        hits=hits,
        total=total,
        facets=_facets(query, response["aggregations"]),
        location=query.location,
        next_cursor=next_cursor(query, last, more),
        took=float(response["took"]),
        page=query.page,
        per_page=query.per_page,
    )


def _facets(query: ListingQuery, aggregations: dict):
    def facet(name: str) -> dict:
        own = aggregations.get(name)
        return own["values"] if own is not None else aggregations[SHARED_FACETS][name]

    def values(name: str) -> dict[str, int]:
        return {b["key"]: b["doc_count"] for b in facet(name)["buckets"]}

    distance = None
    if query.location is not None:
        distance = [b["doc_count"] for b in facet("distance")["buckets"]]
    return build_facets(
        category=values("category"),
        condition=values("condition"),
        posted={
            window: bucket["doc_count"] for window, bucket in facet("posted")["buckets"].items()
        },
        photo=facet("photo")["doc_count"],
        price=[b["doc_count"] for b in facet("price")["buckets"]],
        distance=distance,
    )


def _point(query: ListingQuery) -> dict:
    return {"lat": query.location.lat, "lon": query.location.lon}


def _band(low: int, high: int | None) -> dict:
    return {"from": low} if high is None else {"from": low, "to": high}


def _iso(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).isoformat()
