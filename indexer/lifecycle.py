"""Listings running out of time: warn their owners before, expire them after (Celery beat).

Idempotent and safe to run late or twice: a warning is sent once (expiry_warned_at), an expired
listing is no longer active so it is not expired again. Warnings are marked in the database
before their mails are queued: after a crash in between, an owner misses a warning rather than
getting several.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from flask import current_app
from sqlalchemy import select

from indexer.celery_app import enqueue
from indexer.mail import send_mail
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


def warn_expiring(warning_days: int, site_url: str) -> int:
    """Mark and mail the owners of listings that expire within `warning_days`; returns how many."""
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
        mails = []
        for listing in batch:
            listing.expiry_warned_at = now
            mails.append(_warning_mail(listing, site_url))
        db.session.commit()
        for to, subject, body in mails:
            enqueue(send_mail, to, subject, body)
        warned += len(batch)
    return warned


def _warning_mail(listing: Listing, site_url: str) -> tuple[str, str, str]:
    link = f"{site_url.rstrip('/')}/listings/{listing.id}"
    at = listing.expires_at
    when = f"{at:%B} {at.day}, {at:%Y at %H:%M} UTC"
    body = (
        f"Hello {listing.owner.name},\n\n"
        f"Your listing \u201c{listing.title}\u201d expires on {when}.\n"
        f"After that it no longer shows in searches. To keep it up for another term, open it "
        f"and press \u201cRenew\u201d:\n\n{link}\n\n"
        f"If it has sold, you can mark it as sold on the same page.\n"
    )
    return listing.owner.email, f"Your listing expires soon: {listing.title[:60]}", body


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
    warned = warn_expiring(settings.LISTING_EXPIRY_WARNING_DAYS, settings.SITE_URL)
    expired = expire_due()
    if warned or expired:
        log.info("Listings: %d expiry warnings sent, %d expired", warned, expired)
    return {"warned": warned, "expired": expired}
