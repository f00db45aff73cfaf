"""Compare the listings in the database with the documents of an index, by id, version and status.

Both sides are read in listing-id order and merged like two sorted files, so a million listings
cost a stream, not a million-entry dictionary: the database through a server-side cursor of
(id, version, status), the index through a point in time paged with `search_after` and no
`_source` (the version comes with each hit, the status from doc values).

Writes go on while the two sides are read, so a difference seen in the stream may only be a
change on its way. `recheck` looks again at the candidates, the index first (a real-time `mget`)
and the database after: the database can only have moved on since, so what still differs is
real, apart from changes the pipeline is about to deliver.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from elasticsearch import Elasticsearch
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Listing

PAGE = 5_000  # index hits per page; database rows per round trip
KEEP_ALIVE = "2m"  # how long the point in time lives between two pages


class Kind(enum.StrEnum):
    missing = "missing"  # in the database, not in the index
    stale = "stale"  # the index holds an older version
    diverged = "diverged"  # the index holds a newer version, or the same one with another status
    extra = "extra"  # in the index, not in the database


@dataclass(frozen=True)
class Entry:
    listing_id: int
    version: int
    status: str


@dataclass(frozen=True)
class Difference:
    kind: Kind
    listing_id: int
    db: Entry | None
    index: Entry | None

    def describe(self) -> str:
        db = f"database v{self.db.version} {self.db.status}" if self.db else "no listing"
        index = f"index v{self.index.version} {self.index.status}" if self.index else "no document"
        return f"{self.kind:<8} listing {self.listing_id}: {db}, {index}"


def database_entries(session: Session) -> Iterator[Entry]:
    """(id, version, status) of every listing, in id order."""
    rows = session.execute(
        select(Listing.id, Listing.version, Listing.status)
        .order_by(Listing.id)
        .execution_options(yield_per=PAGE)
    )
    for listing_id, version, status in rows:
        yield Entry(listing_id, version, status.value)


def index_entries(es: Elasticsearch, index: str) -> Iterator[Entry]:
    """(listing id, version, status) of every document in `index`, in listing-id order."""
    pit = es.open_point_in_time(index=index, keep_alive=KEEP_ALIVE)["id"]
    try:
        after = None
        while True:
            page = es.search(
                pit={"id": pit, "keep_alive": KEEP_ALIVE},
                size=PAGE,
                sort=[{"listing_id": "asc"}],
                search_after=after,
                source=False,
                version=True,
                docvalue_fields=["status"],
                track_total_hits=False,
            )
            pit = page["pit_id"]
            hits = page["hits"]["hits"]
            for hit in hits:
                yield _entry(hit)
            if len(hits) < PAGE:
                return
            after = hits[-1]["sort"]
    finally:
        es.close_point_in_time(id=pit)


def _entry(hit: dict) -> Entry:
    status = hit.get("fields", {}).get("status", [""])[0]
    return Entry(int(hit["_id"]), hit["_version"], status)


def differences(db: Iterable[Entry], index: Iterable[Entry]) -> Iterator[Difference]:
    """Merge two id-ordered streams and yield what differs."""
    db_iter, index_iter = iter(db), iter(index)
    left, right = next(db_iter, None), next(index_iter, None)
    while left is not None or right is not None:
        if right is None or (left is not None and left.listing_id < right.listing_id):
            yield Difference(Kind.missing, left.listing_id, left, None)
            left = next(db_iter, None)
        elif left is None or right.listing_id < left.listing_id:
            yield Difference(Kind.extra, right.listing_id, None, right)
            right = next(index_iter, None)
        else:
            kind = classify(left, right)
            if kind is not None:
                yield Difference(kind, left.listing_id, left, right)
            left, right = next(db_iter, None), next(index_iter, None)


def classify(db: Entry | None, index: Entry | None) -> Kind | None:
    """How the index's copy of a listing differs from the database's, or None if it does not."""
    if db is None:
        return None if index is None else Kind.extra
    if index is None:
        return Kind.missing
    if index.version < db.version:
        return Kind.stale
    if index.version > db.version or index.status != db.status:
        return Kind.diverged
    return None


class Counted:
    """Passes a stream through and counts what went by."""

    def __init__(self, items: Iterable[Entry]) -> None:
        self._items = items
        self.count = 0

    def __iter__(self) -> Iterator[Entry]:
        for item in self._items:
            self.count += 1
            yield item


def batches(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of `size` (itertools.batched arrives with Python 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def recheck(
    es: Elasticsearch, session: Session, index: str, candidates: Iterable[Difference]
) -> list[Difference]:
    """The candidates that still differ on a second look (index first, then the database)."""
    ids = sorted({c.listing_id for c in candidates})
    confirmed: list[Difference] = []
    for start in range(0, len(ids), PAGE):
        chunk = ids[start : start + PAGE]
        in_index = _index_entries_by_id(es, index, chunk)
        in_db = _database_entries_by_id(session, chunk)
        for listing_id in chunk:
            db, doc = in_db.get(listing_id), in_index.get(listing_id)
            kind = classify(db, doc)
            if kind is not None:
                confirmed.append(Difference(kind, listing_id, db, doc))
    return confirmed


def _index_entries_by_id(es: Elasticsearch, index: str, ids: list[int]) -> dict[int, Entry]:
    # A real-time get sees every acknowledged write, refreshed or not.
    found = es.mget(index=index, ids=[str(i) for i in ids], source_includes=["status"])
    return {
        int(doc["_id"]): Entry(int(doc["_id"]), doc["_version"], doc["_source"].get("status", ""))
        for doc in found["docs"]
        if doc.get("found")
    }


def _database_entries_by_id(session: Session, ids: list[int]) -> dict[int, Entry]:
    session.rollback()  # a fresh snapshot: see what committed since the last read
    rows = session.execute(
        select(Listing.id, Listing.version, Listing.status).where(Listing.id.in_(ids))
    )
    return {i: Entry(i, version, status.value) for i, version, status in rows}
