"""The place a person searched near, remembered for their session.

A search with a named place (`near`) remembers it and its radius; the navbar's search form then
carries them, so the next search from any page is near the same place without retyping it.
Pages never apply the remembered place on their own: the URL alone decides what a page shows.
A search that explicitly sends an empty `near` (the place box cleared, or the place's chip
removed) forgets it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import session

from search.query import DEFAULT_RADIUS, ListingQuery
from web.search_page import bp

SESSION_KEY = "search_place"


@dataclass(frozen=True)
class RememberedPlace:
    near: str
    radius: float

    def to_args(self) -> dict[str, str]:
        """The place as search arguments (the default radius left out)."""
        args = {"near": self.near}
        if self.radius != DEFAULT_RADIUS:
            args["radius"] = f"{self.radius:g}"
        return args


def remember(query: ListingQuery, args: Mapping) -> None:
    """Keep the place of a valid search; forget it when the search cleared the place box."""
    if query.errors:
        return
    if query.near:
        place = {"near": query.near, "radius": query.radius}
        if session.get(SESSION_KEY) != place:
            session[SESSION_KEY] = place
    elif _cleared(args) and SESSION_KEY in session:
        session.pop(SESSION_KEY)


def _cleared(args: Mapping) -> bool:
    given = args.get("near")
    coordinates = args.get("lat") or args.get("lon")
    return given is not None and not given.strip() and not coordinates


@bp.app_template_global("remembered_place")
def remembered_place() -> RememberedPlace | None:
    """The session's place, or None (also for a session cookie holding anything else)."""
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    near, radius = stored.get("near"), stored.get("radius")
    if not isinstance(near, str) or not isinstance(radius, int | float):
        return None
    return RememberedPlace(near, float(radius))
