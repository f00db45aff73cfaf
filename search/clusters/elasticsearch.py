"""Clusters on Elasticsearch: a `geotile_grid` aggregation with a `geo_centroid` per cell.

The request matches exactly what the search backend's hits match: its shared filters, its text
clauses and every facet filter (which a search puts in `post_filter`) in one `bool` query, so
`hits.total` is the search's total. One shard holds the index, so the cell counts are exact;
when the matches fill more cells than MAX_CLUSTERS, the bucket list is cut short and its counts
fall below the total, and the request is repeated one precision coarser.
"""

from __future__ import annotations

import logging

from elasticsearch import ApiError, TransportError
from elasticsearch.dsl import Q, Search
from flask import current_app

from search import index
from search.backends import SearchUnavailable
from search.backends.common import Clock
from search.backends.elasticsearch import facet_filters, shared_filters, text_clauses
from search.clusters.cells import MAX_CLUSTERS, Cluster, Clusters, ordered, precision_for
from search.clusters.tiles import Tile
from search.query import ListingQuery

log = logging.getLogger(__name__)


def clusters(query: ListingQuery, zoom: int) -> Clusters:
    settings = current_app.extensions["settings"]
    client = index.get_client(settings)
    clock = Clock.current()
    precision = precision_for(zoom)
    while True:
        request = build_request(query, clock, precision)
        try:
            searched = request.using(client).index(index.read_alias(settings))
            raw = searched.execute().to_dict()
        except (ApiError, TransportError) as error:
            log.warning("Elasticsearch could not answer a cluster search: %s", error)
            raise SearchUnavailable("Search is unavailable right now.") from error
        total, cells = read_response(raw)
        if sum(cell.count for cell in cells) == total or precision == 0:
            return Clusters(total=total, zoom=zoom, precision=precision, cells=ordered(cells))
        precision -= 1


def build_request(query: ListingQuery, clock: Clock, precision: int) -> Search:
    """Every match of `query` (no hits returned) grouped into cells at `precision`."""
    filters = [*shared_filters(query, clock), *facet_filters(query, clock).values()]
    request = (
        Search()
        .query(Q("bool", filter=filters, must=text_clauses(query)))
        .extra(size=0, track_total_hits=True)
    )
    request.aggs.bucket(
        "cells",
        "geotile_grid",
        field="location",
        precision=precision,
        size=MAX_CLUSTERS,
        shard_size=MAX_CLUSTERS,
    ).metric("centre", "geo_centroid", field="location")
    return request


def read_response(response: dict) -> tuple[int, list[Cluster]]:
    total = response["hits"]["total"]["value"]
    cells = [
        Cluster(
            tile=Tile.from_key(bucket["key"]),
            count=bucket["doc_count"],
            lat=bucket["centre"]["location"]["lat"],
            lon=bucket["centre"]["location"]["lon"],
        )
        for bucket in response["aggregations"]["cells"]["buckets"]
    ]
    return total, cells
