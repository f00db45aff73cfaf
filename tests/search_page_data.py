"""A small shop of listings for the search page's route and browser tests.

Seven listings over three places, so that every facet has two or more values to choose:
bikes and furniture in San Francisco, Oakland (about 8 miles away) and Los Angeles (about 350);
conditions, prices across bands, a free item, a salary, a listing with a real photo, and ages
from an hour to two weeks. Written through the ORM, so the test index follows each commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from werkzeug.datastructures import FileStorage

from models import Condition, Listing, PriceKind, utcnow
from search import geo
from tests.listing_helpers import picture
from web.listings import photos

PLACES = ("94103", "94612", "90012")  # San Francisco, Oakland, Los Angeles


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    category: str
    price: int  # minor units
    zip_code: str
    hours_old: float
    condition: Condition | None = None
    kind: PriceKind = PriceKind.fixed
    photo: bool = False


ITEMS = (
    Item("road", "Road bike, 56 cm frame", "bikes", 25_000, "94103", 3, Condition.good, photo=True),
    Item("vintage", "Vintage road bicycle", "bikes", 12_000, "94612", 30, Condition.fair),
    Item("carbon", "Carbon racing bike", "bikes", 90_000, "90012", 2, Condition.new),
    Item("sofa", "Leather sofa, three seats", "furniture", 40_000, "94103", 1, Condition.good),
    Item(
        "armchair",
        "Free armchair, must go",
        "furniture",
        0,
        "94612",
        50,
        Condition.fair,
        kind=PriceKind.free,
    ),
    Item("table", "Oak dining table", "furniture", 30_000, "90012", 24 * 14, Condition.like_new),
    Item(
        "developer",
        "Backend developer (Python)",
        "software-and-it",
        12_000_000,
        "94103",
        5,
        kind=PriceKind.salary,
    ),
)


def stock(make_listing, categories, media_root: Path) -> dict[str, Listing]:
    """Write the shop's listings; returns them by key."""
    listings = {}
    for item in ITEMS:
        place = geo.lookup_zip(item.zip_code)
        listing = make_listing(
            title=item.title,
            description=f"{item.title}. Pick up in {place.city}.",
            category=categories[item.category],
            price_minor=item.price,
            price_kind=item.kind,
            condition=item.condition,
            city=place.city,
            state=place.state,
            zip_code=place.zip_code,
            latitude=place.latitude,
            longitude=place.longitude,
            created_at=utcnow() - timedelta(hours=item.hours_old),
        )
        if item.photo:
            add_photo(listing, media_root)
        listings[item.key] = listing
    return listings


def add_photo(listing: Listing, media_root: Path) -> None:
    from models import db

    upload = FileStorage(BytesIO(picture("JPEG", (400, 300), (40, 120, 200))), "bike.jpg")
    photos.attach(listing, photos.store_uploads([upload], media_root))
    db.session.commit()
