"""SearchResult: what every backend returns for a ListingQuery."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from models import Listing


@dataclass
class SearchResult:
    hits: list[Listing]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1
