"""Saving a search from the results page; my saved searches: list, open, edit, pause, delete."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from indexer.alerts import matching
from indexer.alerts.searches import read_query
from indexer.alerts.unsubscribe import drop_pending_mail
from models import AlertFrequency, SavedSearch, User, db, utcnow
from models.saved_search import MAX_PER_USER
from search import engine
from search.categories import category_tree
from search.query import ListingQuery
from web.saved_searches import bp
from web.saved_searches.forms import (
    FREQUENCY_LABELS,
    SAVE_PREFIX,
    EditSearchForm,
    SaveSearchForm,
)
from web.saved_searches.offer import count_saved, find_saved, results_url


@dataclass
class Row:
    """One saved search as the list shows it."""

    search: SavedSearch
    query: ListingQuery
    form: EditSearchForm
    total: int | None = None  # matches now; None: not known (search down, or the search broke)
    new: int | None = None  # of them, listings new since the last visit

    @property
    def problem(self) -> str | None:
        """Why the search no longer runs (a category it names was removed), or None."""
        return next(iter(self.query.errors.values()), None)


@bp.get("/saved-searches")
@login_required
def index():
    """My saved searches, newest first, each with how many listings match now and are new."""
    searches = db.session.scalars(
        select(SavedSearch)
        .where(SavedSearch.user_id == current_user.id)
        .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())
    ).all()
    tree = category_tree()
    rows = [_row(search, tree.slugs) for search in searches]
    counted = _count(rows)
    return render_template(
        "saved_searches/index.html",
        rows=rows,
        counted=counted,
        labels=tree.name,
        frequencies=FREQUENCY_LABELS,
        cap=MAX_PER_USER,
    )


def _row(search: SavedSearch, slugs: frozenset[str]) -> Row:
    form = EditSearchForm(
        formdata=None, prefix=f"s{search.id}", name=search.name, frequency=search.frequency.value
    )
    return Row(search, read_query(search.query, slugs), form)


def _count(rows: list[Row]) -> bool:
    """Fill in the counts of the rows that can run; False if the search backend is down."""
    runnable = [row for row in rows if not row.problem]
    queries = []
    for row in runnable:
        queries += [row.query, row.query.replace(visible_after=row.search.last_viewed_at)]
    try:
        counts = matching.count(queries)
    except engine.SearchUnavailable:
        return False
    for i, row in enumerate(runnable):
        row.total, row.new = counts[2 * i], counts[2 * i + 1]
    return True


@bp.post("/saved-searches")
@login_required
def create():
    """Save the search of the results page the form was on, then show those results again."""
    form = SaveSearchForm(prefix=SAVE_PREFIX)
    stored = form.query.data or ""
    query = engine.parse(MultiDict(parse_qsl(stored)))
    back = results_url(query.search_url_query() if query.is_valid else "")
    if not form.validate_on_submit():
        flash(_first_error(form), "error")
        return redirect(back)
    if not query.is_valid:
        flash("This search cannot be saved: " + next(iter(query.errors.values())), "error")
        return redirect(back)
    stored = query.search_url_query()
    # One save at a time per person, so the cap and the duplicate check hold under races.
    db.session.execute(select(User.id).where(User.id == current_user.id).with_for_update())
    existing = find_saved(current_user.id, stored)
    if existing is not None:
        flash(f"You saved this search already, as \u201c{existing.name}\u201d.", "info")
        return redirect(back)
    if count_saved(current_user.id) >= MAX_PER_USER:
        flash(
            f"You have {MAX_PER_USER} saved searches, the most one person can keep. "
            "Delete one you no longer need to save this one.",
            "error",
        )
        return redirect(back)
    search = SavedSearch(
        user_id=current_user.id,
        name=form.name.data,
        query=stored,
        frequency=AlertFrequency(form.frequency.data),
        last_viewed_at=utcnow(),
    )
    db.session.add(search)
    db.session.commit()
    flash(_saved_message(search), "success")
    return redirect(back)


def _saved_message(search: SavedSearch) -> Markup:
    how = {
        AlertFrequency.instant: "by mail as soon as new listings match",
        AlertFrequency.daily: "with a daily mail of new matches",
        AlertFrequency.weekly: "with a weekly mail of new matches",
        AlertFrequency.never: "under Notifications, without mail",
    }[search.frequency]
    link = url_for("saved_searches.index")
    return Markup(
        f"Saved \u201c{escape(search.name)}\u201d. We will tell you {how}. "
        f'<a href="{link}" class="alert-link">Your saved searches</a>'
    )


def _first_error(form) -> str:
    for field in form:
        if field.errors:
            return str(field.errors[0])
    return "The form has expired; please try again."


def _mine(search_id: int) -> SavedSearch:
    search = db.session.get(SavedSearch, search_id)
    if search is None or search.user_id != current_user.id:
        abort(404)  # someone else's saved searches do not exist for me
    return search


@bp.get("/saved-searches/<int:search_id>/open")
@login_required
def open_one(search_id: int):
    """The search's results page, as when it was saved; counts "new" from this visit on."""
    search = _mine(search_id)
    search.last_viewed_at = utcnow()
    db.session.commit()
    return redirect(results_url(search.query))


@bp.post("/saved-searches/<int:search_id>/edit")
@login_required
def edit(search_id: int):
    """Rename the search and change how often its mail comes."""
    search = _mine(search_id)
    form = EditSearchForm(prefix=f"s{search.id}")
    if not form.validate_on_submit():
        flash(f"\u201c{search.name}\u201d was not changed: {_first_error(form)}", "error")
        return redirect(url_for("saved_searches.index"))
    search.name = form.name.data
    search.frequency = AlertFrequency(form.frequency.data)
    if search.frequency is AlertFrequency.never:
        drop_pending_mail(search.id)
    db.session.commit()
    flash(f"Saved your changes to \u201c{search.name}\u201d.", "success")
    return redirect(url_for("saved_searches.index"))


@bp.post("/saved-searches/<int:search_id>/pause")
@login_required
def pause(search_id: int):
    """No alerts at all (neither notifications nor mail) until it is resumed."""
    search = _mine(search_id)
    if search.paused_at is None:
        search.paused_at = utcnow()
        drop_pending_mail(search.id)
        db.session.commit()
    flash(f"Paused \u201c{search.name}\u201d: no alerts until you resume it.", "success")
    return redirect(url_for("saved_searches.index"))


@bp.post("/saved-searches/<int:search_id>/resume")
@login_required
def resume(search_id: int):
    """Alerts again, for listings posted or changed from now on."""
    search = _mine(search_id)
    if search.paused_at is not None:
        search.paused_at = None
        db.session.commit()
    flash(f"Resumed \u201c{search.name}\u201d.", "success")
    return redirect(url_for("saved_searches.index"))


@bp.post("/saved-searches/<int:search_id>/delete")
@login_required
def delete(search_id: int):
    """Delete the search; its notifications go with it."""
    search = _mine(search_id)
    name = search.name
    db.session.delete(search)
    db.session.commit()
    flash(f"Deleted \u201c{name}\u201d.", "success")
    return redirect(url_for("saved_searches.index"))
