"""ListingQuery: what a person searches for, parsed and validated from a URL query string.

Invalid values become messages in `errors` (shown beside the form), never exceptions: a
hand-edited URL gets a clear answer, not a 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from models import MAX_PRICE_MINOR

MAX_TEXT_LENGTH = 200
MAX_PAGE = 500
PER_PAGE = 24
SORTS = ("relevance", "newest", "price_asc", "price_desc")


@dataclass
class ListingQuery:
    text: str = ""
    category: str = ""  # a category slug; its subcategories are included
    min_price: int | None = None  # minor units
    max_price: int | None = None
    sort: str = "relevance"
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def from_args(cls, args) -> ListingQuery:
        query = cls(text=" ".join(args.get("q", "").split())[:MAX_TEXT_LENGTH])
        query.category = args.get("category", "").strip()[:80]
        query.min_price = query._price(args.get("min_price", ""), "min_price")
        query.max_price = query._price(args.get("max_price", ""), "max_price")
        low, high = query.min_price, query.max_price
        if low is not None and high is not None and low > high:
            query.errors["max_price"] = "The maximum price is below the minimum."
        sort = args.get("sort", "relevance")
        if sort in SORTS:
            query.sort = sort
        else:
            query.errors["sort"] = f"Unknown sort order; choose one of {', '.join(SORTS)}."
        query.page = query._page(args.get("page", "1"))
        return query

    def _price(self, raw: str, name: str) -> int | None:
        raw = raw.strip().replace(",", "").lstrip("$")
        if not raw:
            return None
        try:
            minor = int(Decimal(raw) * 100)
        except (InvalidOperation, ValueError, OverflowError):
            self.errors[name] = "Enter a price as a number, like 250 or 19.99."
            return None
        if not 0 <= minor <= MAX_PRICE_MINOR:
            self.errors[name] = "Enter a price between 0 and 10,000,000,000."
            return None
        return minor

    def _page(self, raw: str) -> int:
        try:
            page = int(raw)
        except ValueError:
            self.errors["page"] = "The page must be a whole number."
            return 1
        if not 1 <= page <= MAX_PAGE:
            self.errors["page"] = f"The page must be between 1 and {MAX_PAGE}."
            return 1
        return page

    def to_args(self, **changes) -> dict[str, str]:
        """The canonical query-string arguments, with `changes` applied (e.g. page=2)."""
        values = {
            "q": self.text,
            "category": self.category,
            "min_price": _major(self.min_price),
            "max_price": _major(self.max_price),
            "sort": "" if self.sort == "relevance" else self.sort,
            "page": "" if self.page == 1 else str(self.page),
        }
        values.update({key: str(value) for key, value in changes.items()})
        return {key: value for key, value in values.items() if value}

    def to_url_query(self, **changes) -> str:
        return urlencode(self.to_args(**changes))


def _major(minor: int | None) -> str:
    if minor is None:
        return ""
    major, cents = divmod(minor, 100)
    return str(major) if cents == 0 else f"{major}.{cents:02d}"
