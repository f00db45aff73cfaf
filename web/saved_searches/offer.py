"""What the results page offers about saving the search it shows (the `_save_form.html` include)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_login import current_user
from sqlalchemy import func, select

from indexer.alerts.searches import suggest_name
from models import SavedSearch, db
from models.saved_search import MAX_PER_USER
from search.categories import category_tree
from search.query import ListingQuery
from web.saved_searches.forms import SAVE_PREFIX, SaveSearchForm


@dataclass
class SaveOffer:
    query_string: str  # the search's canonical query string: what a saved search stores
    form: SaveSearchForm | None = None  # None when nobody is logged in
    existing: SavedSearch | None = None  # the viewer saved this very search already
    full: bool = False  # the viewer keeps MAX_PER_USER saved searches already

    @property
    def login_url(self) -> str:
        return url_for("auth.login", next=results_url(self.query_string))


def save_offer(query: ListingQuery) -> SaveOffer | None:
    """The offer for the results of `query`; None when the query is invalid (nothing to save)."""
    if not query.is_valid:
        return None
    stored = query.search_url_query()
    offer = SaveOffer(stored)
    if not current_user.is_authenticated:
        return offer
    offer.existing = find_saved(current_user.id, stored)
    offer.full = count_saved(current_user.id) >= MAX_PER_USER
    name = suggest_name(query, category_tree().name)
    offer.form = SaveSearchForm(formdata=None, prefix=SAVE_PREFIX, name=name, query=stored)
    return offer


def find_saved(user_id: int, stored: str) -> SavedSearch | None:
    return db.session.scalar(
        select(SavedSearch)
        .where(SavedSearch.user_id == user_id, SavedSearch.query == stored)
        .order_by(SavedSearch.id)
        .limit(1)
    )


def count_saved(user_id: int) -> int:
    return db.session.scalar(
        select(func.count(SavedSearch.id)).where(SavedSearch.user_id == user_id)
    )


def results_url(stored: str) -> str:
    """The results page of a saved search's query string: the page it was saved from."""
    base = url_for("main.search")
    return f"{base}?{stored}" if stored else base
