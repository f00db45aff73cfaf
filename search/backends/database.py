"""The embedded search backend: the same contract answered by the database itself.

It serves the zero-configuration run (SQLite) and any run without ELASTICSEARCH_URL, and is the
oracle the Elasticsearch backend is tested against: on the same data both agree on matches,
totals, facets and every non-relevance order.

- Text: the query's analysed words (search.analysis), each widened to the vocabulary words
  within its typo allowance (search.fuzzy, as Elasticsearch's fuzziness), all required, over
  `listing_terms` (models.search_terms): FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL.
  Relevance is the number of query words found in the title, ties newest id first.
- Geo: a bounding box around the circle narrows the rows, then the exact great-circle
  distance (haversine on the 6,371.0088 km sphere) decides; on the radius is inside.
- Facets: one grouped query per facet, each with every filter but its own; category counts
  are rolled up the tree so a section includes its subcategories.
- Paging: OFFSET for page numbers, keyset (the cursor's sort values, then id) for cursors.
"""

from __future__ import annotations

import math
import time

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import selectinload

from models import Listing, ListingImage, ListingTerms, SearchVocabulary, db
from models.search_terms import FTS_TABLE, epoch_ms
from models.visibility import searchable
from search import analysis, geo
from search.backends.common import Clock, build_facets, next_cursor
from search.categories import category_tree
from search.document import to_document
from search.fuzzy import matches
from search.query import POSTED, ListingQuery
from search.results import DISTANCE_BANDS_MI, PRICE_BANDS, ListingHit, SearchResult

EARTH_RADIUS_MI = geo.EARTH_RADIUS_KM / geo.KM_PER_MILE


def search(query: ListingQuery) -> SearchResult:
    started = time.perf_counter()
    plan = _Plan(query, Clock.current())
    hits, last_key, more = plan.page()
    total = plan.count()
    facets = plan.facets()
    return SearchResult(
        hits=hits,
        total=total,
        facets=facets,
        location=query.location,
        next_cursor=next_cursor(query, last_key, more),
        took=round((time.perf_counter() - started) * 1000, 1),
        page=query.page,
        per_page=query.per_page,
    )


def match_statement(query: ListingQuery, clock: Clock | None = None) -> Select:
    """`SELECT listings.id` of every match of `query` (every filter, no order, no paging): what
    saved-search alerts and their counts narrow further and run."""
    return _Plan(query, clock or Clock.current())._select(Listing.id)


class _Plan:
    """The SQL conditions of one query, evaluated at one instant."""

    def __init__(self, query: ListingQuery, clock: Clock):
        self.query = query
        self.clock = clock
        self.tree = category_tree()
        self.expansions = [_expansions(term) for term in query.terms]
        self.shared = self._shared_conditions()
        self.faceted = self._facet_conditions()
        self.distance = _distance_mi(query) if query.location is not None else None

    # ---- conditions ------------------------------------------------------------------------

    def _shared_conditions(self) -> list[ColumnElement[bool]]:
        query = self.query
        conditions = [searchable(self.clock.now)]
        if self.expansions:
            conditions.append(_text_condition(self.expansions))
        if query.bbox is not None:
            conditions.append(_in_box(query))
        if query.visible_after is not None:
            # When it last became searchable (posted, renewed, restored), as the index's
            # `visible_at`: a renewed listing is new again on both backends.
            conditions.append(Listing.published_at > query.visible_after)
        if query.exclude_seller is not None:
            conditions.append(Listing.owner_id != query.exclude_seller)
        return conditions

    def _facet_conditions(self) -> dict[str, ColumnElement[bool]]:
        query = self.query
        conditions: dict[str, ColumnElement[bool]] = {}
        if query.categories:
            ids = self.tree.subtree_ids(query.categories)
            conditions["category"] = Listing.category_id.in_(ids) if ids else false()
        if query.conditions:
            conditions["condition"] = Listing.condition.in_(query.conditions)
        if query.posted:
            conditions["posted"] = ListingTerms.created_ms >= self._since_ms(query.posted)
        if query.photo:
            conditions["photo"] = _has_photo()
        if query.min_price is not None:
            conditions["price"] = Listing.price_minor >= query.min_price
        if query.max_price is not None:
            top = Listing.price_minor <= query.max_price
            conditions["price"] = and_(conditions["price"], top) if "price" in conditions else top
        if query.location is not None:
            conditions["distance"] = and_(
                _near_box(query, query.radius), _distance_mi(query) <= query.radius
            )
        return conditions

    def _since_ms(self, window: str) -> int:
        return epoch_ms(self.clock.since(window))

    def _select(self, *columns, without: str | None = None) -> Select:
        others = [c for name, c in self.faceted.items() if name != without]
        return (
            select(*columns)
            .select_from(Listing)
            .join(ListingTerms, ListingTerms.listing_id == Listing.id)
            .where(*self.shared, *others)
        )

    # ---- hits ------------------------------------------------------------------------------

    def page(self) -> tuple[list[ListingHit], list | None, bool]:
        """The page's hits, the sort values of its last hit, and whether more follow."""
        query = self.query
        key, descending = self._sort_key()
        statement = self._select(Listing.id, key.label("key"))
        if query.after is not None:
            value, last_id = query.after
            beyond = key < value if descending else key > value
            statement = statement.where(or_(beyond, and_(key == value, Listing.id < last_id)))
        else:
            statement = statement.offset(query.offset)
        order = key.desc() if descending else key.asc()
        rows = db.session.execute(
            statement.order_by(order, Listing.id.desc()).limit(query.per_page + 1)
        ).all()
        more, rows = len(rows) > query.per_page, rows[: query.per_page]
        listings = self._load([row.id for row in rows])
        hits = [
            ListingHit.from_document(
                to_document(listings[row.id]), terms=query.terms, origin=query.location
            )
            for row in rows
        ]
        last = [rows[-1].key, rows[-1].id] if rows else None
        return hits, last, more

    def _sort_key(self) -> tuple[ColumnElement, bool]:
        """The first sort key and whether it descends (the id always descends after it)."""
        sort = self.query.effective_sort
        if sort == "relevance":
            return self._title_score(), True
        if sort == "distance":
            return self.distance, False
        if sort == "price_asc":
            return Listing.price_minor, False
        if sort == "price_desc":
            return Listing.price_minor, True
        return ListingTerms.created_ms, True

    def _title_score(self) -> ColumnElement[int]:
        padded = literal(" ") + ListingTerms.title_terms + literal(" ")
        found = [
            case((or_(*(padded.like(f"% {word} %") for word in words)), 1), else_=0)
            for words in self.expansions
        ]
        return sum(found[1:], found[0])

    @staticmethod
    def _load(ids: list[int]) -> dict[int, Listing]:
        if not ids:
            return {}
        rows = db.session.scalars(
            select(Listing).where(Listing.id.in_(ids)).options(selectinload(Listing.images))
        )
        return {listing.id: listing for listing in rows}

    # ---- counts ----------------------------------------------------------------------------

    def count(self) -> int:
        return db.session.scalar(self._select(func.count())) or 0

    def facets(self):
        query = self.query
        by_category = self._grouped(Listing.category_id, without="category")
        by_condition = self._grouped(Listing.condition, without="condition")
        posted = self._sums(
            [ListingTerms.created_ms >= self._since_ms(w) for w in POSTED], without="posted"
        )
        photo = db.session.scalar(self._select(func.count(), without="photo").where(_has_photo()))
        price = self._sums(
            [
                and_(Listing.price_minor >= low, Listing.price_minor < high)
                if high is not None
                else Listing.price_minor >= low
                for low, high in PRICE_BANDS
            ],
            without="price",
        )
        distance = None
        if query.location is not None:
            distance = self._sums(
                [self.distance < miles for miles in DISTANCE_BANDS_MI],
                without="distance",
                narrowed=_near_box(query, max(DISTANCE_BANDS_MI)),
            )
        return build_facets(
            category=self.tree.rolled_up(by_category),
            condition={str(getattr(k, "value", k)): v for k, v in by_condition.items()},
            posted=dict(zip(POSTED, posted, strict=True)),
            photo=photo or 0,
            price=price,
            distance=distance,
        )

    def _grouped(self, column, *, without: str) -> dict:
        """Matches per value of `column` (values with none left out)."""
        statement = (
            self._select(column, func.count(), without=without)
            .where(column.is_not(None))
            .group_by(column)
        )
        return {value: count for value, count in db.session.execute(statement)}

    def _sums(self, conditions, *, without: str, narrowed=None) -> list[int]:
        """How many matches meet each condition, in one query."""
        columns = [func.sum(case((condition, 1), else_=0)) for condition in conditions]
        statement = self._select(*columns, without=without)
        if narrowed is not None:
            statement = statement.where(narrowed)
        row = db.session.execute(statement).one()
        return [int(value or 0) for value in row]


# ---- text ------------------------------------------------------------------------------------


def _expansions(term: str) -> list[str]:
    """`term` and the vocabulary words within its typo allowance."""
    edits = analysis.max_edits(term)
    if not edits:
        return [term]
    prefix = term[: analysis.FUZZY_PREFIX]
    length = func.length(SearchVocabulary.term)
    candidates = db.session.scalars(
        select(SearchVocabulary.term).where(
            SearchVocabulary.term.startswith(prefix, autoescape=True),
            length.between(len(term) - edits, len(term) + edits),
        )
    )
    return [term, *sorted(word for word in candidates if word != term and matches(word, term))]


def _text_condition(expansions: list[list[str]]) -> ColumnElement[bool]:
    """Every query word (any of its expansions) among the listing's terms."""
    if db.engine.dialect.name == "postgresql":
        query = " & ".join(
            "(" + " | ".join(_ts_lexeme(word) for word in words) + ")" for words in expansions
        )
        vector = func.array_to_tsvector(
            func.string_to_array(ListingTerms.text_terms, literal_column("' '"))
        )
        return vector.op("@@")(cast(query, TSQUERY))
    match = " AND ".join(
        "(" + " OR ".join(f'"{word}"' for word in words) + ")" for words in expansions
    )
    found = select(literal_column("rowid")).select_from(text(FTS_TABLE))
    found = found.where(text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=match))
    return ListingTerms.listing_id.in_(found)


def _ts_lexeme(word: str) -> str:
    # Terms are letters and digits only (search.analysis); quoting keeps them verbatim.
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


# ---- geo -------------------------------------------------------------------------------------


def _has_photo() -> ColumnElement[bool]:
    return exists().where(ListingImage.listing_id == Listing.id)


def _in_box(query: ListingQuery) -> ColumnElement[bool]:
    box = query.bbox
    latitude = Listing.latitude.between(box.south, box.north)
    if box.crosses_antimeridian:
        return and_(latitude, or_(Listing.longitude >= box.west, Listing.longitude <= box.east))
    return and_(latitude, Listing.longitude.between(box.west, box.east))


def _near_box(query: ListingQuery, miles: float) -> ColumnElement[bool]:
    """A box holding the circle of `miles` around the location: a cheap first cut."""
    lat, lon = query.location.lat, query.location.lon
    angle = miles / EARTH_RADIUS_MI  # radians of arc
    spread = math.degrees(angle) + 1e-6
    south, north = lat - spread, lat + spread
    latitude = Listing.latitude.between(south, north)
    if south <= -90 or north >= 90:
        return latitude  # the circle holds a pole: every longitude
    lon_spread = math.degrees(math.asin(min(1.0, math.sin(angle) / math.cos(math.radians(lat)))))
    west, east = lon - lon_spread - 1e-6, lon + lon_spread + 1e-6
    if west < -180 or east > 180:
        west, east = (west + 540) % 360 - 180, (east + 540) % 360 - 180
        return and_(latitude, or_(Listing.longitude >= west, Listing.longitude <= east))
    return and_(latitude, Listing.longitude.between(west, east))


def _distance_mi(query: ListingQuery) -> ColumnElement[float]:
    """Haversine distance in miles from the query's location, in SQL."""
    lat0, lon0 = math.radians(query.location.lat), math.radians(query.location.lon)
    lat, lon = func.radians(Listing.latitude), func.radians(Listing.longitude)
    half_lat = func.sin((lat - lat0) / 2)
    half_lon = func.sin((lon - lon0) / 2)
    h = half_lat * half_lat + math.cos(lat0) * func.cos(lat) * half_lon * half_lon
    h = case((h > 1.0, 1.0), else_=h)
    return 2 * EARTH_RADIUS_MI * func.asin(func.sqrt(h))
