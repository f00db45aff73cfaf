"""The category index (/categories) and one page per category (/c/<slug>), both read from the
search backend: counts are its category facet, listings its hits."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from models import Category, db
from search import engine
from search.query import RESULT_WINDOW, ListingQuery
from web import pagination
from web.categories import bp
from web.categories.tree import sections
from web.pagination import Page, page_number


@bp.get("/categories")
def index():
    """Every section with its subcategories and how many active listings each holds."""
    counts = _category_counts(ListingQuery(per_page=0))
    return render_template(
        "categories/index.html",
        sections=sections(),
        counts=counts,
        count_of=lambda category: counts.get(category.slug, 0),
    )


@bp.get("/c/<slug>")
def show(slug: str):
    """A category's subcategories, breadcrumbs and active listings (subcategories included)."""
    category = db.session.scalar(select(Category).where(Category.slug == slug[:80]))
    if category is None:
        abort(404, "There is no such category.")
    # Deeper than the result window, people narrow the search instead.
    per_page = pagination.PER_PAGE  # read at call time: one setting for every list
    number = min(page_number(), RESULT_WINDOW // per_page)
    result = _run(ListingQuery(categories=(category.slug,), page=number, per_page=per_page))
    counts = result.facets.counts("category")
    # Pages stop at the engine's result window as well as at MAX_PAGE.
    page = Page(result.hits, min(result.total, RESULT_WINDOW), number, per_page)
    return render_template(
        "categories/show.html",
        category=category,
        page=page,
        total=result.total,
        count_of=lambda child: counts.get(child.slug, 0),
    )


def _category_counts(query: ListingQuery) -> dict[str, int]:
    return _run(query).facets.counts("category")


def _run(query: ListingQuery):
    try:
        return engine.run(query)
    except engine.SearchUnavailable:
        abort(503, "Search is unavailable right now. Please try again in a minute.")
