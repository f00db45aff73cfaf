"""The tests' stand-in for the index pipeline: listings reach Elasticsearch right after commit.

Until the Celery sync of the pipeline issue lands, the `index_follows_commits` fixture
(tests/conftest.py, on for every test with an app on Elasticsearch) gives each test an empty
index and writes every listing a commit changed into it, the way the pipeline will (whole
documents from search.document.to_document, the row's version as an external version, 409 =
already there), with `refresh=True` so the next request sees it. At merge, this module and
that fixture are the one place to switch to the pipeline's own tasks.

`load_documents` writes many small documents straight into an index for the tests that need
volume (exact totals above 10,000).
"""

from __future__ import annotations

from collections.abc import Iterable

from elasticsearch import Elasticsearch
from elasticsearch.helpers import streaming_bulk
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from models import Listing, ListingImage, User, db
from search import answers, index
from search.document import to_document

# Whether this test run has written to its index since the last reset: an untouched empty
# index is reused, which spares most tests the cost of dropping and creating one.
_written = {"since_reset": True}


class IndexFollower:
    """Collects the listings each flush touches and indexes them after the commit."""

    def __init__(self, app: Flask):
        self.app = app
        self.settings = app.extensions["settings"]
        self.es = index.get_client(self.settings)
        self.pending: set[int] = set()

    def start(self) -> None:
        reset_index(self.es, self.settings)
        event.listen(Session, "after_flush", self._collect)
        event.listen(Session, "after_commit", self._flush_to_index)
        event.listen(Session, "after_soft_rollback", self._forget)

    def stop(self) -> None:
        event.remove(Session, "after_flush", self._collect)
        event.remove(Session, "after_commit", self._flush_to_index)
        event.remove(Session, "after_soft_rollback", self._forget)

    def _collect(self, session: Session, flush_context) -> None:
        for obj in session.new | session.dirty | session.deleted:
            if isinstance(obj, Listing):
                self.pending.add(obj.id)
            elif isinstance(obj, ListingImage) and obj.listing_id is not None:
                self.pending.add(obj.listing_id)
            elif isinstance(obj, User) and session.is_modified(obj):
                owned = select(Listing.id).where(Listing.owner_id == obj.id)
                self.pending.update(session.connection().scalars(owned))

    def _forget(self, session: Session, previous_transaction) -> None:
        self.pending.clear()

    def _flush_to_index(self, session: Session) -> None:
        if not self.pending:
            return
        ids, self.pending = sorted(self.pending), set()
        with Session(db.engine) as reader:
            index_listings(self.es, self.settings, _load(reader, ids))


def reset_index(es: Elasticsearch, settings) -> None:
    """Drop every index of this test run's alias and create an empty one (unless the one
    there is still there and empty)."""
    if not _written["since_reset"] and _untouched(es, index.read_alias(settings)):
        return
    names = es.indices.get(index=f"{index.read_alias(settings)}*", expand_wildcards="all")
    if names:
        es.indices.delete(index=",".join(names))
    index.ensure_index(es, settings)
    _written["since_reset"] = False


def _untouched(es: Elasticsearch, alias: str) -> bool:
    """Whether the alias still names one index that nothing was written to: a test may have
    run the real pipeline, or managed the index itself (OWN_INDEX), behind the follower's back."""
    if not es.indices.exists_alias(name=alias):
        return False
    stats = es.indices.stats(index=alias, metric="indexing")["indices"]
    return len(stats) == 1 and all(
        each["total"]["indexing"]["index_total"] == 0
        and each["total"]["indexing"]["delete_total"] == 0
        for each in stats.values()
    )


def index_listings(es: Elasticsearch, settings, listings: Iterable[Listing]) -> None:
    """Write the documents of `listings` with external versions, visible at once."""
    targets = index.write_targets(es, settings)
    actions = (
        {
            "_op_type": "index",
            "_index": target,
            "_id": str(listing.id),
            "version": listing.version,
            # external_gte: a change of the owner (banned) leaves the listing's version as it
            # was, yet its document must be written again.
            "version_type": "external_gte",
            "_source": to_document(listing),
        }
        for listing in listings
        for target in targets
    )
    _bulk(es, actions)
    for target in targets:
        es.indices.refresh(index=target)
    answers.index_changed(settings)  # as the pipeline does after a write


def index_all(app: Flask) -> None:
    """Index every listing in the database (after rows were written with Core)."""
    settings = app.extensions["settings"]
    es = index.get_client(settings)
    with Session(db.engine) as reader:
        ids = list(reader.scalars(select(Listing.id)))
        index_listings(es, settings, _load(reader, ids))


def load_documents(es: Elasticsearch, target: str, documents: Iterable[dict]) -> None:
    """Bulk-write ready-made documents (`listing_id` as the id) into one index, then refresh."""
    actions = (
        {"_op_type": "index", "_index": target, "_id": str(doc["listing_id"]), "_source": doc}
        for doc in documents
    )
    _bulk(es, actions)
    es.indices.refresh(index=target)


def _bulk(es: Elasticsearch, actions) -> None:
    _written["since_reset"] = True
    for ok, item in streaming_bulk(es, actions, chunk_size=2_000, raise_on_error=False):
        status = next(iter(item.values()))["status"]
        if not ok and status != 409:  # 409: this version or a newer one is already there
            raise RuntimeError(f"indexing failed: {item}")


def _load(session: Session, ids: list[int]) -> list[Listing]:
    return list(
        session.scalars(
            select(Listing).where(Listing.id.in_(ids)).options(selectinload(Listing.images))
        )
    )
