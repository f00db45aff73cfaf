"""The category index (/categories) and one page per category (/c/<slug>)."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Category, Listing, db
from models.visibility import searchable
from web.categories import bp
from web.categories.tree import active_counts, sections, subtree_count
from web.pagination import paginate


@bp.get("/categories")
def index():
    """Every section with its subcategories and how many active listings each holds."""
    counts = active_counts()
    return render_template(
        "categories/index.html",
        sections=sections(),
        counts=counts,
        count_of=lambda category: subtree_count(category, counts),
    )


@bp.get("/c/<slug>")
def show(slug: str):
    """A category's subcategories, breadcrumbs and active listings (subcategories included)."""
    category = db.session.scalar(select(Category).where(Category.slug == slug[:80]))
    if category is None:
        abort(404, "There is no such category.")
    counts = active_counts()
    statement = (
        select(Listing)
        .where(
            searchable(),
            Listing.category_id.in_(category.subtree_ids()),
        )
        .options(selectinload(Listing.images))
        .order_by(Listing.created_at.desc(), Listing.id.desc())
    )
    page = paginate(statement)
    return render_template(
        "categories/show.html",
        category=category,
        page=page,
        total=subtree_count(category, counts),
        count_of=lambda child: subtree_count(child, counts),
    )
