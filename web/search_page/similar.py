"""Similar listings nearby, for a listing's page: same category, within 25 miles, nearest first.

Asked of the search engine like any search, so only searchable listings show, from the index
on the real stack. The page still works when search is down: it then shows none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import url_for

from models import Listing
from search import engine
from search.query import ListingQuery, Location
from search.results import ListingHit

log = logging.getLogger(__name__)

RADIUS_MI = 25
SHOWN = 4


@dataclass(frozen=True)
class Similar:
    hits: list[ListingHit]
    more_url: str  # the search behind them, to see them all


def similar_nearby(listing: Listing) -> Similar:
    """Up to SHOWN searchable listings of the same category near `listing`, itself left out."""
    place = Location(listing.latitude, listing.longitude, listing.city)
    query = ListingQuery(
        categories=(listing.category.slug,),
        location=place,
        radius=RADIUS_MI,
        sort="distance",
        per_page=SHOWN + 1,  # one more, in case the listing itself is among them
    )
    try:
        hits = engine.run(query).hits
    except engine.SearchUnavailable:
        log.warning("No similar listings for listing %s: search is unavailable", listing.id)
        hits = []
    return Similar([hit for hit in hits if hit.id != listing.id][:SHOWN], _more_url(listing))


def _more_url(listing: Listing) -> str:
    """The search page for the same category around the listing's ZIP code (or point)."""
    where = (
        {"near": listing.zip_code}
        if listing.zip_code
        else {"lat": f"{listing.latitude:.4f}", "lon": f"{listing.longitude:.4f}"}
    )
    return url_for("main.search", category=listing.category.slug, sort="distance", **where)
