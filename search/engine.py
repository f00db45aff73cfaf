"""The one entry point of search: read a query, run it on the configured backend.

Views, the JSON endpoint and saved-search alerts call `parse(args)` and `run(query)` and never
know which backend answers: Elasticsearch when ELASTICSEARCH_URL is set (search is served from
the index), otherwise the embedded backend on the database itself (SQLite FTS5 or PostgreSQL
full-text search). Both answer the same contract.

`search/__init__.py` stays free of imports on purpose: `models` imports `search.analysis` (to
keep the embedded backend's terms in step), and this module imports `models`.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app

from search import answers
from search.backends import SearchUnavailable, database, elasticsearch
from search.categories import category_tree
from search.query import ListingQuery
from search.results import SearchResult

__all__ = ["SearchUnavailable", "backend_name", "parse", "run"]


def parse(args: Mapping) -> ListingQuery:
    """A ListingQuery from URL arguments, with unknown categories reported as errors."""
    return ListingQuery.from_args(args, category_slugs=category_tree().slugs)


def run(query: ListingQuery) -> SearchResult:
    """Answer a valid query with the configured backend (raises SearchUnavailable)."""
    if query.errors:
        raise ValueError(f"an invalid query cannot run: {query.errors}")
    if backend_name() == "elasticsearch":
        # The index may lag the database by design; its answers can be reused while it has
        # not changed (search.answers). The embedded backend reads the database itself.
        return answers.run(query, elasticsearch.search)
    return database.search(query)


def backend_name() -> str:
    """ "elasticsearch" or "database" (shown by /healthz and the benchmarks)."""
    settings = current_app.extensions["settings"]
    return "elasticsearch" if settings.ELASTICSEARCH_URL else "database"
