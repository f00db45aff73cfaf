"""Stored pictures: the image pipeline (images.py) and the route that serves them."""

from flask import Blueprint

bp = Blueprint("media", __name__)

from web.media import routes  # noqa: E402,F401  (routes attach themselves to bp)
