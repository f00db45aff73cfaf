"""Search backends: each takes a ListingQuery and returns a SearchResult."""
