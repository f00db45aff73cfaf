"""Reading the category tree: sections, postable subcategories, and active-listing counts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models import Category, Listing, db
from models.visibility import searchable

# Sections whose listings are goods in some state of wear, and the one whose price is a salary.
CONDITION_SECTIONS = frozenset({"for-sale", "vehicles"})
SALARY_SECTIONS = frozenset({"jobs"})


def sections() -> list[Category]:
    """The top-level categories in display order, their subcategories loaded with them."""
    return list(
        db.session.scalars(
            select(Category)
            .where(Category.parent_id.is_(None))
            .options(selectinload(Category.children))
            .order_by(Category.position, Category.id)
        )
    )


def root_of(category: Category) -> Category:
    """The section a category belongs to (a section is its own root)."""
    chain = category.ancestors()
    return chain[0] if chain else category


def uses_condition(category: Category) -> bool:
    return root_of(category).slug in CONDITION_SECTIONS


def uses_salary(category: Category) -> bool:
    return root_of(category).slug in SALARY_SECTIONS


def active_counts() -> dict[int, int]:
    """Active listings per category id, in one grouped query (categories with none are absent)."""
    rows = db.session.execute(
        select(Listing.category_id, func.count(Listing.id))
        .where(searchable())
        .group_by(Listing.category_id)
    )
    return {category_id: count for category_id, count in rows}


def subtree_count(category: Category, counts: dict[int, int]) -> int:
    """Active listings in a category and all its descendants, from `active_counts()`."""
    return sum(counts.get(category_id, 0) for category_id in category.subtree_ids())
