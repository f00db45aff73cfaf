"""Who may see a stored picture: the rule of what it shows (a listing's photo, an avatar).

A picture is served to everyone (and shared caches may keep it) only while what it belongs to is
public. Otherwise it reaches those who may still see that thing (the owner, admins) and nobody
else; a key that belongs to nothing is unknown.
"""

from __future__ import annotations

import enum

from flask_login import current_user
from sqlalchemy import select

from models import ListingImage, User, db
from models.visibility import is_public
from web.authz import can_see_listing, is_admin


class Audience(enum.Enum):
    everyone = "everyone"
    this_visitor = "this visitor"  # not public, but the current visitor may see it
    nobody = "nobody"


def audience(key: str) -> Audience:
    """Who may see the picture stored under `key`, from the point of view of this request."""
    image = db.session.scalar(select(ListingImage).where(ListingImage.storage_key == key))
    if image is not None:
        listing = image.listing
        # The public check comes first and reads no session: public answers stay cacheable.
        if is_public(listing):
            return Audience.everyone
        return Audience.this_visitor if can_see_listing(listing) else Audience.nobody
    user = db.session.scalar(select(User).where(User.avatar_key == key))
    if user is not None:
        if user.active:
            return Audience.everyone
        return Audience.this_visitor if is_admin() or _is(user) else Audience.nobody
    return Audience.nobody


def _is(user: User) -> bool:
    return bool(current_user.is_authenticated and current_user.id == user.id)
