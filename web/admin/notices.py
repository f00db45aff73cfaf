"""Telling the owner of a listing what moderation decided about it."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from indexer.mailer import site_url
from indexer.notifications import MailContent, kinds, notify
from models import Listing, Report, db


def open_report_reasons(listing: Listing) -> list[str]:
    """The distinct reasons of the listing's open reports, as words ("wrong category")."""
    reasons = db.session.scalars(
        select(Report.reason)
        .where(Report.listing_id == listing.id, Report.resolved_at.is_(None))
        .distinct()
    )
    return sorted(reason.value.replace("_", " ") for reason in reasons)


def tell_owner_hidden(listing: Listing) -> None:
    """The owner's notification (and mail) that a moderator hid their listing; added to the
    transaction of the decision."""
    reasons = open_report_reasons(listing)
    text = render_template(
        "mail/listing_hidden.txt",
        listing=listing,
        reasons=reasons,
        link=site_url("listings.show", listing_id=listing.id),
    )
    notify(
        listing.owner,
        kinds.LISTING_HIDDEN.name,
        listing=listing,
        payload={"title": listing.title, "reasons": reasons},
        mail=MailContent(subject=f"Your listing was hidden: {listing.title}", text=text),
    )
