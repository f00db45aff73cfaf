"""The embedded search backend: answers a ListingQuery from the database itself.

It serves the zero-configuration run (SQLite) with no search server. Text matching is a plain
case-insensitive substring match on title and description, every word required.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from models import Category, Listing, db
from models.visibility import searchable
from search.query import PER_PAGE, ListingQuery
from search.results import SearchResult

ORDER = {
    "relevance": (Listing.created_at.desc(), Listing.id.desc()),
    "newest": (Listing.created_at.desc(), Listing.id.desc()),
    "price_asc": (Listing.price_minor.asc(), Listing.id.asc()),
    "price_desc": (Listing.price_minor.desc(), Listing.id.desc()),
}


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(query: ListingQuery) -> SearchResult:
    statement = select(Listing).where(searchable())
    for word in query.text.split():
        pattern = f"%{_escape_like(word.lower())}%"
        statement = statement.where(
            or_(
                func.lower(Listing.title).like(pattern, escape="\\"),
                func.lower(Listing.description).like(pattern, escape="\\"),
            )
        )
    if query.category:
        category = db.session.scalar(select(Category).where(Category.slug == query.category))
        ids = category.subtree_ids() if category else []
        statement = statement.where(Listing.category_id.in_(ids))
    if query.min_price is not None:
        statement = statement.where(Listing.price_minor >= query.min_price)
    if query.max_price is not None:
        statement = statement.where(Listing.price_minor <= query.max_price)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = (
        statement.options(selectinload(Listing.images))  # the cards show the first photo
        .order_by(*ORDER[query.sort])
        .limit(PER_PAGE)
        .offset((query.page - 1) * PER_PAGE)
    )
    return SearchResult(list(db.session.scalars(page)), total, query.page, PER_PAGE)
