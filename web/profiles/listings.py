"""The queries behind the listing grids of profile pages."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from models import Listing, ListingStatus, User, db
from models.visibility import searchable
from web.pagination import Page, paginate

ACTIVE_FOR_OWNER = (ListingStatus.active, ListingStatus.hidden)
PAST = (ListingStatus.sold, ListingStatus.expired)


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


def listings_page(query: Select) -> Page:
    """The requested page of `query`, newest first, with the pictures loaded in one go."""
    return paginate(
        query.options(selectinload(Listing.images)).order_by(
            Listing.created_at.desc(), Listing.id.desc()
        )
    )


def tab_counts(user: User) -> dict[str, int]:
    """How many listings each tab of /me holds."""
    return {
        name: db.session.scalar(select(func.count()).select_from(query(user).subquery())) or 0
        for name, query in MY_TABS.items()
    }
