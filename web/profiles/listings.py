"""The queries behind the listing grids of profile pages, and a simple page of results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from models import Listing, ListingStatus, User, db
from models.visibility import searchable

PER_PAGE = 24

ACTIVE_FOR_OWNER = (ListingStatus.active, ListingStatus.hidden)
PAST = (ListingStatus.sold, ListingStatus.expired)


@dataclass
class Page:
    items: list[Listing]
    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * self.per_page < self.total


def _owned(user: User, statuses: tuple[ListingStatus, ...]) -> Select:
    return select(Listing).where(Listing.owner_id == user.id, Listing.status.in_(statuses))


def public_listings(user: User) -> Select:
    """What anyone may see on a profile: the listings search would find."""
    return select(Listing).where(Listing.owner_id == user.id, searchable())


def my_active_listings(user: User) -> Select:
    """Active and hidden (by moderators or the owner) listings; hidden ones are marked."""
    return _owned(user, ACTIVE_FOR_OWNER)


def my_past_listings(user: User) -> Select:
    return _owned(user, PAST)


MY_TABS: dict[str, Callable[[User], Select]] = {
    "active": my_active_listings,
    "past": my_past_listings,
}


def listings_page(query: Select, number: int, per_page: int = PER_PAGE) -> Page:
    """One page of `query`, newest first, with the pictures loaded in one go."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.options(selectinload(Listing.images))
        .order_by(Listing.created_at.desc(), Listing.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    return Page(items=list(items), number=number, total=total, per_page=per_page)


def tab_counts(user: User) -> dict[str, int]:
    """How many listings each tab of /me holds."""
    return {
        name: db.session.scalar(select(func.count()).select_from(query(user).subquery())) or 0
        for name, query in MY_TABS.items()
    }
