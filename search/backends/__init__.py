"""Search backends: each module has `search(query: ListingQuery) -> SearchResult`.

`elasticsearch` answers from the index, `database` from the database itself; search.engine
picks one from the settings.
"""


class SearchUnavailable(RuntimeError):
    """The search backend cannot answer now (server down, index missing): a 503, not a 500."""
