"""Listings running out of time: warn their owners before, expire them after (Celery beat).

Idempotent and safe to run late or twice: a warning is given once (expiry_warned_at), an expired
listing is no longer active so it is not expired again. A warning's mark, its notification and
its mail commit together, so a crash can neither lose a warning nor give it twice (the mail's
own delivery is indexer/mailer/'s job).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from flask import current_app, render_template
from sqlalchemy import select

from indexer.mailer import site_url
from indexer.notifications import MailContent, kinds, notify
from models import Listing, ListingStatus, db, lifecycle, utcnow

log = logging.getLogger(__name__)

BATCH = 500


def _due(condition) -> list[Listing]:
    """One batch of active listings matching `condition`, locked against a concurrent run."""
    return list(
        db.session.scalars(
            select(Listing)
            .where(Listing.status == ListingStatus.active, condition)
            .order_by(Listing.expires_at, Listing.id)
            .limit(BATCH)
            # Two beat runs overlapping each take different rows instead of waiting or doubling.
            .with_for_update(skip_locked=True, of=Listing)
        ).unique()
    )


def warn_expiring(warning_days: int) -> int:
    """Warn the owners of listings that expire within `warning_days`; returns how many."""
    if warning_days <= 0:
        return 0
    now = utcnow()
    horizon = now + timedelta(days=warning_days)
    warned = 0
    while batch := _due(
        (Listing.expires_at > now)
        & (Listing.expires_at <= horizon)
        & Listing.expiry_warned_at.is_(None)
    ):
        for listing in batch:
            listing.expiry_warned_at = now
            _warn(listing)
        db.session.commit()
        warned += len(batch)
    return warned


def _warn(listing: Listing) -> None:
    at = listing.expires_at
    text = render_template(
        "mail/listing_expiring.txt",
        listing=listing,
        when=f"{at:%B} {at.day}, {at:%Y at %H:%M} UTC",
        link=site_url("listings.show", listing_id=listing.id),
    )
    notify(
        listing.owner,
        kinds.LISTING_EXPIRING.name,
        listing=listing,
        payload={"title": listing.title, "expires_at": at.isoformat(timespec="seconds")},
        mail=MailContent(subject=f"Your listing expires soon: {listing.title}", text=text),
    )


def expire_due() -> int:
    """Move every active listing past its expiry date to expired; returns how many."""
    expired = 0
    while batch := _due(Listing.expires_at <= utcnow()):
        for listing in batch:
            lifecycle.expire(listing)
        db.session.commit()
        expired += len(batch)
    return expired


@shared_task(name="indexer.tasks.expire_listings", acks_late=True)
def expire_listings() -> dict[str, int]:
    """The periodic job: warnings first (so nothing expires unannounced), then expiries."""
    settings = current_app.extensions["settings"]
    warned = warn_expiring(settings.LISTING_EXPIRY_WARNING_DAYS)
    expired = expire_due()
    if warned or expired:
        log.info("Listings: %d expiry warnings sent, %d expired", warned, expired)
    return {"warned": warned, "expired": expired}
