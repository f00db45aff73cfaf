"""Reading the category tree: sections and postable subcategories.

Listing counts per category come from the search backend's category facet (web.categories.routes).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Category, db

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
