"""Write listing documents to Elasticsearch in bulk, with the listing's version as an external
version, so a write can never replace a newer document with an older one.

A 409 (version conflict) means the index already holds this version or a newer one: the write
has nothing left to do, and it counts as done. Counting it as a failure would abort a whole chunk
for a harmless race (rero-ils learned this the hard way). Any other refusal is a failure, kept
with its reason.

Actions are finished bulk lines, a `(header, body)` pair of bytes, which the bulk helper passes
through as they are (`expand_action_callback`). Given action dicts it would copy each one, pick
its metadata apart and serialise it again: about 18 µs of CPU a document, measured, out of a
rebuild's budget of 100 µs a document for everything (docs/BENCHMARKS.md, "Reindex").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import orjson
from elasticsearch import Elasticsearch
from elasticsearch.helpers import parallel_bulk

from indexer.listing_source import IndexedListing
from models import Listing
from search.document import to_document

CHUNK_SIZE = 1_000  # documents per bulk request (about 2 MB of listings)
THREADS = 2  # one request in flight while the next chunk is built
# Bulk requests carry many documents: allow them more than the client's default timeout.
BULK_TIMEOUT = 120
KEPT_FAILURES = 10  # reasons kept for the message; the count covers them all
# What the bulk helper and `_count` read of each item. Elasticsearch leaves out the rest (the
# version, sequence number, shard counts: three quarters of an answer that is parsed per chunk).
RESULT_FIELDS = "items.*.status,items.*.error,items.*._id,items.*._index"


@dataclass
class BulkOutcome:
    """What a bulk write did: documents written, refused as outdated (409), and failures."""

    written: int = 0
    outdated: int = 0
    failed: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.written + self.outdated

    def add(self, other: BulkOutcome) -> None:
        self.written += other.written
        self.outdated += other.outdated
        self.failed += other.failed
        self.reasons.extend(other.reasons[: KEPT_FAILURES - len(self.reasons)])


Action = tuple[bytes, bytes | None]  # a bulk request's header line and its body line, if any


def index_actions(
    listings: Iterable[Listing | IndexedListing], indices: list[str]
) -> Iterator[Action]:
    """A bulk `index` action per listing and index, versioned by the listing's row version."""
    for listing in listings:
        # Serialised once, here, for every index; orjson takes a fifth of the time of the
        # standard library's encoder.
        body = orjson.dumps(to_document(listing))
        for index in indices:
            yield _header("index", index, listing.id, listing.version), body


def delete_actions(listing_ids: Iterable[int], indices: list[str]) -> Iterator[Action]:
    """A bulk `delete` action per id and index (for documents whose listing does not exist)."""
    for listing_id in listing_ids:
        for index in indices:
            yield _header("delete", index, listing_id), None


def _header(operation: str, index: str, listing_id: int, version: int | None = None) -> bytes:
    meta: dict = {"_index": index, "_id": str(listing_id)}
    if version is not None:
        meta |= {"version": version, "version_type": "external"}
    return orjson.dumps({operation: meta})


def send(
    es: Elasticsearch,
    actions: Iterable[Action],
    *,
    chunk_size: int = CHUNK_SIZE,
    on_done: Callable[[int], None] | None = None,
) -> BulkOutcome:
    """Send `actions` in chunks, a second chunk in flight while the next is built.

    `on_done(n)` is called as results come back (a progress bar). An error that is not about a
    single document (Elasticsearch unreachable, a bad request) raises.
    """
    outcome = BulkOutcome()
    results = parallel_bulk(
        es.options(request_timeout=BULK_TIMEOUT),
        actions,
        thread_count=THREADS,
        chunk_size=chunk_size,
        raise_on_error=False,
        raise_on_exception=True,
        filter_path=RESULT_FIELDS,
        expand_action_callback=_as_is,
    )
    pending = 0
    for ok, item in results:
        _count(outcome, ok, item)
        pending += 1
        if on_done and pending >= chunk_size:
            on_done(pending)
            pending = 0
    if on_done and pending:
        on_done(pending)
    return outcome


def _as_is(action: Action) -> Action:
    return action


def _count(outcome: BulkOutcome, ok: bool, item: dict) -> None:
    op_type, result = next(iter(item.items()))
    status = result.get("status")
    if ok:
        outcome.written += 1
    elif status == 409:
        outcome.outdated += 1
    elif op_type == "delete" and status == 404:
        outcome.written += 1  # already gone: what a delete wants
    else:
        outcome.failed += 1
        if len(outcome.reasons) < KEPT_FAILURES:
            error = result.get("error")
            reason = error.get("reason", error) if isinstance(error, dict) else error
            outcome.reasons.append(f"{result.get('_index')}/{result.get('_id')}: {reason}")
