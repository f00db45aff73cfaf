"""The home page and the search results page."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from web.main import routes  # noqa: E402,F401  (routes attach themselves to bp)
