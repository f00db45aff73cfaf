"""Listings read from the database for bulk indexing: streamed, and cheap per row.

A reindex spends most of its Python time turning rows into documents, and ORM objects cost more
to build and to read than the document itself (a profile of 20,000 listings: about 40% in the
ORM's loading and attribute machinery). So bulk indexing reads plain rows into `IndexedListing`
records that carry exactly what `search.document.to_document` reads from a `Listing`: every
column, the `Category` (the small tree is loaded once, as ORM objects, so `ancestors()` works),
the owner's `active` flag and the photos' storage keys in position order. Photos come in one
query per batch; nothing is read per listing. `tests/integration/test_listing_source.py` checks
that a record and the ORM listing give the same document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from types import SimpleNamespace

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from models import Category, Listing, ListingImage, User

BATCH = 2_000  # rows fetched per round trip from the server-side cursor

LISTINGS = Listing.__table__


class IndexedListing(SimpleNamespace):
    """A listing as a document needs it: the row's columns, `category`, `owner`, `images`."""


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Listing)) or 0


def stream_all(session: Session) -> Iterator[IndexedListing]:
    """Every listing, in id order, a batch at a time (a server-side cursor on PostgreSQL)."""
    # Through the connection, not the Session: plain rows need none of the ORM's result
    # machinery, which cost about a tenth of the Python time per listing.
    statement = _rows().order_by(LISTINGS.c.id).execution_options(yield_per=BATCH)
    rows = session.connection().execute(statement)
    yield from _records(session, rows.partitions(), contiguous=True)


def by_ids(session: Session, ids: Iterable[int]) -> Iterator[IndexedListing]:
    """The listings with these ids (those that exist), read fresh, in id order."""
    wanted = sorted(set(ids))
    batches = (
        session.execute(_rows().where(LISTINGS.c.id.in_(chunk)).order_by(LISTINGS.c.id)).all()
        for chunk in (wanted[i : i + BATCH] for i in range(0, len(wanted), BATCH))
    )
    yield from _records(session, batches)


def _rows() -> Select:
    return select(LISTINGS, User.active.label("owner_active")).join(
        User, User.id == LISTINGS.c.owner_id
    )


# The rows' keys, once: Row._asdict() works them out again for every row (a tenth of the Python
# time per listing).
COLUMNS = tuple(_rows().selected_columns.keys())


def _records(
    session: Session, batches: Iterable, contiguous: bool = False
) -> Iterator[IndexedListing]:
    """Records of the rows of `batches`; `contiguous`: each batch holds every listing between
    its first and last id, so their photos are found by that range."""
    categories = {category.id: category for category in session.scalars(select(Category))}
    for batch in batches:
        ids = [row.id for row in batch]
        photos = _photos(session, ids, contiguous)
        for row in batch:
            columns = dict(zip(COLUMNS, row, strict=True))
            owner = SimpleNamespace(active=columns.pop("owner_active"))
            yield IndexedListing(
                **columns,
                category=categories[row.category_id],
                owner=owner,
                images=photos.get(row.id, []),
            )


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
