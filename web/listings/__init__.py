"""Listings: posting and editing with photos, the listing page, status changes, favourites and
reports."""

from flask import Blueprint

bp = Blueprint("listings", __name__)

from web.listings import actions, favorites, reports, routes  # noqa: E402,F401  (attach to bp)
