"""Favourites: marking listings to come back to, and the page that lists them."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import selectinload

from models import Favorite, Listing, db
from models.visibility import public
from web.authz import require_visible_listing
from web.listings import bp
from web.listings.forms import ActionForm
from web.navigation import safe_next
from web.pagination import paginate


def favorite_ids() -> set[int]:
    """Ids of the current user's favourites, read once per request (cards ask for each card)."""
    if not current_user.is_authenticated:
        return set()
    if "favorite_ids" not in g:
        g.favorite_ids = set(
            db.session.scalars(
                select(Favorite.listing_id).where(Favorite.user_id == current_user.id)
            )
        )
    return g.favorite_ids


@bp.app_context_processor
def _favorite_helpers() -> dict:
    # The listing card (shared by every page that shows listings) draws its heart from these.
    return {"favorite_ids": favorite_ids, "favorite_form": ActionForm}


@bp.post("/listings/<int:listing_id>/favorite")
@login_required
def favorite(listing_id: int):
    listing = require_visible_listing(db.session.get(Listing, listing_id))
    if db.session.get(Favorite, (current_user.id, listing.id)) is None:
        if db.engine.dialect.name == "postgresql":
            # Two quick clicks race; the second insert must not become a 500.
            db.session.execute(
                pg_insert(Favorite)
                .values(user_id=current_user.id, listing_id=listing.id)
                .on_conflict_do_nothing()
            )
        else:
            db.session.add(Favorite(user_id=current_user.id, listing_id=listing.id))
        db.session.commit()
    flash("Saved to your favourites.", "success")
    return redirect(safe_next(url_for("listings.show", listing_id=listing.id)))


@bp.post("/listings/<int:listing_id>/unfavorite")
@login_required
def unfavorite(listing_id: int):
    saved = db.session.get(Favorite, (current_user.id, listing_id))
    if saved is not None:
        db.session.delete(saved)
        db.session.commit()
    flash("Removed from your favourites.", "info")
    return redirect(safe_next(url_for("listings.favorites")))


@bp.get("/favorites")
@login_required
def favorites():
    """The current user's favourites that others can still see (active or sold), newest first."""
    statement = (
        select(Listing)
        .join(Favorite, Favorite.listing_id == Listing.id)
        .where(
            Favorite.user_id == current_user.id,
            public(),
        )
        .options(selectinload(Listing.images))
        .order_by(Favorite.created_at.desc(), Listing.id.desc())
    )
    page = paginate(statement)
    return render_template("listings/favorites.html", page=page)
