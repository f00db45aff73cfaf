"""The life of a listing: which status may follow which, and the changes that go with each move.

    active  -> sold (owner), expired (time), hidden (moderator), deleted (owner)
    sold    -> active (owner renews it), hidden, deleted
    expired -> active (owner renews it), hidden, deleted
    hidden  -> active or expired (moderator restores it), deleted
    deleted -> nothing: a deleted listing never comes back

A hidden listing can only come back through a moderator: renewing is not a way out of it.
Renewing also extends an active listing whose expiry warning is due (its status stays).
Every function changes the object only; the caller commits, and the outbox hook gives the commit
its new version and outbox entry.
"""

from __future__ import annotations

from datetime import timedelta

from models import Listing, ListingStatus, utcnow

S = ListingStatus

ALLOWED: dict[ListingStatus, frozenset[ListingStatus]] = {
    S.active: frozenset({S.sold, S.expired, S.hidden, S.deleted}),
    S.sold: frozenset({S.active, S.hidden, S.deleted}),
    S.expired: frozenset({S.active, S.hidden, S.deleted}),
    S.hidden: frozenset({S.active, S.expired, S.deleted}),
    S.deleted: frozenset(),
}


class TransitionError(ValueError):
    """The listing cannot move to that status from where it is (the message says why)."""


def can_move(listing: Listing, target: ListingStatus) -> bool:
    return target in ALLOWED[listing.status]


def _move(listing: Listing, target: ListingStatus) -> None:
    if not can_move(listing, target):
        raise TransitionError(
            f"A listing that is {listing.status.value} cannot become {target.value}."
        )
    listing.status = target


def mark_sold(listing: Listing) -> None:
    if listing.status is not S.active:
        raise TransitionError("Only an active listing can be marked as sold.")
    _move(listing, S.sold)


def delete(listing: Listing) -> None:
    _move(listing, S.deleted)


def can_renew(listing: Listing, warning_days: int = 0) -> bool:
    """Expired and sold listings can be put up again by their owner, and an active one can be
    extended once its expiry warning is due; a hidden one cannot (moderators decide)."""
    if listing.status in (S.expired, S.sold):
        return True
    return listing.status is S.active and listing.expires_at <= utcnow() + timedelta(
        days=warning_days
    )


def renew(listing: Listing, ttl_days: int, warning_days: int = 0) -> None:
    """Active for a full term from now, with a fresh expiry warning to come."""
    if not can_renew(listing, warning_days):
        raise TransitionError(
            "Only an expired or sold listing, or one about to expire, can be renewed."
        )
    if listing.status is not S.active:
        _move(listing, S.active)
    listing.expires_at = utcnow() + timedelta(days=ttl_days)
    listing.expiry_warned_at = None


def expire(listing: Listing) -> None:
    _move(listing, S.expired)


def hide(listing: Listing) -> None:
    """Moderation: out of sight of everyone but the owner and admins."""
    if listing.status is S.hidden:
        return
    _move(listing, S.hidden)


def restore(listing: Listing) -> None:
    """Moderation undone: active again, or expired if its time ran out meanwhile."""
    if listing.status is not S.hidden:
        raise TransitionError("Only a hidden listing can be restored.")
    _move(listing, S.expired if listing.is_expired_by_date else S.active)
