"""Matched listings as notifications and alert mail show them, read in bulk."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from models import Listing, ListingImage, db
from models.visibility import searchable


@dataclass(frozen=True)
class Shown:
    """What a notification or an alert mail says about a listing."""

    id: int
    owner_id: int
    title: str
    price_minor: int
    price_kind: str
    currency: str
    city: str
    state: str | None
    photo_key: str | None  # the first photo's storage key

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.state) if part)

    def payload(self, search_name: str) -> dict:
        """A notification's payload: the listing as it was when it matched."""
        return {
            "search_name": search_name,
            "title": self.title,
            "price_minor": self.price_minor,
            "price_kind": self.price_kind,
            "currency": self.currency,
            "city": self.city,
            "state": self.state,
            "thumbnail_key": self.photo_key,
        }


def still_searchable(listing_ids: Collection[int], now: datetime) -> dict[int, Shown]:
    """The listings among `listing_ids` the public may find now, by the database: the index
    may not have heard yet that one was sold or hidden, and a mail must not offer it."""
    if not listing_ids:
        return {}
    ids = sorted(listing_ids)
    rows = db.session.execute(
        select(
            Listing.id,
            Listing.owner_id,
            Listing.title,
            Listing.price_minor,
            Listing.price_kind,
            Listing.currency,
            Listing.city,
            Listing.state,
        ).where(Listing.id.in_(ids), searchable(now))
    ).all()
    photos: dict[int, str] = {}
    for listing_id, key in db.session.execute(
        select(ListingImage.listing_id, ListingImage.storage_key)
        .where(ListingImage.listing_id.in_([row.id for row in rows]))
        .order_by(ListingImage.listing_id, ListingImage.position.desc(), ListingImage.id.desc())
    ):
        photos[listing_id] = key  # the last one written is the first in position order
    return {
        row.id: Shown(
            id=row.id,
            owner_id=row.owner_id,
            title=row.title,
            price_minor=row.price_minor,
            price_kind=row.price_kind.value,
            currency=row.currency,
            city=row.city,
            state=row.state,
            photo_key=photos.get(row.id),
        )
        for row in rows
    }
