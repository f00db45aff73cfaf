"""SearchResult: what every backend returns for a ListingQuery, and its JSON form.

Pages render hits, not ORM rows: a `ListingHit` is built from the listing's index document
(search.document.to_document), whichever backend found it, so search is served from the index
on the real stack and no page queries the listings table for a result list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import url_for
from markupsafe import Markup

from search import geo
from search.highlight import highlight
from search.query import Location

# Price bands of the price facet, in minor units: `from` inclusive, `to` exclusive, None open.
PRICE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 1),  # free
    (1, 2_500),
    (2_500, 10_000),
    (10_000, 25_000),
    (25_000, 50_000),
    (50_000, 100_000),
    (100_000, 500_000),
    (500_000, 2_500_000),
    (2_500_000, None),
)
# Distance facet: cumulative "within N miles" counts (0 inclusive, N exclusive, as
# Elasticsearch's range aggregations count).
DISTANCE_BANDS_MI: tuple[int, ...] = (5, 10, 25, 50, 100, 250, 500)


@dataclass(frozen=True)
class ListingHit:
    """One listing as a result list shows it, taken from its index document."""

    id: int
    title: str
    title_html: Markup  # the title, escaped, with the matched words in <mark>
    price_minor: int
    price_kind: str  # fixed, free, salary
    currency: str
    category: str  # the listing's own category slug
    condition: str | None
    city: str
    state: str | None
    zip_code: str | None
    lat: float
    lon: float
    created_at: datetime  # naive UTC, like every timestamp in the database
    has_photo: bool
    thumbnail_key: str | None
    seller_id: int
    distance_mi: float | None = None  # from the search's location; None without one

    @classmethod
    def from_document(
        cls,
        document: dict,
        *,
        terms: Iterable[str] = (),
        origin: Location | None = None,
    ) -> ListingHit:
        """A hit from an index document (`_source`), highlighted for the query's `terms`,
        with its distance from `origin` when the search has a location."""
        point = document["location"]
        lat, lon = float(point["lat"]), float(point["lon"])
        distance = None
        if origin is not None:
            distance = round(geo.distance_miles((origin.lat, origin.lon), (lat, lon)), 2)
        return cls(
            id=int(document["listing_id"]),
            title=document["title"],
            title_html=highlight(document["title"], terms),
            price_minor=int(document["price_minor"]),
            price_kind=document["price_kind"],
            currency=document["currency"],
            category=document["category"],
            condition=document.get("condition"),
            city=document["city"],
            state=document.get("state"),
            zip_code=document.get("zip_code"),
            lat=lat,
            lon=lon,
            created_at=_naive_utc(document["created_at"]),
            has_photo=bool(document["has_photo"]),
            thumbnail_key=document.get("thumbnail_key"),
            seller_id=int(document["seller_id"]),
            distance_mi=distance,
        )

    @property
    def url(self) -> str:
        return url_for("listings.show", listing_id=self.id)

    @property
    def thumbnail_url(self) -> str | None:
        if not self.thumbnail_key:
            return None
        return url_for("media.image", key=self.thumbnail_key, size="thumb")

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "title_html": str(self.title_html),
            "price_minor": self.price_minor,
            "price_kind": self.price_kind,
            "currency": self.currency,
            "category": self.category,
            "condition": self.condition,
            "city": self.city,
            "state": self.state,
            "zip_code": self.zip_code,
            "lat": self.lat,
            "lon": self.lon,
            "created_at": self.created_at.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z"),
            "has_photo": self.has_photo,
            "thumbnail_url": self.thumbnail_url,
            "url": self.url,
            "distance_mi": self.distance_mi,
        }


@dataclass(frozen=True)
class FacetValue:
    """A value of a facet and how many listings have it; `label` for categories."""

    value: str
    count: int
    label: str | None = None

    def to_json(self) -> dict:
        data = {"value": self.value, "count": self.count}
        if self.label is not None:
            data["label"] = self.label
        return data


@dataclass(frozen=True)
class PriceBand:
    """Listings priced from `from_minor` (inclusive) to `to_minor` (exclusive; None: no top)."""

    from_minor: int
    to_minor: int | None
    count: int

    def to_json(self) -> dict:
        return {"from": self.from_minor, "to": self.to_minor, "count": self.count}


@dataclass(frozen=True)
class DistanceBand:
    """Listings within `to_mi` miles of the search's location (cumulative)."""

    to_mi: int
    count: int

    def to_json(self) -> dict:
        return {"to_mi": self.to_mi, "count": self.count}


@dataclass
class Facets:
    """Counts for the sidebar. Each facet counts the listings matching every filter except
    its own, and lists only values with a count above zero."""

    category: list[FacetValue] = field(default_factory=list)
    condition: list[FacetValue] = field(default_factory=list)
    posted: list[FacetValue] = field(default_factory=list)
    photo: list[FacetValue] = field(default_factory=list)
    price: list[PriceBand] = field(default_factory=list)
    distance: list[DistanceBand] = field(default_factory=list)

    def category_labels(self) -> dict[str, str]:
        """Slug -> name of every category in the facet (for chips)."""
        return {value.value: value.label or value.value for value in self.category}

    def counts(self, name: str) -> dict[str, int]:
        """A value facet as {value: count} (category, condition, posted, photo)."""
        return {value.value: value.count for value in getattr(self, name)}

    def to_json(self) -> dict:
        return {
            name: [item.to_json() for item in getattr(self, name)]
            for name in ("category", "condition", "posted", "photo", "price", "distance")
        }


@dataclass
class SearchResult:
    """One page of matches with the exact total, the facets and the way to the next page.

    `next_cursor` continues after the last hit (None on the last page); `took` is how long
    the backend took, in milliseconds (Elasticsearch's own `took` on the real stack).
    `page`/`per_page` are the query's, for the page links of the search page.
    """

    hits: list[ListingHit]
    total: int
    facets: Facets
    location: Location | None
    next_cursor: str | None
    took: float
    page: int = 1
    per_page: int = 24

    def to_json(self) -> dict:
        """The JSON of `GET /api/v1/search` (the search contract's shape)."""
        return {
            "total": self.total,
            "location": self.location.to_json() if self.location else None,
            "hits": [hit.to_json() for hit in self.hits],
            "facets": self.facets.to_json(),
            "next_cursor": self.next_cursor,
            "took": self.took,
        }


def _naive_utc(value: str | datetime) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
