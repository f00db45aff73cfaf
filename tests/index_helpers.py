"""Helpers for the index pipeline tests: what the index holds, what PostgreSQL holds."""

from __future__ import annotations

from elasticsearch import Elasticsearch, helpers
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Listing, OutboxEntry
from models.outbox import pending
from search.document import searchable_filter


def index_state(es: Elasticsearch, alias: str) -> dict[int, tuple[int, str]]:
    """{listing id: (document version, status)} of every document behind `alias`."""
    es.indices.refresh(index=alias)
    hits = helpers.scan(es, index=alias, query={"query": {"match_all": {}}}, version=True)
    return {int(hit["_id"]): (hit["_version"], hit["_source"]["status"]) for hit in hits}


def database_state(session: Session) -> dict[int, tuple[int, str]]:
    """{listing id: (version, status)} of every listing row."""
    rows = session.execute(select(Listing.id, Listing.version, Listing.status))
    return {listing_id: (version, status.value) for listing_id, version, status in rows}


def pending_entries(session: Session) -> int:
    return len(session.scalars(select(OutboxEntry.id).where(pending())).all())


def searchable_ids(es: Elasticsearch, alias: str) -> set[int]:
    """Ids the public could find: the visibility rule, as index filters."""
    es.indices.refresh(index=alias)
    query = {"bool": {"filter": searchable_filter()}}
    hits = helpers.scan(es, index=alias, query={"query": query}, _source=False)
    return {int(hit["_id"]) for hit in hits}


def document(es: Elasticsearch, alias: str, listing_id: int) -> dict:
    """The stored document of one listing, with its version as `_version`."""
    found = es.get(index=alias, id=str(listing_id))
    return {**found["_source"], "_version": found["_version"]}
