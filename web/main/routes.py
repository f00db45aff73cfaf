"""Home page and search: both read from the configured search backend (search.engine)."""

from __future__ import annotations

from flask import current_app, render_template, send_from_directory
from sqlalchemy import select

from models import Category, db
from search import engine
from search.query import ListingQuery
from web.main import bp
from web.search_page import page as search_page

RECENT_ON_HOME = 12


@bp.get("/")
def index():
    """The newest searchable listings and how many there are, from the search backend."""
    sections = db.session.scalars(
        select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)
    ).all()
    try:
        result = engine.run(ListingQuery(per_page=RECENT_ON_HOME))
    except engine.SearchUnavailable:
        result = None  # the page still offers the categories and the search box
    return render_template("main/index.html", result=result, sections=sections)


@bp.get("/search")
def search():
    """The search page (web.search_page): facets, chips, places and the map."""
    return search_page.render()


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links; answer with the site's icon."""
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
