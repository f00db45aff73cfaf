"""The facet sidebar: every facet of a result as links that add or remove one value.

Each option carries the arguments of the search it leads to, so the sidebar works as plain
links without JavaScript. Counts come from the engine's facets (each facet ignores its own
filter, so the other values of a chosen facet keep their counts); values without matches are
left out unless chosen, so a chosen value can always be taken away again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models import Category
from search.query import CONDITION_LABELS, CONDITIONS, DEFAULT_RADIUS, POSTED, POSTED_LABELS
from search.query import ListingQuery as Query
from search.results import DISTANCE_BANDS_MI, PRICE_BANDS, Facets
from web.categories.tree import sections
from web.context import format_price


@dataclass(frozen=True)
class Option:
    """One value of a facet: its label, how many matches it has, and where choosing it leads."""

    key: str  # "facet:value", stable from page to page (the script keeps focus on it)
    label: str
    count: int | None
    args: dict
    selected: bool


@dataclass
class CategoryOption:
    """A section of the category tree with its subcategories."""

    option: Option
    children: list[Option] = field(default_factory=list)

    @property
    def expanded(self) -> bool:
        """Open when the section or one of its subcategories is chosen."""
        return self.option.selected or any(child.selected for child in self.children)


@dataclass
class Sidebar:
    categories: list[CategoryOption]
    condition: list[Option]
    price: list[Option]
    posted: list[Option]
    photo: list[Option]
    distance: list[Option]  # only with a place


def build(query: Query, facets: Facets) -> Sidebar:
    return Sidebar(
        categories=category_options(query, facets.counts("category")),
        condition=value_options(query, "condition", CONDITIONS, CONDITION_LABELS, facets),
        price=price_options(query, facets),
        posted=value_options(query, "posted", tuple(POSTED), POSTED_LABELS, facets),
        photo=value_options(query, "photo", ("1",), {"1": "With photos"}, facets),
        distance=distance_options(query, facets) if query.location is not None else [],
    )


def category_options(query: Query, counts: dict[str, int]) -> list[CategoryOption]:
    """Sections in their display order, each with its subcategories that have matches.

    The tree narrows and widens rather than piling up: choosing a subcategory of a chosen
    section replaces the section, and choosing a section replaces its chosen subcategories
    (which it includes anyway). Other choices stay: any of them matches.
    """
    tree = []
    for section in sections():
        below = {child.slug for child in section.children}
        head = _category_option(query, section, counts, replaces=below, always=True)
        children = [
            option
            for child in section.children
            if (option := _category_option(query, child, counts, replaces={section.slug}))
        ]
        if head.count or head.selected or children:
            tree.append(CategoryOption(head, children))
    return tree


def _category_option(
    query: Query, category: Category, counts: dict[str, int], *, replaces: set, always=False
) -> Option | None:
    selected = query.is_selected("category", category.slug)
    count = counts.get(category.slug, 0)
    if not count and not selected and not always:
        return None
    if selected:
        args = query.without("category", category.slug)
    else:
        kept = [slug for slug in query.categories if slug not in replaces]
        chosen = sorted({*kept, category.slug})
        args = query.to_args(category=chosen, page=None, cursor=None)
    return Option(f"category:{category.slug}", category.name, count, args, selected)


def value_options(
    query: Query, argument: str, values: tuple[str, ...], labels: dict[str, str], facets: Facets
) -> list[Option]:
    """Options of a facet with named values (condition, posted, photo)."""
    counts = facets.counts(argument)
    options = []
    for value in values:
        selected = query.is_selected(argument, value)
        if counts.get(value) or selected:
            args = query.toggled(argument, value)
            if isinstance(args.get(argument), list):  # several chosen: in canonical order
                args[argument] = [v for v in values if v in args[argument]]
            key = f"{argument}:{value}"
            options.append(Option(key, labels[value], counts.get(value, 0), args, selected))
    return options


def price_options(query: Query, facets: Facets) -> list[Option]:
    """The price bands; choosing one sets both price bounds to it (one range at a time)."""
    counts = {(band.from_minor, band.to_minor): band.count for band in facets.price}
    options = []
    for low, high in PRICE_BANDS:
        top = None if high is None else high - 1  # bands end before `high`; max_price includes
        selected = query.min_price == (low or None) and query.max_price == top
        if low == 0:  # the free band: max_price=0 means free
            selected = query.min_price is None and query.max_price == 0
        if not counts.get((low, high)) and not selected:
            continue
        if selected:
            args = query.without("price")
        else:
            args = query.to_args(
                min_price=_major(low) if low else None,
                max_price=_major(top) if top is not None else None,
                page=None,
                cursor=None,
            )
        label = price_band_label(low, high)
        count = counts.get((low, high), 0)
        options.append(Option(f"price:{low}-{high}", label, count, args, selected))
    return options


def price_band_label(low: int, high: int | None) -> str:
    if high == 1:
        return "Free"
    if high is None:
        return f"{format_price(low)} and up"
    if low <= 1:
        return f"Under {format_price(high)}"
    return f"{format_price(low)} to {format_price(high)}"


def distance_options(query: Query, facets: Facets) -> list[Option]:
    """Radius choices with how many matches each would give (the facet ignores the radius)."""
    counts = {band.to_mi: band.count for band in facets.distance}
    options = []
    for miles in DISTANCE_BANDS_MI:
        selected = query.radius == miles
        if not counts.get(miles) and not selected:
            continue
        radius = None if miles == DEFAULT_RADIUS else str(miles)
        args = query.to_args(radius=radius, page=None, cursor=None)
        count = counts.get(miles, 0)
        options.append(Option(f"distance:{miles}", f"Within {miles} mi", count, args, selected))
    return options


def _major(minor: int) -> str:
    major, cents = divmod(minor, 100)
    return str(major) if cents == 0 else f"{major}.{cents:02d}"
