"""The Elasticsearch backend: answers a ListingQuery from the index (being written)."""

from __future__ import annotations

from search.query import ListingQuery
from search.results import SearchResult


def search(query: ListingQuery) -> SearchResult:
    raise NotImplementedError("the Elasticsearch backend lands in the next commits")
