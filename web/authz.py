"""Authorization in one place: who may change a listing or read a conversation.

Views call these guards instead of comparing ids themselves. Someone who may not see a thing
at all gets 404 (its existence is not confirmed); someone who may see but not change it, 403.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from models import Conversation, Listing


def is_admin() -> bool:
    return bool(current_user.is_authenticated and current_user.is_admin)


def owns(listing: Listing) -> bool:
    return bool(current_user.is_authenticated and listing.owner_id == current_user.id)


def can_see_listing(listing: Listing) -> bool:
    """Active and sold listings are public; hidden, expired and deleted ones are not."""
    if listing.is_visible:
        return True
    if listing.status.value == "deleted":
        return is_admin()
    return owns(listing) or is_admin()


def can_change_listing(listing: Listing) -> bool:
    return (owns(listing) and listing.status.value != "deleted") or is_admin()


def require_visible_listing(listing: Listing | None) -> Listing:
    if listing is None or not can_see_listing(listing):
        abort(404)
    return listing


def require_listing_change(listing: Listing | None) -> Listing:
    listing = require_visible_listing(listing)
    if not can_change_listing(listing):
        abort(403, "Only the person who posted this listing can change it.")
    return listing


def require_participant(conversation: Conversation | None) -> Conversation:
    """Only the buyer and the seller read a conversation; to anyone else it does not exist."""
    if (
        conversation is None
        or not current_user.is_authenticated
        or not conversation.involves(current_user.id)
    ):
        abort(404)
    return conversation


def require_admin() -> None:
    if not is_admin():
        abort(404)
