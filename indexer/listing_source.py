"""Listings read from the database for indexing: streamed, with what a document needs loaded
in a few queries per batch rather than one per listing.

`search.document.to_document` reads a listing's category and its ancestors, its owner's
`active` flag and its photos. The category tree is small: it is loaded once, and the listing's
many-to-one `category` then resolves from the session's identity map without a query. Owners
come in the same query (only the columns documents use), photos in one query per batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload

from models import Category, Listing, ListingImage, User

BATCH = 2_000  # rows fetched per round trip from the server-side cursor


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Listing)) or 0


def stream_all(session: Session) -> Iterator[Listing]:
    """Every listing, in id order, a batch at a time (a server-side cursor on PostgreSQL)."""
    categories = _load_categories(session)  # noqa: F841  (kept alive for the identity map)
    yield from session.scalars(_listings().order_by(Listing.id).execution_options(yield_per=BATCH))


def by_ids(session: Session, ids: Iterable[int]) -> Iterator[Listing]:
    """The listings with these ids (those that exist), read fresh, in id order."""
    categories = _load_categories(session)  # noqa: F841
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        yield from session.scalars(
            _listings().where(Listing.id.in_(chunk)).order_by(Listing.id)
        ).unique()


def _listings() -> Select:
    return select(Listing).options(
        lazyload(Listing.category),
        joinedload(Listing.owner, innerjoin=True).load_only(User.active),
        selectinload(Listing.images).load_only(ListingImage.storage_key, ListingImage.position),
    )


def _load_categories(session: Session) -> list[Category]:
    # The identity map holds objects weakly: the caller keeps this list while it streams.
    return list(session.scalars(select(Category)))
