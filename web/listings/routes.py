"""Posting, editing and showing a listing."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from models import Favorite, Listing, db, lifecycle, utcnow
from web.authz import can_change_listing, owns, require_listing_change, require_visible_listing
from web.errors import render_error
from web.listings import bp, photos, posting
from web.listings.forms import ListingForm, ReportForm
from web.media.images import ImageRejected
from web.search_page.similar import similar_nearby


def _settings():
    return current_app.extensions["settings"]


def _store_new_photos(form: ListingForm) -> list | None:
    """The form's new photos, stored; None (and a form error) if one was refused."""
    try:
        return photos.store_uploads(form.new_photos(), _settings().MEDIA_ROOT)
    except ImageRejected as exc:
        form.photos.errors = [*form.photos.errors, str(exc)]
        return None


def _commit_or_discard(keys: list[str]) -> None:
    """Commit; if that fails, the files written for this request go too."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        photos.discard(_settings().MEDIA_ROOT, keys)
        raise


def _render_form(form: ListingForm, listing: Listing | None):
    status = 400 if request.method == "POST" else 200
    return render_template(
        "listings/form.html", form=form, listing=listing, max_upload_mb=_settings().MAX_UPLOAD_MB
    ), status


@bp.route("/listings/new", methods=["GET", "POST"])
@login_required
def new():
    settings = _settings()
    form = ListingForm()
    form.setup(posting.postable_categories(), settings.MAX_PHOTOS_PER_LISTING)
    if not form.validate_on_submit():
        return _render_form(form, None)
    if posting.posted_today(current_user.id) >= settings.LISTINGS_PER_DAY:
        form.form_errors.append(
            f"You can post {settings.LISTINGS_PER_DAY} listings a day. Try again tomorrow."
        )
        return _render_form(form, None)
    stored = _store_new_photos(form)
    if stored is None:
        return _render_form(form, None)
    listing = Listing(
        owner_id=current_user.id, expires_at=utcnow() + timedelta(days=settings.LISTING_TTL_DAYS)
    )
    posting.fill(listing, form)
    photos.attach(listing, stored)
    db.session.add(listing)
    _commit_or_discard([image.key for image in stored])
    flash("Your listing is up.", "success")
    return redirect(url_for("listings.show", listing_id=listing.id))


@bp.route("/listings/<int:listing_id>/edit", methods=["GET", "POST"])
@login_required
def edit(listing_id: int):
    listing = require_listing_change(db.session.get(Listing, listing_id))
    settings = _settings()
    form = ListingForm(data=posting.initial_values(listing))
    form.setup(posting.postable_categories(), settings.MAX_PHOTOS_PER_LISTING, len(listing.images))
    form.remove_photos.choices = [
        SelectChoice(image.id, f"Remove photo {n}") for n, image in enumerate(listing.images, 1)
    ]
    if not form.validate_on_submit():
        return _render_form(form, listing)
    stored = _store_new_photos(form)
    if stored is None:
        return _render_form(form, listing)
    posting.fill(listing, form)
    removed = photos.remove(listing, form.remove_photos.data or [])
    photos.make_cover(listing, form.cover_photo.data)
    photos.attach(listing, stored)
    _commit_or_discard([image.key for image in stored])
    photos.discard(settings.MEDIA_ROOT, removed)
    flash("Your changes are saved.", "success")
    return redirect(url_for("listings.show", listing_id=listing.id))


@bp.get("/listings/<int:listing_id>")
def show(listing_id: int):
    listing = require_visible_listing(db.session.get(Listing, listing_id))
    is_favorite = (
        current_user.is_authenticated
        and db.session.get(Favorite, (current_user.id, listing.id)) is not None
    )
    path = url_for("listings.show", listing_id=listing.id)
    return render_template(
        "listings/show.html",
        listing=listing,
        is_favorite=is_favorite,
        is_owner=owns(listing),
        can_change=can_change_listing(listing) and listing.status.value != "deleted",
        can_renew=lifecycle.can_renew(listing, _settings().LISTING_EXPIRY_WARNING_DAYS),
        share_url=_settings().SITE_URL.rstrip("/") + path,
        report_form=ReportForm(),
        similar=similar_nearby(listing),
    )


@bp.errorhandler(413)
def _too_large(error):
    return render_error(
        413, "Upload too large", "The photos are too large together. Upload fewer or smaller ones."
    )
