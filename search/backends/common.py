"""What both backends share: the instants a search is evaluated at, category names, facet
assembly from raw counts, and the page's next cursor.

Facets come out of here in one order and shape whichever backend counted them, so the
conformance tests can compare the two backends value for value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from models import utcnow
from search import cursor
from search.categories import category_tree
from search.query import CONDITIONS, POSTED, ListingQuery
from search.results import (
    DISTANCE_BANDS_MI,
    PRICE_BANDS,
    DistanceBand,
    Facets,
    FacetValue,
    PriceBand,
)

# Facets whose own filter is left out of their counts; `distance` leaves out `radius`.
FACETS = ("category", "condition", "posted", "photo", "price", "distance")


@dataclass(frozen=True)
class Clock:
    """One "now" per search, so the visibility rule and every `posted` window agree.

    The current clock is the next whole minute, not the exact instant: every search within a
    minute then sends Elasticsearch the same request, which its shard request cache can answer
    until the index next changes (search.backends.elasticsearch.execute). Rounding up, not
    down, keeps the visibility rule strict: a listing leaves search up to a minute before it
    expires, never after. The `posted` windows move with it: "1d" may take in a listing
    created up to a minute more than a day ago.
    """

    now: datetime

    @classmethod
    def current(cls) -> Clock:
        return cls(utcnow().replace(second=0, microsecond=0) + timedelta(minutes=1))

    def since(self, window: str) -> datetime:
        """The start of a `posted` window ("1d", "7d", "30d")."""
        return self.now - timedelta(days=POSTED[window])


def build_facets(
    *,
    category: Mapping[str, int],
    condition: Mapping[str, int],
    posted: Mapping[str, int],
    photo: int,
    price: Sequence[int],
    distance: Sequence[int] | None,
) -> Facets:
    """Facets from raw counts: `category` by slug (subcategories already rolled up into
    sections), `price` and `distance` one count per band of PRICE_BANDS / DISTANCE_BANDS_MI."""
    names = category_tree().name
    categories = [
        FacetValue(slug, count, names.get(slug, slug))
        for slug, count in category.items()
        if count > 0
    ]
    categories.sort(key=lambda value: (-value.count, value.label or value.value))
    return Facets(
        category=categories,
        condition=[FacetValue(c, condition[c]) for c in CONDITIONS if condition.get(c, 0) > 0],
        posted=[FacetValue(w, posted[w]) for w in POSTED if posted.get(w, 0) > 0],
        photo=[FacetValue("1", photo)] if photo > 0 else [],
        price=[
            PriceBand(low, high, count)
            for (low, high), count in zip(PRICE_BANDS, price, strict=True)
            if count > 0
        ],
        distance=[
            DistanceBand(miles, count)
            for miles, count in zip(DISTANCE_BANDS_MI, distance or (), strict=False)
            if count > 0
        ],
    )


def next_cursor(query: ListingQuery, last_sort_values: Sequence | None, more: bool) -> str | None:
    """The cursor after the page's last hit, or None when nothing follows."""
    if not more or last_sort_values is None:
        return None
    return cursor.encode(query.effective_sort, query.fingerprint(), list(last_sort_values))
