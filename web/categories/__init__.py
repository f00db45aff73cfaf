"""Browsing by category: all sections, and a page per category with its active listings."""

from flask import Blueprint

bp = Blueprint("categories", __name__)

from web.categories import routes  # noqa: E402,F401  (routes attach themselves to bp)
