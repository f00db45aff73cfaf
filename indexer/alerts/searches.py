"""Saved searches read back into ListingQuery, and the name suggested for a new one."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from urllib.parse import parse_qsl

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from indexer.alerts.matching import SavedQuery
from models import SavedSearch, User, db
from models.saved_search import MAX_NAME
from search.categories import category_tree
from search.query import ListingQuery

log = logging.getLogger(__name__)


def read_query(stored: str, slugs: Collection[str] | None = None) -> ListingQuery:
    """The ListingQuery of a saved search's query string; its `errors` say if it no longer
    makes sense (a category that was removed since). `slugs`: the categories that exist
    (search.categories.category_tree().slugs, read here when not given)."""
    args = MultiDict(parse_qsl(stored, keep_blank_values=False))
    known = category_tree().slugs if slugs is None else slugs
    return ListingQuery.from_args(args, category_slugs=known)


# Parsed saved searches, by query string and the categories that existed: a worker runs the
# same ten thousand searches every minute, and parsing them is a good part of a run.
_parsed: dict[tuple[str, frozenset[str]], ListingQuery] = {}
MAX_PARSED = 200_000


def active_queries() -> list[SavedQuery]:
    """Every saved search that alerts run: not paused, its owner's account active. Each
    leaves out its owner's own listings. Searches that no longer parse are skipped (logged)."""
    known = category_tree().slugs
    rows = db.session.execute(
        select(SavedSearch.id, SavedSearch.user_id, SavedSearch.query)
        .join(User, User.id == SavedSearch.user_id)
        .where(SavedSearch.paused_at.is_(None), User.active.is_(True))
        .order_by(SavedSearch.id)
    )
    if len(_parsed) > MAX_PARSED:
        _parsed.clear()
    queries = []
    for search_id, user_id, stored in rows:
        query = _parsed.get((stored, known))
        if query is None:
            query = _parsed[(stored, known)] = read_query(stored, known)
        if query.errors:
            log.warning("Saved search %d no longer runs: %s", search_id, query.errors)
            continue
        queries.append(SavedQuery(search_id, user_id, query.replace(exclude_seller=user_id)))
    return queries


def suggest_name(query: ListingQuery, category_labels: Mapping[str, str]) -> str:
    """A name that says what the search is, from its filters: road bike, Bikes, Up to $500,
    Within 25 mi of Oakland, CA. The text goes in without the quotes its chip wears: pages and
    mail put the whole name in quotes of their own (“road bike, Bikes”, never ““road bike”,
    Bikes”)."""
    labels = [
        chip.value if chip.argument == "q" else chip.label
        for chip in query.active_filters(category_labels)
    ]
    name = ", ".join(labels) or "All listings"
    if len(name) > MAX_NAME:
        name = name[: MAX_NAME - 1].rsplit(" ", 1)[0].rstrip(",") + "\u2026"
    return name
