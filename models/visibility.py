"""Who may find a listing: the one rule for "publicly searchable", in Python and in SQL.

A listing is searchable while it is active, its expiry date has not passed (even before the
hourly expiry job has moved it to `expired`) and its owner's account is active. Every place that
lists listings to the public uses this rule: both search backends, the search document, the home,
category and profile pages, and the listing page; search.document.searchable_filter is the same
rule as filters on the index's documents. tests/integration/test_visibility.py checks that the
Python, SQL and index forms agree.

Sold listings are not searchable but stay readable on their own page (buyers who saved the link
see that it sold), as long as the owner's account is active.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_

from models.base import utcnow
from models.listing import Listing, ListingStatus
from models.user import User


def is_searchable(listing: Listing, now: datetime | None = None) -> bool:
    """Whether the public may find `listing` in search and on listing grids."""
    now = now or utcnow()
    return (
        listing.status is ListingStatus.active and listing.expires_at > now and listing.owner.active
    )


def is_public(listing: Listing, now: datetime | None = None) -> bool:
    """Whether anyone (not only the owner and admins) may open the listing's page."""
    if not listing.owner.active:
        return False
    return listing.status is ListingStatus.sold or is_searchable(listing, now)


def searchable(now: datetime | None = None) -> ColumnElement[bool]:
    """`is_searchable` as a WHERE clause on `Listing` (the owner check is an EXISTS)."""
    now = now or utcnow()
    return and_(
        Listing.status == ListingStatus.active,
        Listing.expires_at > now,
        Listing.owner.has(User.active.is_(True)),
    )


def public(now: datetime | None = None) -> ColumnElement[bool]:
    """`is_public` as a WHERE clause on `Listing`."""
    return or_(
        searchable(now),
        and_(Listing.status == ListingStatus.sold, Listing.owner.has(User.active.is_(True))),
    )
