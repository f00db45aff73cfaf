"""Reporting a listing to the moderators: one report per person per listing."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Listing, Report, ReportReason, db
from web.authz import owns, require_visible_listing
from web.listings import bp
from web.listings.forms import ReportForm

ALREADY = "You have already reported this listing; the moderators will look at it."


@bp.post("/listings/<int:listing_id>/report")
@login_required
def report(listing_id: int):
    listing = require_visible_listing(db.session.get(Listing, listing_id))
    back = redirect(url_for("listings.show", listing_id=listing.id))
    if owns(listing):
        flash("You cannot report your own listing.", "error")
        return back
    form = ReportForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(f"Report not sent: {message}", "error")
        return back
    already = db.session.scalar(
        select(Report.id).where(
            Report.listing_id == listing.id, Report.reporter_id == current_user.id
        )
    )
    if already:
        flash(ALREADY, "info")
        return back
    db.session.add(
        Report(
            listing_id=listing.id,
            reporter_id=current_user.id,
            reason=ReportReason(form.reason.data),
            details=form.details.data or "",
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        # The unique constraint settles a race between two submissions of the same report.
        db.session.rollback()
        flash(ALREADY, "info")
        return back
    flash("Thank you. The moderators will look at this listing.", "success")
    return back
