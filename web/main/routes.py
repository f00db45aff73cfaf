"""Home page and search."""

from __future__ import annotations

from flask import current_app, render_template, request, send_from_directory
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models import Category, Listing, db
from models.visibility import searchable
from search.backends import database
from search.query import ListingQuery
from web.main import bp

RECENT_ON_HOME = 12


@bp.get("/")
def index():
    recent = db.session.scalars(
        select(Listing)
        .options(selectinload(Listing.images))  # the cards show the first photo
        .where(searchable())
        .order_by(Listing.created_at.desc(), Listing.id.desc())
        .limit(RECENT_ON_HOME)
    ).all()
    sections = db.session.scalars(
        select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)
    ).all()
    total = db.session.scalar(select(func.count(Listing.id)).where(searchable()))
    return render_template("main/index.html", recent=recent, sections=sections, total=total)


@bp.get("/search")
def search():
    query = ListingQuery.from_args(request.args)
    result = database.search(query) if not query.errors else None
    categories = db.session.scalars(select(Category).order_by(Category.name)).all()
    status = 400 if query.errors else 200
    return render_template(
        "main/search.html", query=query, result=result, categories=categories
    ), status


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links; answer with the site's icon."""
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
