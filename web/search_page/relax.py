"""When a search finds nothing: which filter to take away, and how many listings that gives.

Each chosen filter is tried without it, as the search its chip's remove link leads to; a place
may instead be widened, using the distance facet (it counts every radius, ignoring the chosen
one). Only the page with zero results pays for these extra searches.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from search import engine
from search.query import ActiveFilter, ListingQuery
from search.results import SearchResult


@dataclass(frozen=True)
class Relaxation:
    """A search with one filter fewer (or a wider place) and its total."""

    label: str
    args: dict
    total: int


def relaxations(
    query: ListingQuery, result: SearchResult, chips: list[ActiveFilter]
) -> list[Relaxation]:
    """The ways out of zero results that find something, most results first."""
    found = [wider_place(query, result)] if query.location is not None else []
    for chip in chips:
        total = _total(chip.remove_args)
        found.append(Relaxation(f"Remove “{chip.label}”", chip.remove_args, total))
    useful = [r for r in found if r is not None and r.total > 0]
    return sorted(useful, key=lambda r: -r.total)


def wider_place(query: ListingQuery, result: SearchResult) -> Relaxation | None:
    """The smallest radius beyond the chosen one that finds something."""
    for band in result.facets.distance:
        if band.to_mi > query.radius and band.count > 0:
            args = query.to_args(radius=str(band.to_mi), page=None, cursor=None)
            return Relaxation(f"Search within {band.to_mi} mi", args, band.count)
    return None


def _total(args: dict) -> int:
    query = engine.parse(MultiDict(args))
    if query.errors:
        return 0
    return engine.run(query.replace(per_page=1)).total
