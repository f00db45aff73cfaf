"""Saved searches run many at a time on the configured backend: which of a batch of new
listings they match, and how many listings they match in all.

The queries are the search's own (search.backends): the same filters, text matching and
visibility rule as the results page, so an alert never disagrees with the page it links to.
A prefilter in memory (prefilter.py) first drops the saved searches that cannot match any
listing of the batch, and narrows the others to the listings they could match; then
- Elasticsearch: one `msearch` per MSEARCH_BATCH saved searches, each narrowed to its
  listings (a `terms` filter on `listing_id`), the matching ids read from an aggregation;
- Embedded: one SQL statement per saved search (search.backends.database.match_statement).

Why this direction (saved searches against the new listings, not each new listing against
indexed searches): measured in bench/alerts.py, written down in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

from elasticsearch import ApiError, TransportError
from elasticsearch.dsl import Q
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from indexer.alerts.prefilter import NewListing, Prefilter
from models import Category, Listing, db
from search import engine, index
from search.backends import SearchUnavailable, database
from search.backends import elasticsearch as es_backend
from search.backends.common import Clock
from search.document import to_document
from search.query import ListingQuery

log = logging.getLogger(__name__)

MSEARCH_BATCH = 250  # saved searches per msearch request
MSEARCH_TIMEOUT = 120  # seconds: a batch of searches takes longer than one search
TRANSIENT = (429, 500, 502, 503, 504)
# The document fields the prefilter compares (prefilter.NewListing).
DOCUMENT_FIELDS = [
    "listing_id", "seller_id", "category_path", "price_minor", "condition", "has_photo",
    "location", "text_terms",
]  # fmt: skip


@dataclass(frozen=True)
class SavedQuery:
    """A saved search ready to run: its query leaves out its owner's own listings."""

    search_id: int
    user_id: int
    query: ListingQuery


Run = tuple[SavedQuery, list[int]]  # a saved search and the listings it could match


def indexed_documents(listing_ids: Sequence[int]) -> dict[int, dict]:
    """What searches see now of each listing: its document's version and the fields the
    prefilter compares (prefilter.NewListing); a listing not indexed is left out.

    On Elasticsearch these come from the searchable documents themselves (what a search at
    this moment finds, refreshes included); the embedded backend searches the database, so
    there they are the documents of the rows as they are.
    """
    if not listing_ids:
        return {}
    if engine.backend_name() == "database":
        return _documents_from_database(listing_ids)
    client, alias = _client()
    try:
        response = client.search(
            index=alias,
            query={"terms": {"listing_id": list(listing_ids)}},
            size=len(listing_ids),
            source=["version", *DOCUMENT_FIELDS],
            track_total_hits=False,
        )
    except (ApiError, TransportError) as error:
        raise SearchUnavailable(f"Elasticsearch could not say what it holds: {error}") from error
    return {int(hit["_id"]): hit["_source"] for hit in response["hits"]["hits"]}


def _documents_from_database(listing_ids: Sequence[int]) -> dict[int, dict]:
    db.session.scalars(select(Category)).all()  # the tree in the session: no lazy load per row
    listings = db.session.scalars(
        select(Listing).where(Listing.id.in_(listing_ids)).options(selectinload(Listing.images))
    )
    return {listing.id: to_document(listing) for listing in listings}


def match(saved: Sequence[SavedQuery], documents: Mapping[int, dict]) -> dict[int, list[int]]:
    """{saved search id: the listings among `documents` (indexed_documents) it matches};
    searches that match none are left out. Only searches the prefilter lets through run, each
    narrowed to its possible listings. Raises SearchUnavailable when the backend cannot answer.
    """
    prefilter = Prefilter(NewListing.from_document(d) for d in documents.values())
    runs = []
    for item in saved:
        possible = prefilter.possible(item.query, item.user_id)
        if possible:
            runs.append((item, possible))
    if not runs:
        return {}
    clock = Clock.current()
    if engine.backend_name() == "database":
        return _match_in_database(runs, clock)
    return _match_in_elasticsearch(runs, clock)


def count(queries: Sequence[ListingQuery]) -> list[int]:
    """How many listings each query matches now (exact totals, nothing else)."""
    clock = Clock.current()
    if engine.backend_name() == "database":
        return [
            db.session.scalar(
                select(func.count()).select_from(database.match_statement(q, clock).subquery())
            )
            or 0
            for q in queries
        ]
    bodies = (
        {"query": query_clause(q, clock).to_dict(), "size": 0, "track_total_hits": True}
        for q in queries
    )
    return [answer["hits"]["total"]["value"] if answer else 0 for answer in _msearch(bodies)]


def query_clause(query: ListingQuery, clock: Clock) -> Q:
    """The Elasticsearch query of `query` with every filter in it: what the results page's
    hits obey (its facet filters are post filters there, here they filter directly)."""
    filters = [
        *es_backend.shared_filters(query, clock),
        *es_backend.facet_filters(query, clock).values(),
    ]
    return Q("bool", filter=filters, must=es_backend.text_clauses(query))


def _match_in_database(runs: Sequence[Run], clock: Clock) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for item, possible in runs:
        statement = database.match_statement(item.query, clock).where(Listing.id.in_(possible))
        ids = sorted(db.session.scalars(statement))
        if ids:
            found[item.search_id] = ids
    return found


def _match_in_elasticsearch(runs: Sequence[Run], clock: Clock) -> dict[int, list[int]]:
    # Ids come from a terms aggregation, not hits: no fetch phase, which is most of the cost
    # of a query this small. Bodies are built a batch at a time, as _msearch sends them.
    bodies = (
        {
            "query": {
                "bool": {
                    "filter": [
                        {"terms": {"listing_id": possible}},
                        query_clause(item.query, clock).to_dict(),
                    ]
                }
            },
            "size": 0,
            "track_total_hits": False,
            "aggs": {"ids": {"terms": {"field": "listing_id", "size": len(possible)}}},
        }
        for item, possible in runs
    )
    found: dict[int, list[int]] = {}
    for (item, _), answer in zip(runs, _msearch(bodies), strict=True):
        if answer is None:
            continue
        ids = sorted(int(bucket["key"]) for bucket in answer["aggregations"]["ids"]["buckets"])
        if ids:
            found[item.search_id] = ids
    return found


def _msearch(bodies: Iterable[dict]) -> Iterator[dict | None]:
    """The answers to `bodies`, in order, MSEARCH_BATCH searches per request; None in place of
    a search the server refused as such (logged: it would be refused again, and must not hold
    back the others). A busy or failing server raises SearchUnavailable: the caller retries."""
    client, alias = _client()
    for chunk in _chunks(bodies, MSEARCH_BATCH):
        searches = [part for body in chunk for part in ({}, body)]
        try:
            response = client.options(request_timeout=MSEARCH_TIMEOUT).msearch(
                index=alias, searches=searches
            )
        except (ApiError, TransportError) as error:
            raise SearchUnavailable(
                f"Elasticsearch could not run saved searches: {error}"
            ) from error
        for answer in response["responses"]:
            if "error" not in answer:
                yield answer
            elif answer.get("status", 500) in TRANSIENT:
                raise SearchUnavailable(f"Elasticsearch is busy: {answer['error']}")
            else:
                log.error("A saved search was refused by Elasticsearch: %s", answer["error"])
                yield None


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _client():
    settings = current_app.extensions["settings"]
    return index.get_client(settings), index.read_alias(settings)
