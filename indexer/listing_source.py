"""Listings read from the database for bulk indexing: streamed, and cheap per row.

A reindex spends most of its Python time turning rows into documents, and ORM objects cost more
to build and to read than the document itself (a profile of 20,000 listings: about 40% in the
ORM's loading and attribute machinery). So bulk indexing reads plain rows into `IndexedListing`
records that carry exactly what `search.document.to_document` reads from a `Listing`: every
column, the category's slug and ancestors (the small tree is loaded once),
the owner's `active` flag and the photos' storage keys in position order, and the listing's
analysed terms as stored in `listing_terms` (models.search_terms) by the transaction that last
changed its text, so a reindex does not analyse every listing again. Photos come in one
query per batch; nothing is read per listing. `tests/integration/test_listing_source.py` checks
that a record and the ORM listing give the same document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import SimpleNamespace

from sqlalchemy import Connection, Enum, Select, func, select
from sqlalchemy.orm import Session

from models import Category, Listing, ListingImage, User
from models.search_terms import ListingTerms

BATCH = 2_000  # rows fetched per round trip from the server-side cursor

LISTINGS = Listing.__table__


class IndexedListing(SimpleNamespace):
    """A listing as a document needs it: the row's columns, `category`, `owner`, `images`."""


class IndexedCategory(SimpleNamespace):
    """A category as a document needs it: its `slug` and `ancestors()`, worked out once per
    load instead of through the ORM's attributes for every listing."""

    def ancestors(self) -> list[IndexedCategory]:
        return self.chain


def _indexed_categories(session: Session) -> dict[int, IndexedCategory]:
    categories = session.scalars(select(Category)).all()
    plain = {category.id: IndexedCategory(slug=category.slug) for category in categories}
    for category in categories:
        plain[category.id].chain = [plain[node.id] for node in category.ancestors()]
    return plain


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Listing)) or 0


def stream_all(session: Session) -> Iterator[IndexedListing]:
    """Every listing, in id order, a batch at a time (a server-side cursor on PostgreSQL)."""
    statement = _rows().order_by(LISTINGS.c.id)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        batches = _server_side_batches(connection, statement)
    else:
        batches = connection.execute(statement.execution_options(yield_per=BATCH)).partitions()
    yield from _records(session, batches, contiguous=True)


def _server_side_batches(connection: Connection, statement: Select) -> Iterator[Sequence]:
    """The rows of `statement` from a psycopg server-side cursor, in batches.

    Straight from the driver, in the session's transaction: SQLAlchemy's result machinery
    (buffering, row objects, a processor call per column) cost about 15 µs a listing, a fifth
    of a rebuild's Python time, to give the same values. Only the columns SQLAlchemy converts
    on the way out (the enums) are converted here, each through a table of SQLAlchemy's own
    conversions of its few values."""
    dialect = connection.dialect
    raw = connection.connection.driver_connection
    with raw.cursor(name="listing_source_stream") as cursor:
        compiled = statement.compile(dialect=dialect)
        cursor.execute(str(compiled), compiled.params or None)
        processors = [
            (position, _tabled(column.type, processor))
            for position, (column, described) in enumerate(
                zip(statement.selected_columns, cursor.description, strict=True)
            )
            if (
                processor := column.type.dialect_impl(dialect).result_processor(
                    dialect, described.type_code
                )
            )
        ]
        while batch := cursor.fetchmany(BATCH):
            if processors:
                batch = [_processed(row, processors) for row in batch]
            yield batch


def _tabled(column_type, processor: Callable) -> Callable:
    # An enum column has a handful of values: a dict lookup instead of a call into SQLAlchemy's
    # enum machinery for every row (a tenth of a reindex's Python time).
    if isinstance(column_type, Enum):
        return {raw: processor(raw) for raw in [None, *column_type.enums]}.__getitem__
    return processor


def _processed(row: tuple, processors: list) -> list:
    values = list(row)
    for position, processor in processors:
        values[position] = processor(values[position])
    return values


def by_ids(session: Session, ids: Iterable[int]) -> Iterator[IndexedListing]:
    """The listings with these ids (those that exist), read fresh, in id order."""
    wanted = sorted(set(ids))
    batches = (
        session.execute(_rows().where(LISTINGS.c.id.in_(chunk)).order_by(LISTINGS.c.id)).all()
        for chunk in (wanted[i : i + BATCH] for i in range(0, len(wanted), BATCH))
    )
    yield from _records(session, batches)


def _rows() -> Select:
    return (
        select(
            LISTINGS,
            User.active.label("owner_active"),
            ListingTerms.title_terms.label("stored_title_terms"),
            ListingTerms.text_terms.label("stored_text_terms"),
        )
        .join(User, User.id == LISTINGS.c.owner_id)
        .outerjoin(ListingTerms, ListingTerms.listing_id == LISTINGS.c.id)
    )


# The rows' keys, once: Row._asdict() works them out again for every row (a tenth of the Python
# time per listing).
COLUMNS = tuple(_rows().selected_columns.keys())
ID = COLUMNS.index("id")


def _records(
    session: Session, batches: Iterable, contiguous: bool = False
) -> Iterator[IndexedListing]:
    """Records of the rows of `batches`; `contiguous`: each batch holds every listing between
    its first and last id, so their photos are found by that range."""
    categories = _indexed_categories(session)
    for batch in batches:
        ids = [row[ID] for row in batch]
        photos = _photos(session, ids, contiguous)
        for row in batch:
            record = IndexedListing()
            fields = vars(record)  # filled in place: no second copy of the row's columns
            fields.update(zip(COLUMNS, row, strict=True))
            stored = (fields.pop("stored_title_terms"), fields.pop("stored_text_terms"))
            fields.update(
                category=categories[fields["category_id"]],
                owner=SimpleNamespace(active=fields.pop("owner_active")),
                images=photos.get(fields["id"], []),
                stored_terms=stored if stored[0] is not None else None,
            )
            yield record


def _photos(session: Session, ids: list[int], contiguous: bool) -> dict[int, list[SimpleNamespace]]:
    """Each listing's photos (storage keys), first photo first."""
    photos: dict[int, list[SimpleNamespace]] = defaultdict(list)
    if not ids:
        return photos
    # A range instead of an IN list of BATCH ids where it finds the same rows: the driver
    # parses a query of 2,000 placeholders afresh every time (a tenth of a reindex's time).
    column = ListingImage.listing_id
    wanted = column.between(ids[0], ids[-1]) if contiguous else column.in_(ids)
    rows = session.execute(
        select(ListingImage.listing_id, ListingImage.storage_key)
        .where(wanted)
        .order_by(ListingImage.listing_id, ListingImage.position, ListingImage.id)
    )
    for listing_id, storage_key in rows:
        photos[listing_id].append(SimpleNamespace(storage_key=storage_key))
    return photos
