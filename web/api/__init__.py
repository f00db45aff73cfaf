"""The JSON API, version 1: search and place suggestions (/api/v1/...)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from web.api import clusters, routes  # noqa: E402,F401  (routes attach themselves to bp)
