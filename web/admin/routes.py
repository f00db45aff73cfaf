"""The moderation queue: open reports grouped by listing, and what a moderator does about them."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Listing, ListingStatus, Report, db, lifecycle, utcnow
from web.admin import bp
from web.admin.notices import tell_owner_hidden

HIDDEN_SHOWN = 100


def _open_reports() -> list[tuple[Listing, list[Report]]]:
    """Listings with unresolved reports, the most reported first, each with its reports."""
    reports = db.session.scalars(
        select(Report)
        .where(Report.resolved_at.is_(None))
        .options(selectinload(Report.reporter), selectinload(Report.listing))
        .order_by(Report.created_at)
    )
    grouped: dict[int, tuple[Listing, list[Report]]] = {}
    for report in reports:
        grouped.setdefault(report.listing_id, (report.listing, []))[1].append(report)
    return sorted(grouped.values(), key=lambda item: (-len(item[1]), item[1][0].created_at))


@bp.get("/reports")
def reports():
    hidden = db.session.scalars(
        select(Listing)
        .where(Listing.status == ListingStatus.hidden)
        .order_by(Listing.updated_at.desc())
        .limit(HIDDEN_SHOWN)
    ).all()
    return render_template("admin/reports.html", queue=_open_reports(), hidden=hidden)


def _resolve_reports(listing: Listing, resolution: str) -> int:
    """Close the listing's open reports with `resolution`; returns how many were open."""
    open_reports = db.session.scalars(
        select(Report).where(Report.listing_id == listing.id, Report.resolved_at.is_(None))
    ).all()
    now = utcnow()
    for report in open_reports:
        report.resolved_at, report.resolution = now, resolution
    return len(open_reports)


def _act(listing_id: int, change: Callable[[Listing], None] | None, resolution: str, done: str):
    """Apply a moderation decision (or none, to dismiss) and close the listing's open reports."""
    listing = db.session.get(Listing, listing_id)
    if listing is None:
        flash("That listing no longer exists.", "error")
        return redirect(url_for("admin.reports"))
    try:
        if change is not None:
            change(listing)
    except lifecycle.TransitionError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.reports"))
    _resolve_reports(listing, resolution)
    db.session.commit()
    flash(done.format(title=listing.title), "success")
    return redirect(url_for("admin.reports"))


def _hide_and_tell(listing: Listing) -> None:
    if listing.status is ListingStatus.hidden:
        return  # hidden already: the owner has been told
    lifecycle.hide(listing)
    tell_owner_hidden(listing)


@bp.post("/listings/<int:listing_id>/hide")
def hide(listing_id: int):
    return _act(listing_id, _hide_and_tell, "hidden", "“{title}” is hidden.")


@bp.post("/listings/<int:listing_id>/restore")
def restore(listing_id: int):
    return _act(listing_id, lifecycle.restore, "restored", "“{title}” is restored.")


@bp.post("/listings/<int:listing_id>/dismiss")
def dismiss(listing_id: int):
    return _act(listing_id, None, "dismissed", "Reports on “{title}” dismissed.")
