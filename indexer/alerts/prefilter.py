"""Which saved searches could match any of a batch of new listings, before any of them runs.

Most saved searches have nothing new in a batch: another category, another city, another price
range. Those are found here, in memory, from the listings' index documents, so that only the
others run on the search backend (matching.py), each narrowed to the listings that passed.

The test is *necessary, never sufficient*: it applies the filters that are comparisons on
document fields — the words (each query word, or a word within its typo allowance, among the
document's `text_terms`: search.fuzzy, the rule both backends follow), categories (the
document's `category_path`), price, condition, photo, distance, and the searcher's own
listings — and leaves the map box, `posted` and the visibility rule to the backend, which
decides every match. A listing it keeps may still not match; one it drops cannot (checked
against the backends by tests/integration/search/test_alert_prefilter.py). Distances get a
small allowance on top of the radius, as the index rounds coordinates.

New listings are bucketed by word, by category and by 1-degree cell of latitude and
longitude, so a search looks only at the listings that have its words, are in its categories
or around its place, whichever are fewest.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from search import analysis, fuzzy, geo
from search.query import ListingQuery

# Half a kilometre more than the radius: far above the index's rounding of coordinates (about
# a centimetre) and the difference between two correct haversine implementations.
DISTANCE_ALLOWANCE_KM = 0.5
KM_PER_DEGREE = math.pi * geo.EARTH_RADIUS_KM / 180  # along a meridian
_POLAR = 80.0  # beyond this latitude a circle's longitudes span too much: look everywhere


@dataclass(frozen=True)
class NewListing:
    """The fields of a listing's index document that the prefilter compares."""

    listing_id: int
    seller_id: int
    category_path: frozenset[str]
    price_minor: int
    condition: str | None
    has_photo: bool
    lat: float
    lon: float
    terms: frozenset[str]  # the analysed words of title and description

    @classmethod
    def from_document(cls, document: Mapping) -> NewListing:
        point = document["location"]
        return cls(
            listing_id=int(document["listing_id"]),
            seller_id=int(document["seller_id"]),
            category_path=frozenset(document["category_path"]),
            price_minor=int(document["price_minor"]),
            condition=document.get("condition"),
            has_photo=bool(document["has_photo"]),
            lat=float(point["lat"]),
            lon=float(point["lon"]),
            terms=frozenset(document["text_terms"].split()),
        )


class Prefilter:
    """New listings, bucketed so that each saved search finds its possible matches quickly."""

    def __init__(self, listings: Iterable[NewListing]):
        self.listings = list(listings)
        self.by_category: dict[str, list[NewListing]] = defaultdict(list)
        self.by_cell: dict[tuple[int, int], list[NewListing]] = defaultdict(list)
        self.by_term: dict[str, list[NewListing]] = defaultdict(list)
        for listing in self.listings:
            for slug in listing.category_path:
                self.by_category[slug].append(listing)
            self.by_cell[_cell(listing.lat, listing.lon)].append(listing)
            for term in listing.terms:
                self.by_term[term].append(listing)
        # The vocabulary by first letter: a typo keeps the first letter (FUZZY_PREFIX).
        self.by_prefix: dict[str, list[str]] = defaultdict(list)
        for term in self.by_term:
            self.by_prefix[term[: analysis.FUZZY_PREFIX]].append(term)
        self._having: dict[str, dict[int, NewListing]] = {}

    def possible(self, query: ListingQuery, searcher_id: int) -> list[int]:
        """Ids of the new listings `query` could match (none of the others can), in order."""
        worded = self._with_words(query.terms) if query.terms else None
        if worded is not None and not worded:
            return []
        pool = self._pool(query, worded)
        return sorted(
            listing.listing_id
            for listing in pool
            if (worded is None or listing.listing_id in worded)
            and _passes(query, searcher_id, listing)
        )

    def _with_words(self, terms: list[str]) -> dict[int, NewListing]:
        """The new listings that have every one of `terms` (or a word within its typos)."""
        found: dict[int, NewListing] | None = None
        for term in terms:
            having = self._having_term(term)
            found = dict(having) if found is None else {k: found[k] for k in found if k in having}
            if not found:
                break
        return found or {}

    def _having_term(self, term: str) -> dict[int, NewListing]:
        if term not in self._having:
            words = [
                word
                for word in self.by_prefix.get(term[: analysis.FUZZY_PREFIX], ())
                if fuzzy.matches(word, term)
            ]
            self._having[term] = {
                item.listing_id: item for word in words for item in self.by_term[word]
            }
        return self._having[term]

    def _pool(
        self, query: ListingQuery, worded: dict[int, NewListing] | None
    ) -> Iterable[NewListing]:
        pools = [list(worded.values())] if worded is not None else []
        if query.categories:
            seen: dict[int, NewListing] = {}
            for slug in query.categories:
                seen.update((item.listing_id, item) for item in self.by_category.get(slug, ()))
            pools.append(list(seen.values()))
        if query.location is not None:
            around = self._around(query)
            if around is not None:
                pools.append(around)
        return min(pools, key=len) if pools else self.listings

    def _around(self, query: ListingQuery) -> list[NewListing] | None:
        """The listings in the cells a search circle touches; None where cells do not help."""
        lat, lon = query.location.lat, query.location.lon
        reach_km = query.radius_km + DISTANCE_ALLOWANCE_KM
        spread = reach_km / KM_PER_DEGREE
        if abs(lat) + spread >= _POLAR:
            return None
        lon_spread = spread / math.cos(math.radians(abs(lat) + spread))
        if lon_spread >= 90:
            return None
        found = []
        for row in range(math.floor(lat - spread), math.floor(lat + spread) + 1):
            for column in range(math.floor(lon - lon_spread), math.floor(lon + lon_spread) + 1):
                # Cells past the antimeridian are the ones on its other side.
                found += self.by_cell.get((row, (column + 180) % 360 - 180), ())
        return found


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat), (math.floor(lon) + 180) % 360 - 180


def _passes(query: ListingQuery, searcher_id: int, listing: NewListing) -> bool:
    if listing.seller_id == searcher_id:
        return False
    if query.categories and listing.category_path.isdisjoint(query.categories):
        return False
    if query.min_price is not None and listing.price_minor < query.min_price:
        return False
    if query.max_price is not None and listing.price_minor > query.max_price:
        return False
    if query.conditions and listing.condition not in query.conditions:
        return False
    if query.photo and not listing.has_photo:
        return False
    if query.location is not None:
        distance = geo.distance_km(
            (query.location.lat, query.location.lon), (listing.lat, listing.lon)
        )
        if distance > query.radius_km + DISTANCE_ALLOWANCE_KM:
            return False
    return True
