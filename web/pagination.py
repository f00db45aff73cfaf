"""Pagination of every paged list: the ?page= argument, read one way, and the one Page model.

A page holds `items` of a list of `total` results. Deeper than MAX_PAGE nobody pages (people
search instead, and the bound keeps OFFSET within reason): the model stops there, so "Next" on
the last allowed page is not offered, whatever the total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any

from flask import request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import lazyload

from models import db

PER_PAGE = 24
MAX_PAGE = 500


def page_number() -> int:
    """The requested page, kept within 1..MAX_PAGE: garbage means page 1, too deep the last."""
    number = request.args.get("page", 1, type=int) or 1
    return min(max(number, 1), MAX_PAGE)


@dataclass
class Page:
    items: list[Any]
    total: int
    number: int
    per_page: int = field(default_factory=lambda: PER_PAGE)

    @property
    def pages(self) -> int:
        """How many pages one can visit: at least one, at most MAX_PAGE."""
        return min(max(1, ceil(self.total / self.per_page)), MAX_PAGE)

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def prev_num(self) -> int | None:
        # From past the end, "Previous" goes to the last page that has results.
        return min(self.number - 1, self.pages) if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.number + 1 if self.has_next else None


def paginate(statement: Select, number: int | None = None, per_page: int | None = None) -> Page:
    """The requested page (`number`, else ?page=) of `statement`, which the caller has ordered:
    one COUNT of the whole, then one OFFSET/LIMIT query for the page."""
    number = number or page_number()
    per_page = per_page or PER_PAGE
    counted = statement.order_by(None).options(lazyload("*")).subquery()
    total = db.session.scalar(select(func.count()).select_from(counted)) or 0
    rows = db.session.execute(statement.limit(per_page).offset((number - 1) * per_page))
    return Page(items=list(rows.unique().scalars()), total=total, number=number, per_page=per_page)
