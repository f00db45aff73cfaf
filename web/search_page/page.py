"""GET /search: the results page, rendered from the URL alone.

The page is plain HTML whose every control is a link or a GET form, so it works without
JavaScript; with it, static/js/search-page.js fetches the same URLs and swaps the page in
place. Besides the search contract's arguments the page reads one of its own: `view=map`
shows the results on a map instead of the grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from models import Category, db
from search import engine
from search.query import RESULT_WINDOW, SORTS, ActiveFilter, ListingQuery
from search.results import SearchResult
from web.pagination import Page
from web.search_page import places, relax, sidebar

VIEWS = ("list", "map")
# Arguments with a field on the page, whose messages are shown beside it.
FIELDS = frozenset({"q", "near", "radius", "min_price", "max_price", "sort"})
RADIUS_CHOICES = (1, 5, 10, 25, 50, 100, 250, 500)
SORT_LABELS = {
    "relevance": "Best match",
    "newest": "Newest first",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "distance": "Nearest first",
}


@dataclass
class SearchPage:
    """Everything the template shows, and the one way it builds links (`url`)."""

    query: ListingQuery
    result: SearchResult | None
    view: str
    chips: list[ActiveFilter] = field(default_factory=list)
    sidebar: sidebar.Sidebar | None = None
    relaxations: list[relax.Relaxation] = field(default_factory=list)
    remembered: places.RememberedPlace | None = None

    def url(self, args: dict, view: str | None = None) -> str:
        """The search page for `args`, in this page's view unless `view` says otherwise."""
        view = view or self.view
        extra = {"view": view} if view != "list" else {}
        return url_for("main.search", **args, **extra)

    def chip_url(self, chip: ActiveFilter) -> str:
        """The search without the chip's filter. Removing the place also forgets it for the
        session (an empty `near`, see places.remember)."""
        args = chip.remove_args
        if chip.argument == "near":
            args = {**args, "near": ""}
        return self.url(args)

    def view_url(self, view: str) -> str:
        return self.url(self.query.to_args(), view)

    @property
    def clear_args(self) -> dict:
        """Every filter gone but the words."""
        return {"q": self.query.text} if self.query.text else {}

    @property
    def sorts(self) -> list[tuple[str, str]]:
        """The orders this search can take: by match only with words, by distance only with a
        place."""
        query = self.query
        offered = [s for s in SORTS if s != "relevance" or query.has_text]
        offered = [s for s in offered if s != "distance" or query.location is not None]
        return [(s, SORT_LABELS[s]) for s in offered]

    @property
    def radius_choices(self) -> list[float]:
        chosen = self.query.radius
        return sorted({*RADIUS_CHOICES, chosen}) if chosen else list(RADIUS_CHOICES)

    @property
    def general_errors(self) -> list[tuple[str, str]]:
        """Messages for arguments without a field of their own on the page."""
        errors = self.query.errors
        return [(name, errors[name]) for name in sorted(errors) if name not in FIELDS]

    @property
    def pager(self) -> Page | None:
        """The result as the site's one page model; numbers stop at the result window (the
        JSON endpoint's cursor goes on) as well as at MAX_PAGE."""
        result = self.result
        if result is None or not result.per_page:
            return None
        reachable = min(result.total, RESULT_WINDOW)
        return Page(result.hits, reachable, result.page, result.per_page)

    def value(self, name: str) -> str:
        """What a text field shows: what was typed when it was wrong, else the query's value."""
        if name in self.query.errors:
            return request.args.get(name, "")[:200]
        return self.query.to_args().get(name, "")


def render():
    """The page for the request's arguments: 200, or 400 with a message beside each bad one."""
    args = _without_orphan_distance_sort(request.args)
    query = engine.parse(args)
    view = request.args["view"] if request.args.get("view") in VIEWS else "list"
    places.remember(query, args)
    page = SearchPage(query=query, result=None, view=view, remembered=places.remembered_place())
    if query.is_valid:
        try:
            _run(page)
        except engine.SearchUnavailable:
            abort(503, "Search is unavailable right now. Please try again in a minute.")
    status = 200 if query.is_valid else 400
    return render_template("search/page.html", page=page), status


def _run(page: SearchPage) -> None:
    """The result of the page's valid query, its chips and sidebar, and on zero results the
    ways out (each one more search)."""
    query = page.query
    page.result = engine.run(query)
    page.chips = query.active_filters(_category_names())
    page.sidebar = sidebar.build(query, page.result.facets)
    if page.result.total == 0 and page.chips:
        page.relaxations = relax.relaxations(query, page.result, page.chips)


def _without_orphan_distance_sort(args: MultiDict) -> MultiDict:
    """Clearing the place box while sorted by distance drops the distance sort with it,
    instead of answering with an error about a sort the person did not just choose."""
    cleared = "near" in args and not args.get("near", "").strip()
    coordinates = args.get("lat") or args.get("lon")
    if cleared and not coordinates and args.get("sort") == "distance":
        args = MultiDict(args)
        args.poplist("sort")
    return args


def _category_names() -> dict[str, str]:
    """Slug -> name of every category (a chosen one without matches is not in the facet)."""
    return {slug: name for slug, name in db.session.execute(select(Category.slug, Category.name))}
