"""Pure rules of the listings feature: price parsing and the status transitions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import Listing, ListingStatus, lifecycle, utcnow
from web.listings.prices import format_price_input, parse_price

S = ListingStatus


@pytest.mark.parametrize(
    ("raw", "minor"),
    [
        ("250", 25000),
        ("19.99", 1999),
        ("1,234.5", 123450),
        ("$ 12", 1200),
        ("0", 0),
        ("10000000000", 10_000_000_000_00),
        (" 7.10 ", 710),
    ],
)
def test_prices_in_major_units_become_minor_units(raw, minor):
    assert parse_price(raw) == minor
    assert parse_price(format_price_input(minor)) == minor


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", "negative"),
        ("-0.01", "negative"),
        ("10000000000.01", "above"),
        ("1e30", "above"),
        ("1e999999999", "above"),
        ("0.001", "two decimal"),
        ("1e-999999999", "two decimal"),
        ("abc", "number"),
        ("NaN", "number"),
        ("-Infinity", "number"),
        ("", "number"),
        ("1.2.3", "number"),
    ],
)
def test_bad_prices_are_refused_with_a_reason(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_price(raw)


def listing(status: ListingStatus, expires_in_days: float = 10) -> Listing:
    return Listing(status=status, expires_at=utcnow() + timedelta(days=expires_in_days))


def test_deleted_is_final():
    for target in S:
        assert not lifecycle.can_move(listing(S.deleted), target)


@pytest.mark.parametrize("status", [S.sold, S.expired, S.hidden, S.deleted])
def test_only_an_active_listing_can_be_marked_sold(status):
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.mark_sold(listing(status))


def test_renew_puts_expired_and_sold_listings_up_for_a_full_term():
    for status in (S.expired, S.sold):
        item = listing(status, expires_in_days=-3)
        item.expiry_warned_at = utcnow()
        lifecycle.renew(item, ttl_days=30)
        assert item.status is S.active and item.expiry_warned_at is None
        assert timedelta(days=29) < item.expires_at - utcnow() <= timedelta(days=30)


def test_renew_extends_an_active_listing_only_once_its_warning_is_due():
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.renew(listing(S.active, expires_in_days=10), ttl_days=30, warning_days=3)
    item = listing(S.active, expires_in_days=2)
    lifecycle.renew(item, ttl_days=30, warning_days=3)
    assert item.expires_at > utcnow() + timedelta(days=29)


def test_a_hidden_listing_cannot_be_renewed_out_of_moderation():
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.renew(listing(S.hidden, expires_in_days=-1), ttl_days=30)


def test_restore_returns_a_hidden_listing_to_active_or_expired_by_date():
    fresh, stale = listing(S.hidden, 5), listing(S.hidden, -1)
    lifecycle.restore(fresh)
    lifecycle.restore(stale)
    assert (fresh.status, stale.status) == (S.active, S.expired)
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.restore(listing(S.active))


def test_hide_is_idempotent_and_cannot_touch_deleted_listings():
    item = listing(S.sold)
    lifecycle.hide(item)
    lifecycle.hide(item)
    assert item.status is S.hidden
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.hide(listing(S.deleted))
