"""Profiles: the public page of each member, the owner's own listings, and editing a profile."""

from flask import Blueprint

bp = Blueprint("profiles", __name__)

from web.profiles import routes  # noqa: E402,F401  (routes attach themselves to bp)
