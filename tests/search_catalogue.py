"""A small catalogue of listings for the search tests, and the contract computed from it in
plain Python (the reference every backend must agree with).

The catalogue is written the same way into each database under test (PostgreSQL, SQLite), with
fixed ids and times relative to one `now`, so the backends see identical data. It is built to
exercise every argument: categories across sections, prices on band edges, every condition and
none, places near and far (one on the far side of the antimeridian), ages inside and outside
each `posted` window, photos, ties in every sort, words for the judged queries, and listings
that must never be found (hidden, sold, expired by status or by date, deleted, owner banned).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from models import (
    Category,
    Condition,
    Listing,
    ListingImage,
    ListingStatus,
    PriceKind,
    User,
)
from models.category_tree import install_category_tree
from search import analysis, geo
from search.fuzzy import matches
from search.query import POSTED, ListingQuery
from search.results import DISTANCE_BANDS_MI, PRICE_BANDS

PLACES = {
    "sf": ("San Francisco", "CA", "94103", 37.7725, -122.4147),
    "sf2": ("San Francisco", "CA", "94110", 37.7509, -122.4153),
    "oakland": ("Oakland", "CA", "94612", 37.8085, -122.2708),
    "berkeley": ("Berkeley", "CA", "94704", 37.8668, -122.2536),
    "san_jose": ("San Jose", "CA", "95112", 37.3443, -121.8832),
    "sacramento": ("Sacramento", "CA", "95814", 38.5804, -121.4922),
    "la": ("Los Angeles", "CA", "90012", 34.0614, -118.2385),
    "nyc": ("New York", "NY", "10001", 40.7506, -73.9972),
    "adak": ("Adak", "AK", "99546", 51.88, -176.65),
    "attu": ("Attu", "AK", None, 52.9, 173.2),  # west of the antimeridian seen from the US
}


@dataclass(frozen=True)
class Spec:
    id: int
    title: str
    category: str
    price: int  # minor units
    place: str = "sf"
    age_hours: float = 1.0
    condition: str | None = None
    description: str = "Nothing more to say."
    photo: bool = False
    kind: str = "fixed"
    status: str = "active"
    expires_in_days: float = 20.0
    owner: int = 1  # 3 is a banned account


SPECS = [
    Spec(
        1,
        "Mountain bikes for kids",
        "bikes",
        12_000,
        "sf",
        2,
        "good",
        "Two children's mountain bicycles, 20 inch wheels.",
        photo=True,
    ),
    Spec(
        2,
        "Vintage road bicycle",
        "bikes",
        25_000,
        "oakland",
        30,
        "fair",
        "Steel frame road bike, recently serviced.",
    ),
    Spec(
        3,
        "Running shoes, size 10",
        "clothing-and-accessories",
        2_500,
        "berkeley",
        100,
        "like_new",
        "Barely used runners for running on trails.",
    ),
    Spec(
        4,
        "Café espresso machine",
        "appliances",
        19_999,
        "san_jose",
        200,
        "new",
        "Crème brûlée torch included. Makes great espresso.",
        photo=True,
    ),
    Spec(
        5,
        "iPhone-13 Pro, 128GB",
        "cell-phones",
        60_000,
        "sf2",
        5,
        "like_new",
        "Unlocked phone with a case.",
    ),
    Spec(
        6,
        "Leather sofa",
        "furniture",
        45_000,
        "sacramento",
        26,
        "like_new",
        "Brown leather, three seats, no pets.",
        photo=True,
    ),
    Spec(
        7,
        "Refrigerator, stainless",
        "appliances",
        30_000,
        "la",
        500,
        "good",
        "Large fridge, ice maker works.",
    ),
    Spec(8, "Brass lamp", "furniture", 2_499, "nyc", 50, "fair", "Heavy desk light."),
    Spec(9, "Reading light", "household-items", 2_500, "sf", 40, None, "A clip-on lamp for books."),
    Spec(
        10, "Free firewood", "free-stuff", 0, "oakland", 3, None, "Come and take it.", kind="free"
    ),
    Spec(
        11,
        "Pickup truck 2012",
        "cars-and-trucks",
        1_250_000,
        "sacramento",
        80,
        "good",
        "Runs well, new tyres.",
        photo=True,
    ),
    Spec(
        12,
        "Sunny room near the park",
        "rooms-and-shares",
        120_000,
        "sf",
        10,
        description="Furnished room, utilities included.",
        photo=True,
    ),
    Spec(
        13,
        "Line cook",
        "food-and-hospitality",
        5_200_000,
        "sf2",
        20,
        description="Full time, weekends.",
        kind="salary",
    ),
    Spec(
        14,
        "Dining table and chairs",
        "furniture",
        45_000,
        "berkeley",
        26,
        "good",
        "Oak table with four chairs.",
    ),
    Spec(
        15,
        "Kids bike with training wheels",
        "bikes",
        4_000,
        "san_jose",
        700,
        "fair",
        "Small bike for ages 3-5.",
    ),
    Spec(
        16,
        "Electric bike battery",
        "bikes",
        1,
        "adak",
        1,
        "for_parts",
        "Battery only, does not hold a charge.",
    ),
    Spec(17, "Fishing boat", "boats", 800_000, "attu", 60, "good", "Aluminium boat."),
    Spec(18, "Antique clock", "antiques", 10_000, "la", 12, "fair", "Ticks loudly."),
    Spec(
        19,
        "Road bike helmet",
        "sporting-goods",
        10_000,
        "oakland",
        12,
        "new",
        "Never worn, still boxed.",
        photo=True,
    ),
    Spec(
        20, "Guitar amplifier", "musical-instruments", 25_000, "nyc", 300, "good", "Loud and clear."
    ),
    Spec(
        21,
        "Desk lamp",
        "household-items",
        2_500,
        "sf",
        40,
        "new",
        "Brass finish, warm light.",
        photo=True,
    ),
    Spec(
        22,
        "Bike rack for two bikes",
        "auto-parts",
        9_999,
        "sacramento",
        160,
        None,
        "Fits any car with a hitch.",
    ),
    Spec(23, "Moving boxes", "free-stuff", 0, "sf", 0.5, None, "About thirty boxes.", kind="free"),
    Spec(
        24,
        "Studio apartment",
        "apartments-for-rent",
        210_000,
        "oakland",
        9,
        description="Close to the lake, laundry in building.",
        photo=True,
    ),
    # Never found: each breaks one part of the visibility rule.
    Spec(30, "Hidden bike", "bikes", 12_000, status="hidden"),
    Spec(31, "Sold bike", "bikes", 12_000, status="sold"),
    Spec(32, "Expired bike", "bikes", 12_000, status="expired", expires_in_days=-1),
    Spec(33, "Deleted bike", "bikes", 12_000, status="deleted"),
    Spec(34, "Bike past its date", "bikes", 12_000, expires_in_days=-0.01),
    Spec(35, "Banned seller's bike", "bikes", 12_000, owner=3),
]

VISIBLE_IDS = frozenset(spec.id for spec in SPECS if spec.id < 30)


def write_catalogue(session: Session, now: datetime) -> None:
    """Write the catalogue (categories, three owners, listings, photos) and commit."""
    install_category_tree(session)
    session.flush()
    categories = {c.slug: c for c in session.query(Category)}
    for id_, name, active in ((1, "alice", True), (2, "bob", True), (3, "mallory", False)):
        session.add(
            User(
                id=id_,
                username=name,
                email=f"{name}@example.com",
                password_hash="not-a-real-hash",
                active=active,
            )
        )
    session.flush()
    for spec in SPECS:
        city, state, zip_code, lat, lon = PLACES[spec.place]
        listing = Listing(
            id=spec.id,
            owner_id=spec.owner,
            category=categories[spec.category],
            title=spec.title,
            description=spec.description,
            price_minor=spec.price,
            price_kind=PriceKind(spec.kind),
            condition=Condition(spec.condition) if spec.condition else None,
            status=ListingStatus(spec.status),
            city=city,
            state=state,
            zip_code=zip_code,
            latitude=lat,
            longitude=lon,
            created_at=created_at(spec, now),
            expires_at=now + timedelta(days=spec.expires_in_days),
        )
        if spec.photo:
            listing.images.append(
                ListingImage(position=0, storage_key=f"{spec.id:064x}", width=640, height=480)
            )
        session.add(listing)
    session.commit()


def created_at(spec: Spec, now: datetime) -> datetime:
    # Whole milliseconds, as the index keeps them.
    moment = now - timedelta(hours=spec.age_hours)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


# ---- the contract, computed in Python ------------------------------------------------------


class Reference:
    """What every backend must answer for a query on the catalogue."""

    def __init__(self, now: datetime, tree: dict[str, str | None]):
        self.now = now
        self.parent = tree  # slug -> parent slug

    def path(self, slug: str) -> list[str]:
        chain = [slug]
        while self.parent.get(chain[-1]):
            chain.append(self.parent[chain[-1]])
        return chain

    def visible(self) -> list[Spec]:
        return [spec for spec in SPECS if spec.id in VISIBLE_IDS]

    def passes(self, spec: Spec, query: ListingQuery, skip: str | None = None) -> bool:
        """Whether `spec` matches every filter of `query` except the facet `skip`."""
        if query.terms and not _text_matches(spec, query.terms):
            return False
        _, _, _, lat, lon = PLACES[spec.place]
        if query.bbox is not None and not _in_box(query, lat, lon):
            return False
        checks = {
            "category": lambda: (
                not query.categories or bool(set(self.path(spec.category)) & set(query.categories))
            ),
            "condition": lambda: not query.conditions or spec.condition in query.conditions,
            "posted": lambda: (
                not query.posted
                or created_at(spec, self.now) >= self.now - timedelta(days=POSTED[query.posted])
            ),
            "photo": lambda: not query.photo or spec.photo,
            "price": lambda: (
                (query.min_price is None or spec.price >= query.min_price)
                and (query.max_price is None or spec.price <= query.max_price)
            ),
            "distance": lambda: (
                query.location is None or self.distance(spec, query) <= query.radius
            ),
        }
        return all(check() for name, check in checks.items() if name != skip)

    def distance(self, spec: Spec, query: ListingQuery) -> float:
        _, _, _, lat, lon = PLACES[spec.place]
        return haversine_mi(query.location.lat, query.location.lon, lat, lon)

    def ids(self, query: ListingQuery) -> list[int]:
        """The matching ids in the query's order (relevance: any order, by id)."""
        found = [spec for spec in self.visible() if self.passes(spec, query)]
        sort = query.effective_sort
        keys = {
            "newest": lambda s: (-created_at(s, self.now).timestamp(), -s.id),
            "price_asc": lambda s: (s.price, -s.id),
            "price_desc": lambda s: (-s.price, -s.id),
            "distance": lambda s: (self.distance(s, query), -s.id),
            "relevance": lambda s: -s.id,
        }
        return [spec.id for spec in sorted(found, key=keys[sort])]

    def facets(self, query: ListingQuery) -> dict:
        """The facets in the JSON shape (value lists as dicts for order-free comparison)."""

        def matching(skip: str) -> list[Spec]:
            return [spec for spec in self.visible() if self.passes(spec, query, skip)]

        categories: dict[str, int] = {}
        for spec in matching("category"):
            for slug in self.path(spec.category):
                categories[slug] = categories.get(slug, 0) + 1
        conditions: dict[str, int] = {}
        for spec in matching("condition"):
            if spec.condition:
                conditions[spec.condition] = conditions.get(spec.condition, 0) + 1
        posted = {
            window: sum(
                created_at(s, self.now) >= self.now - timedelta(days=days)
                for s in matching("posted")
            )
            for window, days in POSTED.items()
        }
        photo = sum(spec.photo for spec in matching("photo"))
        price = [
            sum(low <= s.price and (high is None or s.price < high) for s in matching("price"))
            for low, high in PRICE_BANDS
        ]
        distance = []
        if query.location is not None:
            near = matching("distance")
            distance = [
                {"to_mi": miles, "count": sum(self.distance(s, query) < miles for s in near)}
                for miles in DISTANCE_BANDS_MI
            ]
        return {
            "category": {k: v for k, v in categories.items() if v},
            "condition": {k: v for k, v in conditions.items() if v},
            "posted": {k: v for k, v in posted.items() if v},
            "photo": {"1": photo} if photo else {},
            "price": [
                {"from": low, "to": high, "count": n}
                for (low, high), n in zip(PRICE_BANDS, price, strict=True)
                if n
            ],
            "distance": [band for band in distance if band["count"]],
        }


def facets_as_dicts(facets_json: dict) -> dict:
    """A result's facets JSON in the Reference's comparable form."""
    values = {
        name: {item["value"]: item["count"] for item in facets_json[name]}
        for name in ("category", "condition", "posted", "photo")
    }
    return {**values, "price": facets_json["price"], "distance": facets_json["distance"]}


def haversine_mi(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * geo.EARTH_RADIUS_KM / geo.KM_PER_MILE * math.asin(min(1.0, math.sqrt(h)))


def _text_matches(spec: Spec, terms: list[str]) -> bool:
    words = set(analysis.terms(f"{spec.title}\n{spec.description}"))
    return all(any(matches(word, term) for word in words) for term in terms)


def _in_box(query: ListingQuery, lat: float, lon: float) -> bool:
    box = query.bbox
    if not box.south <= lat <= box.north:
        return False
    if box.crosses_antimeridian:
        return lon >= box.west or lon <= box.east
    return box.west <= lon <= box.east
