"""The listing document: what the Elasticsearch index holds for one listing, and its mapping.

One document per listing, whatever its status: sold, expired, hidden and deleted listings stay
as documents with their status, and searches filter on the visibility fields (see
models.visibility). Keeping them means a late or repeated write of an older version always
meets the newer document and is refused by external versioning, even after Elasticsearch has
forgotten delete tombstones (`index.gc_deletes`).

Text is matched only through `title_terms`/`text_terms`, the folded, stemmed terms of
search.analysis (title, and title with description), which the index splits on whitespace.
`title` is kept as typed for display (highlighted in Python, search.results), not indexed; the
description is not in the document at all: nothing shows it from the index, and analysing and
storing it was most of the indexing work. `text_terms` is in `_source` because saved-search
alerts check new listings' words against many searches at once without a query per search
(indexer/alerts/prefilter.py). `title_terms` is there too, though nothing reads it back: a
`_source` with `excludes` costs Elasticsearch a parse and rewrite of every document it indexes,
about a fifth of its CPU per listing here, far more than storing 40 bytes more
(docs/BENCHMARKS.md, "Reindex"). Searches leave both out of their answers.

Indices are versioned (`<alias>-<timestamp>`); searches read through the alias named by
ELASTICSEARCH_INDEX and writes go through `<alias>-write` (see search.index).
"""

from __future__ import annotations

from datetime import UTC, datetime

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    GeoPoint,
    Integer,
    Keyword,
    Long,
    MetaField,
    Text,
)

from models import Listing
from search import analysis

# Terms arrive analysed (search.analysis): the index only splits them on spaces. The built-in
# `whitespace` analyzer is in the server itself; its tokenizer, for custom analyzers, is not.
TERMS = "whitespace"

INDEX_SETTINGS = {
    # One shard holds a few million listings comfortably (docs/SCALING.md). The site's own
    # indices take their replicas from ELASTICSEARCH_REPLICAS (search.index, indexer.rebuild).
    "number_of_shards": 1,
    "number_of_replicas": 0,
    # Searchable within a second of the write: the floor of the commit-to-searchable lag.
    "refresh_interval": "1s",
}


class ListingDocument(Document):
    listing_id = Long()
    version = Long()
    title = Text(index=False)
    title_terms = Text(analyzer=TERMS, norms=False)
    text_terms = Text(analyzer=TERMS)
    # Facets and filters.
    category = Keyword()  # the listing's own category slug
    category_path = Keyword()  # its slug and every ancestor's: a section finds its subcategories
    condition = Keyword()
    price_kind = Keyword()
    currency = Keyword(index=False)
    price_minor = Long()
    city = Keyword()
    state = Keyword()
    zip_code = Keyword()
    location = GeoPoint()
    has_photo = Boolean()
    thumbnail_key = Keyword(index=False)
    photo_count = Integer(index=False)
    seller_id = Long()
    # Visibility (models.visibility): active, not past its expiry, owner's account active.
    status = Keyword()
    owner_active = Boolean()
    expires_at = Date()
    created_at = Date()
    updated_at = Date()
    # When the listing last became searchable (posted, renewed, restored; `published_at`), or
    # null if it never was: alerts look for listings that became visible since their last run.
    visible_at = Date()

    class Meta:
        dynamic = MetaField("strict")


def searchable_filter(now: datetime | None = None) -> list[dict]:
    """models.visibility's rule as filters on the document's fields (for `bool.filter`): active,
    not past its expiry date (even before the hourly job has run), owner's account active."""
    now = now or datetime.now(UTC)
    moment = now.replace(tzinfo=UTC) if now.tzinfo is None else now
    return [
        {"term": {"status": "active"}},
        {"range": {"expires_at": {"gt": moment.isoformat()}}},
        {"term": {"owner_active": True}},
    ]


def to_document(listing: Listing) -> dict:
    """The document body for `listing` (its id and version go in the request's metadata)."""
    category = listing.category
    path = [*category.ancestors(), category]
    first_photo = listing.images[0] if listing.images else None
    title_terms, text_terms = _terms(listing)
    return {
        "listing_id": listing.id,
        "version": listing.version,
        "title": listing.title,
        "title_terms": title_terms,
        "text_terms": text_terms,
        "category": category.slug,
        "category_path": [node.slug for node in path],
        "condition": listing.condition.value if listing.condition else None,
        "price_kind": listing.price_kind.value,
        "currency": listing.currency,
        "price_minor": listing.price_minor,
        "city": listing.city,
        "state": listing.state,
        "zip_code": listing.zip_code,
        "location": {"lat": listing.latitude, "lon": listing.longitude},
        "has_photo": first_photo is not None,
        "thumbnail_key": first_photo.storage_key if first_photo else None,
        "photo_count": len(listing.images),
        "seller_id": listing.owner_id,
        "status": listing.status.value,
        "owner_active": listing.owner.active,
        "expires_at": _utc(listing.expires_at),
        "created_at": _utc(listing.created_at),
        "updated_at": _utc(listing.updated_at),
        "visible_at": _utc(listing.published_at) if listing.published_at else None,
    }


def _terms(listing: Listing) -> tuple[str, str]:
    # Records read for bulk indexing (indexer.listing_source) carry the terms stored with the
    # listing in its own transaction (models.search_terms), the same as analysing it again
    # would give, for a fraction of a reindex's Python time. An ORM listing may hold
    # unflushed changes, so it is analysed.
    stored = getattr(listing, "stored_terms", None)
    if stored is not None:
        return stored
    return analysis.listing_terms(listing.title, listing.description)


def _utc(moment: datetime) -> str:
    # The database keeps naive UTC (models.base.utcnow); the index gets it with its zone. The
    # suffix is what replace(tzinfo=UTC) would print, without building a second datetime (a
    # reindex formats four dates per listing).
    if moment.tzinfo is None:
        return moment.isoformat() + "+00:00"
    return moment.astimezone(UTC).isoformat()
