"""Home page and search: both read from the configured search backend (search.engine)."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, send_from_directory
from sqlalchemy import select

from models import Category, db
from search import engine
from search.query import SORTS, ListingQuery
from web.main import bp

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
    """The search page: the query's errors beside its fields (400), or one page of hits."""
    query = engine.parse(request.args)
    result = None
    if not query.errors:
        try:
            result = engine.run(query)
        except engine.SearchUnavailable:
            abort(503, "Search is unavailable right now. Please try again in a minute.")
    categories = db.session.scalars(select(Category).order_by(Category.name)).all()
    status = 400 if query.errors else 200
    return render_template(
        "main/search.html", query=query, result=result, categories=categories, sorts=SORTS
    ), status


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links; answer with the site's icon."""
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
