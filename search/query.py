"""ListingQuery: one search, read from URL arguments, validated, and written back to one URL.

The arguments and their meaning are the search contract (SEARCH.md beside the shared
architecture notes, summarised in docs/ARCHITECTURE.md). `ListingQuery.from_args` never
raises on bad input: every invalid argument leaves a message in `errors`, keyed by the
argument's name, so the page can show it beside the field and the JSON endpoint can answer 400
with a reason per argument.

`to_args()` / `to_url_query()` give the canonical form: defaults left out, repeated values
sorted, places and numbers normalised. Parsing the canonical form again gives an equal query,
and two URLs meaning the same search give the same canonical string (saved searches store it).

Helpers for the page's chips and facet links (`without`, `toggled`, `active_filters`) return
argument dicts for `url_for(endpoint, **args)`; they always go back to the first page.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from models.listing import MAX_PRICE_MINOR, Condition
from search import analysis, cursor, geo

MAX_TEXT_LENGTH = 200
PER_PAGE = 24  # the search page's page size
MAX_PER_PAGE = 100  # the JSON endpoint's largest page
# Page numbers reach this many results at most (Elasticsearch's `from + size` window); the
# JSON endpoint's cursor goes further, to the end.
RESULT_WINDOW = 10_000
DEFAULT_RADIUS = 25  # miles
MIN_RADIUS, MAX_RADIUS = 1, 500
MAX_VALUES = 20  # values of one repeatable argument
SORTS = ("relevance", "newest", "price_asc", "price_desc", "distance")
CONDITIONS = tuple(condition.value for condition in Condition)
CONDITION_LABELS = {
    "new": "New",
    "like_new": "Like new",
    "good": "Good",
    "fair": "Fair",
    "for_parts": "For parts",
}
# `posted` windows: the argument value and its length in days.
POSTED = {"1d": 1, "7d": 7, "30d": 30}
POSTED_LABELS = {"1d": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days"}
# Argument order of the canonical URL.
ARGUMENTS = (
    "q",
    "category",
    "min_price",
    "max_price",
    "condition",
    "near",
    "lat",
    "lon",
    "radius",
    "bbox",
    "posted",
    "photo",
    "sort",
    "page",
    "per_page",
    "cursor",
)
PAGING_ARGUMENTS = ("page", "per_page", "cursor")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_COORDINATE_DIGITS = 6  # about 10 cm: finer adds nothing but URL noise


@dataclass(frozen=True)
class Location:
    """The centre of a distance search: a resolved place or coordinates given as such."""

    lat: float
    lon: float
    label: str | None = None

    def to_json(self) -> dict:
        return {"lat": self.lat, "lon": self.lon, "label": self.label}


@dataclass(frozen=True)
class BoundingBox:
    """A map view in degrees. `west > east` is a box across the antimeridian (180°)."""

    west: float
    south: float
    east: float
    north: float

    @property
    def crosses_antimeridian(self) -> bool:
        return self.west > self.east

    def to_arg(self) -> str:
        return ",".join(_number(v) for v in (self.west, self.south, self.east, self.north))


@dataclass(frozen=True)
class ActiveFilter:
    """One chosen filter value, as a chip shows it: `remove_args` is the search without it."""

    argument: str  # the URL argument: category, condition, min_price, near, ...
    value: str
    label: str
    remove_args: dict


@dataclass
class ListingQuery:
    """A search over listings: every argument of the contract, parsed and validated.

    Prices are in minor units (cents); `radius` in miles; `location` is set from `near` (a
    resolved place) or from `lat`/`lon`. `sort` is what was asked for ("" for the default);
    `effective_sort` is what the backends apply. `after` holds the sort values decoded from
    `cursor` (the position after which the page starts).

    `visible_after` and `exclude_seller` are not URL arguments: saved-search alerts set them
    to ask only for listings that became searchable after their last run and to leave out the
    searcher's own listings.
    """

    text: str = ""
    categories: tuple[str, ...] = ()
    min_price: int | None = None
    max_price: int | None = None
    conditions: tuple[str, ...] = ()
    near: str = ""  # canonical place text: a ZIP code or "City, ST"
    location: Location | None = None
    radius: float = DEFAULT_RADIUS
    bbox: BoundingBox | None = None
    posted: str = ""
    photo: bool = False
    sort: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    cursor: str = ""
    after: tuple | None = field(default=None, compare=False)
    visible_after: datetime | None = None
    exclude_seller: int | None = None
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    # ---- reading ---------------------------------------------------------------------------

    @classmethod
    def from_args(
        cls, args: Mapping, *, category_slugs: Collection[str] | None = None
    ) -> ListingQuery:
        """Parse URL arguments (a MultiDict, or a plain mapping of str or list values).

        `category_slugs`, when given, are the categories that exist: others are an error.
        """
        parser = _Parser(args)
        query = cls(
            text=parser.text(),
            categories=parser.categories(category_slugs),
            min_price=parser.price("min_price"),
            max_price=parser.price("max_price"),
            conditions=parser.conditions(),
            posted=parser.choice("posted", tuple(POSTED), "Choose 1d, 7d or 30d."),
            photo=parser.flag("photo"),
            page=parser.integer("page", 1, 1, RESULT_WINDOW),
            per_page=parser.integer("per_page", PER_PAGE, 1, MAX_PER_PAGE),
        )
        query.near, query.location = parser.location()
        query.radius = parser.radius()
        query.bbox = parser.bbox()
        query.sort = parser.choice("sort", SORTS, f"Choose one of {', '.join(SORTS)}.")
        query.errors = parser.errors
        query._check_combinations()
        query.cursor, query.after = parser.one("cursor")[:500], None
        if query.cursor and not query.errors:
            query._read_cursor()
        return query

    def _check_combinations(self) -> None:
        errors = self.errors
        low, high = self.min_price, self.max_price
        if low is not None and high is not None and low > high:
            errors.setdefault("max_price", "The maximum price is below the minimum.")
        if self.sort == "distance" and self.location is None and "near" not in errors:
            errors.setdefault("sort", "Sorting by distance needs a place (near, or lat and lon).")
        if "page" not in errors and "per_page" not in errors:
            deepest = RESULT_WINDOW // self.per_page
            if self.page > deepest:
                errors["page"] = (
                    f"Pages go up to {deepest:,} at {self.per_page} a page; "
                    "narrow the search (or follow next_cursor)."
                )

    def _read_cursor(self) -> None:
        if self.page != 1:
            self.errors["cursor"] = "Give either page or cursor, not both."
            return
        try:
            self.after = cursor.decode(self.cursor, self.effective_sort, self.fingerprint())
        except cursor.InvalidCursor as error:
            self.errors["cursor"] = str(error)

    # ---- meaning ---------------------------------------------------------------------------

    @property
    def terms(self) -> list[str]:
        """The analysed words the text requires (search.analysis); empty: no text condition."""
        return analysis.query_terms(self.text)

    @property
    def has_text(self) -> bool:
        return bool(self.terms)

    @property
    def effective_sort(self) -> str:
        """The order the backends apply: relevance needs words, else it is recency."""
        sort = self.sort or ("relevance" if self.has_text else "newest")
        return "newest" if sort == "relevance" and not self.has_text else sort

    @property
    def radius_km(self) -> float:
        return self.radius * geo.KM_PER_MILE

    @property
    def offset(self) -> int:
        """Where the page starts among all matches (ignored when `after` is set)."""
        return (self.page - 1) * self.per_page

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def fingerprint(self) -> str:
        """A short digest of everything but paging: a cursor only fits the search it came
        from."""
        canonical = urlencode(self._filter_args(), doseq=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    # ---- writing ---------------------------------------------------------------------------

    def to_args(self, **changes) -> dict[str, str | list[str]]:
        """The canonical arguments, with `changes` (argument names) applied.

        A change to None or "" drops the argument; a list sets a repeatable one:
        `to_args(page=2)`, `to_args(category=["bikes"], page=None)`.
        """
        values = {**self._filter_args(), **self._paging_args()}
        for name, value in changes.items():
            if value is None or value == "" or value == []:
                values.pop(name, None)
            elif isinstance(value, list | tuple):
                values[name] = [str(item) for item in value]
            else:
                values[name] = str(value)
        return {name: values[name] for name in ARGUMENTS if name in values}

    def to_url_query(self, **changes) -> str:
        """`to_args(**changes)` as a query string (without the "?")."""
        return urlencode(self.to_args(**changes), doseq=True)

    def search_url_query(self) -> str:
        """The canonical query string of the search itself, without page, per_page or cursor:
        what a saved search stores."""
        return urlencode(self._filter_args(), doseq=True)

    def _filter_args(self) -> dict[str, str | list[str]]:
        args: dict[str, str | list[str]] = {}
        if self.text:
            args["q"] = self.text
        if self.categories:
            args["category"] = sorted(self.categories)  # canonical: sorted, as parsed
        if self.min_price is not None:
            args["min_price"] = _major(self.min_price)
        if self.max_price is not None:
            args["max_price"] = _major(self.max_price)
        if self.conditions:
            args["condition"] = [c for c in CONDITIONS if c in self.conditions]
        if self.near:
            args["near"] = self.near
        elif self.location is not None:
            args["lat"], args["lon"] = _number(self.location.lat), _number(self.location.lon)
        if self.location is not None and self.radius != DEFAULT_RADIUS:
            args["radius"] = _number(self.radius)
        if self.bbox is not None:
            args["bbox"] = self.bbox.to_arg()
        if self.posted:
            args["posted"] = self.posted
        if self.photo:
            args["photo"] = "1"
        if self.sort and self.sort != self._default_sort():
            args["sort"] = self.sort
        return args

    def _paging_args(self) -> dict[str, str]:
        args = {}
        if self.page != 1:
            args["page"] = str(self.page)
        if self.per_page != PER_PAGE:
            args["per_page"] = str(self.per_page)
        if self.cursor:
            args["cursor"] = self.cursor
        return args

    def _default_sort(self) -> str:
        return "relevance" if self.has_text else "newest"

    # ---- chips and facet links -------------------------------------------------------------

    def without(self, argument: str, value: str | None = None) -> dict:
        """The arguments of this search with one filter removed, back on the first page.

        `argument` is a URL argument; for a repeatable one, `value` removes just that value.
        "near" (or "lat"/"lon") removes the place with its radius (and a distance sort);
        "price" removes both price bounds.
        """
        changes: dict = {name: None for name in PAGING_ARGUMENTS}
        if argument in ("category", "condition") and value is not None:
            kept = [v for v in self._filter_args().get(argument, []) if v != value]
            changes[argument] = kept
        elif argument in ("near", "lat", "lon", "location"):
            changes.update(near=None, lat=None, lon=None, radius=None)
            if self.sort == "distance":
                changes["sort"] = None
        elif argument == "price":
            changes.update(min_price=None, max_price=None)
        else:
            changes[argument] = None
        return self.to_args(**changes)

    def toggled(self, argument: str, value: str) -> dict:
        """The arguments with `value` of a repeatable argument (category, condition) added, or
        removed if it is already chosen; for single ones (posted, photo) set or cleared."""
        if self.is_selected(argument, value):
            return self.without(argument, value)
        changes: dict = {name: None for name in PAGING_ARGUMENTS}
        current = self._filter_args().get(argument, [])
        if argument in ("category", "condition"):
            changes[argument] = [*current, value]
        else:
            changes[argument] = value
        return self.to_args(**changes)

    def is_selected(self, argument: str, value: str) -> bool:
        """Whether a facet value is part of this search (for checkboxes)."""
        current = self._filter_args().get(argument)
        if isinstance(current, list):
            return value in current
        return current == value

    def active_filters(
        self, category_labels: Mapping[str, str] | None = None
    ) -> list[ActiveFilter]:
        """Every chosen filter as a chip, in URL order. `category_labels` maps slugs to names
        (a result's category facet has them); without it the slug is shown."""
        labels = category_labels or {}
        chips = []

        def chip(argument: str, value: str, label: str, remove: str | None = None) -> None:
            removal = self.without(remove or argument, value if remove is None else None)
            chips.append(ActiveFilter(argument, value, label, removal))

        if self.text:
            chip("q", self.text, f"“{self.text}”")
        for slug in sorted(self.categories):
            chip("category", slug, labels.get(slug, slug))
        if self.min_price is not None:
            chip("min_price", _major(self.min_price), f"From ${_major(self.min_price, True)}")
        if self.max_price is not None:
            text = "Free" if self.max_price == 0 else f"Up to ${_major(self.max_price, True)}"
            chip("max_price", _major(self.max_price), text)
        for condition in self.conditions:
            chip("condition", condition, CONDITION_LABELS[condition])
        if self.location is not None:
            place = self.location.label or "the map point"
            chip("near", self.near, f"Within {_number(self.radius)} mi of {place}")
        if self.bbox is not None:
            chip("bbox", self.bbox.to_arg(), "In the map area")
        if self.posted:
            chip("posted", self.posted, POSTED_LABELS[self.posted])
        if self.photo:
            chip("photo", "1", "With photos")
        return chips

    def replace(self, **changes) -> ListingQuery:
        """A copy with fields changed (e.g. `replace(page=1, per_page=12)`)."""
        return replace(self, **changes)


class _Parser:
    """Reads one argument at a time from a MultiDict or mapping, collecting errors."""

    def __init__(self, args: Mapping):
        self.args = args
        self.errors: dict[str, str] = {}

    def all(self, name: str) -> list[str]:
        if hasattr(self.args, "getlist"):
            values = self.args.getlist(name)
        else:
            value = self.args.get(name)
            values = [] if value is None else value if isinstance(value, list) else [value]
        return [str(v) for v in values]

    def one(self, name: str) -> str:
        values = [v.strip() for v in self.all(name)]
        values = [v for v in values if v]
        return values[0] if values else ""

    def text(self) -> str:
        return " ".join(" ".join(self.all("q")).split())[:MAX_TEXT_LENGTH]

    def categories(self, known: Collection[str] | None) -> tuple[str, ...]:
        slugs = _distinct(v.strip().lower() for v in self.all("category") if v.strip())
        bad = [slug for slug in slugs if not _SLUG.match(slug)]
        unknown = [s for s in slugs if known is not None and _SLUG.match(s) and s not in known]
        if bad or unknown:
            self.errors["category"] = f"We don't know the category {(bad or unknown)[0][:80]!r}."
        elif len(slugs) > MAX_VALUES:
            self.errors["category"] = f"Choose at most {MAX_VALUES} categories."
        return tuple(sorted(slug for slug in slugs if slug not in bad and slug not in unknown))

    def conditions(self) -> tuple[str, ...]:
        values = _distinct(v.strip().lower() for v in self.all("condition") if v.strip())
        bad = [value for value in values if value not in CONDITIONS]
        if bad:
            self.errors["condition"] = (
                f"Unknown condition {bad[0][:40]!r}; choose from {', '.join(CONDITIONS)}."
            )
        return tuple(value for value in CONDITIONS if value in values)

    def price(self, name: str) -> int | None:
        raw = self.one(name).replace(",", "").removeprefix("$").strip()
        if not raw:
            return None
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            self.errors[name] = "Enter a price as a number, like 250 or 19.99."
            return None
        if not 0 <= amount <= Decimal(MAX_PRICE_MINOR).scaleb(-2):
            self.errors[name] = f"Enter a price between 0 and {MAX_PRICE_MINOR // 100:,}."
            return None
        return int((amount * 100).to_integral_value())

    def choice(self, name: str, allowed: tuple[str, ...], message: str) -> str:
        value = self.one(name).lower()
        if value and value not in allowed:
            self.errors[name] = f"Unknown value {value[:40]!r}. {message}"
            return ""
        return value

    def flag(self, name: str) -> bool:
        value = self.one(name).lower()
        if value in ("", "0", "false", "no", "off"):
            return False
        if value in ("1", "true", "yes", "on"):
            return True
        self.errors[name] = "Use 1 to ask for listings with photos."
        return False

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.one(name)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.errors[name] = "Enter a whole number."
            return default
        if not low <= value <= high:
            self.errors[name] = f"Enter a number from {low} to {high:,}."
            return default
        return value

    def number(self, name: str, low: float, high: float, what: str) -> float | None:
        raw = self.one(name)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not low <= value <= high:
            self.errors[name] = f"Enter {what} from {_number(low)} to {_number(high)}."
            return None
        return round(value, _COORDINATE_DIGITS)

    def location(self) -> tuple[str, Location | None]:
        near = " ".join(self.one("near").split())[:100]
        lat = self.number("lat", -90, 90, "a latitude")
        lon = self.number("lon", -180, 180, "a longitude")
        given_coordinates = self.one("lat") or self.one("lon")
        if near and given_coordinates:
            self.errors["near"] = "Give either a place (near) or coordinates (lat, lon), not both."
            return "", None
        if near:
            try:
                place = geo.resolve(near)
            except geo.UnknownPlace as error:
                self.errors["near"] = str(error)
                return "", None
            text = place.zip_code or f"{place.city}, {place.state}"
            return text, Location(place.latitude, place.longitude, place.label)
        if given_coordinates and "lat" not in self.errors and "lon" not in self.errors:
            if lat is None or lon is None:
                self.errors["lat" if lat is None else "lon"] = "Give both lat and lon."
                return "", None
            return "", Location(lat, lon, f"{lat:.4f}, {lon:.4f}")
        return "", None

    def radius(self) -> float:
        value = self.number("radius", MIN_RADIUS, MAX_RADIUS, "a radius in miles")
        return DEFAULT_RADIUS if value is None else value

    def bbox(self) -> BoundingBox | None:
        raw = self.one("bbox")
        if not raw:
            return None
        message = "Give the map box as west,south,east,north in degrees."
        try:
            west, south, east, north = (float(part) for part in raw.split(","))
        except ValueError:
            self.errors["bbox"] = message
            return None
        box = (west, south, east, north)
        if not all(math.isfinite(v) for v in box):
            self.errors["bbox"] = message
        elif not (-180 <= west <= 180 and -180 <= east <= 180):
            self.errors["bbox"] = "The box's west and east must be between -180 and 180."
        elif not (-90 <= south <= 90 and -90 <= north <= 90):
            self.errors["bbox"] = "The box's south and north must be between -90 and 90."
        elif south > north:
            self.errors["bbox"] = "The box's south edge is above its north edge."
        else:
            rounded = (round(v, _COORDINATE_DIGITS) for v in box)
            return BoundingBox(*rounded)
        return None


def _distinct(values) -> list[str]:
    return list(dict.fromkeys(values))


def _major(minor: int, grouped: bool = False) -> str:
    """Minor units as a person types them: 25000 -> "250", 1999 -> "19.99"."""
    major, cents = divmod(minor, 100)
    whole = f"{major:,}" if grouped else str(major)
    return whole if cents == 0 else f"{whole}.{cents:02d}"


def _number(value: float) -> str:
    """A number without a trailing ".0": 25.0 -> "25", -122.4147 -> "-122.4147"."""
    return f"{value:.{_COORDINATE_DIGITS}f}".rstrip("0").rstrip(".")
