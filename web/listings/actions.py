"""The owner's buttons on a listing: mark sold, renew, delete. POST only: CSRFProtect checks
the token of every POST before these run."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, redirect, url_for
from flask_login import login_required

from models import Listing, db, lifecycle
from web.authz import require_listing_change
from web.listings import bp


def _apply(listing_id: int, change: Callable[[Listing], None], done: str, after: str | None = None):
    """Make one lifecycle change to a listing the current user may change, then go on."""
    listing = require_listing_change(db.session.get(Listing, listing_id))
    back = url_for("listings.show", listing_id=listing.id)
    try:
        change(listing)
    except lifecycle.TransitionError as exc:
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    flash(done, "success")
    return redirect(after or back)


@bp.post("/listings/<int:listing_id>/sold")
@login_required
def mark_sold(listing_id: int):
    return _apply(listing_id, lifecycle.mark_sold, "Marked as sold. Congratulations!")


@bp.post("/listings/<int:listing_id>/renew")
@login_required
def renew(listing_id: int):
    settings = current_app.extensions["settings"]
    ttl, warning = settings.LISTING_TTL_DAYS, settings.LISTING_EXPIRY_WARNING_DAYS
    return _apply(
        listing_id,
        lambda listing: lifecycle.renew(listing, ttl, warning),
        f"Renewed for {ttl} days.",
    )


@bp.post("/listings/<int:listing_id>/delete")
@login_required
def delete(listing_id: int):
    # After a delete the listing page is a 404 for its owner: go to their dashboard instead.
    return _apply(listing_id, lifecycle.delete, "Your listing is deleted.", url_for("profiles.me"))
