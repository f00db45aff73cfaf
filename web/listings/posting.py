"""Turning the listing form into a listing and back, and the rules around posting."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models import Category, Listing, PriceKind, db, utcnow
from web.categories.tree import uses_salary
from web.listings.forms import ListingForm
from web.listings.prices import format_price_input


def postable_categories() -> dict[int, Category]:
    """Subcategories by id; sections only group them and take no listings of their own."""
    rows = db.session.scalars(select(Category).where(Category.parent_id.is_not(None)))
    return {category.id: category for category in rows}


def posted_today(user_id: int) -> int:
    """Listings the user created in the last 24 hours (the daily cap counts these)."""
    # Deleted listings count too, or posting and deleting would get round the cap.
    since = utcnow() - timedelta(days=1)
    return (
        db.session.scalar(
            select(func.count(Listing.id)).where(
                Listing.owner_id == user_id, Listing.created_at >= since
            )
        )
        or 0
    )


def fill(listing: Listing, form: ListingForm) -> None:
    """Copy the validated form onto the listing."""
    category = form.category
    listing.title = form.title.data
    listing.description = form.description.data
    listing.category = category
    if uses_salary(category):
        listing.price_kind = PriceKind.salary
    else:
        listing.price_kind = PriceKind.free if form.free.data else PriceKind.fixed
    listing.price_minor = 0 if listing.price_kind is PriceKind.free else form.price_minor
    listing.currency = form.currency.data
    listing.condition = form.chosen_condition()
    place = form.place
    listing.zip_code, listing.city, listing.state = place.zip_code, place.city, place.state
    listing.latitude, listing.longitude = place.latitude, place.longitude


def initial_values(listing: Listing) -> dict:
    """The edit form's starting values, from the listing."""
    if listing.zip_code:
        place = listing.zip_code
    else:
        place = f"{listing.city}, {listing.state}" if listing.state else listing.city
    return {
        "title": listing.title,
        "description": listing.description,
        "category_id": listing.category_id,
        "price": "" if listing.is_free else format_price_input(listing.price_minor),
        "free": listing.is_free,
        "currency": listing.currency,
        "condition": listing.condition.value if listing.condition else "",
        "location": place,
    }
