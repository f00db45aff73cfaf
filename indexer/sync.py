"""Carrying outbox entries into Elasticsearch: the one place that writes listing documents.

Both ways in share `carry`: the task sent after each commit (`sync_listings`, the listings of
that commit and, up to a batch, whatever else is pending) and the relay (`relay_pending`, every
pending entry, oldest first). Each locks the
entries it takes with `FOR UPDATE SKIP LOCKED`, so any number of them can run at once without
waiting for each other or doing the same work twice.

For each listing the *current* row is written, whole, with its row version as an external
version: Elasticsearch keeps a document only if its version is higher than the one it holds, so
a late, repeated or reordered write can never replace newer data, and a 409 means the index
already holds this version or a newer one. Either way the entries up to the version sent are
done; they are marked so only after Elasticsearch has acknowledged the write in every index a
change must reach (the live one and one being rebuilt, see search.index.write_aliases).

Every listing keeps its document whatever its status (see search.document): a stale write meets
the newer document and is refused, however long after a change it comes.

Outcomes per listing:
- written or 409 in every target: its entries are done;
- refused (a 4xx other than 404/409/429: the document itself is wrong): each entry's attempt
  count goes up with the error; after MAX_ATTEMPTS it is parked and no longer blocks anything;
- anything transient (429, 5xx, an alias that vanished during a rebuild's swap): left pending
  for the next run, no attempt counted;
- Elasticsearch unreachable: nothing is marked, `IndexUnavailable` is raised, and the caller
  backs off (indexer.pipeline).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from time import monotonic

from elasticsearch import ApiError, Elasticsearch, TransportError
from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session, selectinload

from models import Category, Listing, OutboxEntry, utcnow
from models.outbox import pending
from search import answers
from search.document import to_document
from search.index import write_aliases
from settings import Settings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 500  # outbox entries per relay transaction, and documents per bulk request
MAX_BULK_BYTES = 8 * 2**20
RELAY_SECONDS = 20.0  # one relay run stops taking new batches after this long

OK, RETRY, REFUSED = "ok", "retry", "refused"
_RANK = {OK: 0, RETRY: 1, REFUSED: 2}


class IndexUnavailable(Exception):
    """Elasticsearch could not be reached or failed the request as a whole; nothing was marked."""


@dataclass
class SyncResult:
    taken: int = 0  # outbox entries locked and looked at
    done: int = 0
    retry: int = 0  # left pending for a later run (transient)
    refused: int = 0  # attempt counted, error kept
    parked: int = 0
    no_index: bool = False  # no write alias exists: nothing could be written
    errors: list[str] = field(default_factory=list)
    unfinished: set[int] = field(default_factory=set, repr=False)  # entry ids not done

    def add(self, other: SyncResult) -> None:
        for name in ("taken", "done", "retry", "refused", "parked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.no_index = self.no_index or other.no_index
        self.errors += other.errors[: 10 - len(self.errors)]

    def as_dict(self) -> dict:
        values = asdict(self)
        del values["unfinished"]
        return values


def sync_listings(
    es: Elasticsearch, settings: Settings, session: Session, listing_ids: Iterable[int]
) -> SyncResult:
    """Carry the pending entries of these listings, and with them the oldest other pending
    entries up to a batch (those no other worker holds).

    Taking the others along is what keeps the lag flat under load: when tasks queue up behind
    a busy worker, the first one to run carries the whole backlog in one bulk request and the
    ones after it find nothing left to do (no request to Elasticsearch at all).
    """
    ids = sorted(set(listing_ids))
    own = list(
        session.scalars(
            select(OutboxEntry)
            .where(pending(), OutboxEntry.listing_id.in_(ids))
            .order_by(OutboxEntry.id)
            .with_for_update(skip_locked=True)
        )
    )
    room = BATCH - len(own)
    if room > 0:
        others = select(OutboxEntry).where(pending()).order_by(OutboxEntry.id).limit(room)
        if own:
            others = others.where(OutboxEntry.id.not_in([e.id for e in own]))
        own += session.scalars(others.with_for_update(skip_locked=True))
    return carry(es, settings, session, own)


def relay_pending(
    es: Elasticsearch, settings: Settings, session: Session, seconds: float = RELAY_SECONDS
) -> SyncResult:
    """Carry pending entries, oldest first, a batch per transaction, until none is left, no
    progress is made or `seconds` have passed. An entry refused in this run waits for the
    next one, so a poison entry at the head costs one attempt per run, not a busy loop."""
    total = SyncResult()
    refused: set[int] = set()
    deadline = monotonic() + seconds
    while monotonic() < deadline:
        query = select(OutboxEntry).where(pending()).order_by(OutboxEntry.id).limit(BATCH)
        if refused:
            query = query.where(OutboxEntry.id.not_in(refused))
        entries = list(session.scalars(query.with_for_update(skip_locked=True)))
        if not entries:
            session.rollback()
            break
        result = carry(es, settings, session, entries)
        total.add(result)
        refused |= result.unfinished
        if result.done == 0 and result.parked == 0:
            break  # nothing moved: transient trouble or no index; the next run tries again
    return total


def carry(
    es: Elasticsearch, settings: Settings, session: Session, entries: list[OutboxEntry]
) -> SyncResult:
    """Write the current document of each entry's listing and mark the entries; commits."""
    result = SyncResult(taken=len(entries))
    if not entries:
        session.rollback()
        return result
    try:
        verdicts = _index_current(es, settings, session, {e.listing_id for e in entries})
    except (TransportError, ApiError) as exc:
        session.rollback()  # releases the entries for whoever tries next
        raise IndexUnavailable(f"{type(exc).__name__}: {exc}") from exc
    if verdicts is None:
        session.rollback()
        result.no_index = True
        result.retry = len(entries)
        result.unfinished = {e.id for e in entries}
        return result
    _mark(entries, verdicts, result)
    session.commit()
    return result


def _index_current(
    es: Elasticsearch, settings: Settings, session: Session, listing_ids: set[int]
) -> dict[int, tuple[str, str]] | None:
    """{listing id: (verdict, error)} for the current rows; None if there is no index."""
    targets = write_aliases(es, settings)
    if not targets:
        return None
    documents, verdicts = _documents(session, listing_ids)
    try:
        for target in targets:
            for listing_id, verdict in bulk_index(es, target, documents):
                # A listing is only as done as its worst target.
                known = verdicts.get(listing_id)
                if known is None or _RANK[verdict[0]] > _RANK[known[0]]:
                    verdicts[listing_id] = verdict
    finally:
        # Also after a failure part of the way: some documents may have gone in.
        answers.index_changed(settings)
    return verdicts


def _documents(
    session: Session, listing_ids: set[int]
) -> tuple[list[tuple[int, int, dict]], dict[int, tuple[str, str]]]:
    """(id, version, body) for each listing, and a refusal for those whose document fails."""
    # The whole category tree (a few hundred rows) in the session: `ancestors()` then never
    # goes back to the database, whatever the batch holds.
    session.scalars(select(Category)).all()
    rows = session.scalars(
        select(Listing)
        .where(Listing.id.in_(sorted(listing_ids)))
        .options(selectinload(Listing.images))
    ).unique()
    documents, refused = [], {}
    for listing in rows:
        try:
            documents.append((listing.id, listing.version, to_document(listing)))
        except Exception as exc:  # one bad row must not hold back the others
            refused[listing.id] = (REFUSED, f"document: {type(exc).__name__}: {exc}")
    return documents, refused


def bulk_index(
    es: Elasticsearch, target: str, documents: list[tuple[int, int, dict]]
) -> Iterator[tuple[int, tuple[str, str]]]:
    """Index the documents through `target` in bulk requests; yield each listing's verdict."""
    for chunk in _chunks(documents):
        operations: list[dict] = []
        for listing_id, version, body in chunk:
            meta = {"_index": target, "_id": str(listing_id), "version": version}
            operations += [{"index": {**meta, "version_type": "external"}}, body]
        # require_alias: a write never creates an index of its own (see write_aliases).
        response = es.bulk(operations=operations, require_alias=True)
        for (listing_id, _, _), item in zip(chunk, response["items"], strict=True):
            yield listing_id, _verdict(target, item["index"])


def _chunks(documents: list[tuple[int, int, dict]]) -> Iterator[list[tuple[int, int, dict]]]:
    chunk: list[tuple[int, int, dict]] = []
    size = 0
    for document in documents:
        weight = len(json.dumps(document[2], default=str))
        if chunk and (len(chunk) >= BATCH or size + weight > MAX_BULK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(document)
        size += weight
    if chunk:
        yield chunk


def _verdict(target: str, item: dict) -> tuple[str, str]:
    status = item.get("status", 500)
    # 409: the index holds this version or a newer one already, which is what we wanted.
    if status in (200, 201, 409):
        return OK, ""
    error = item.get("error") or {}
    reason = f"{target}: {status} {error.get('type', '')}: {error.get('reason', '')}"[:1000]
    # 404: the alias moved or vanished between lookup and write (a rebuild swapping); 429 and
    # 5xx: the cluster is busy or unwell. Neither says anything about the document.
    if status in (404, 429) or status >= 500:
        return RETRY, reason
    return REFUSED, reason


def _mark(
    entries: list[OutboxEntry], verdicts: dict[int, tuple[str, str]], result: SyncResult
) -> None:
    now = utcnow()
    for entry in entries:
        verdict, error = verdicts.get(entry.listing_id, (RETRY, "listing not found"))
        if verdict == OK:
            entry.processed_at = now
            result.done += 1
            continue
        entry.last_error = error
        result.unfinished.add(entry.id)
        if verdict == RETRY:
            result.retry += 1
            continue
        entry.attempts += 1
        result.refused += 1
        if len(result.errors) < 10:
            result.errors.append(f"listing {entry.listing_id} v{entry.version}: {error}")
        if entry.attempts >= MAX_ATTEMPTS:
            entry.parked_at = now
            result.parked += 1
            log.error(
                "Outbox entry %s (listing %s v%s) parked after %d attempts: %s",
                entry.id,
                entry.listing_id,
                entry.version,
                entry.attempts,
                error,
            )


def unindexed_listings_exist(session: Session) -> bool:
    """Whether some listing has no pending entry, i.e. an empty new index would miss it."""
    has_pending = exists().where(OutboxEntry.listing_id == Listing.id, pending())
    return session.scalar(select(Listing.id).where(~has_pending).limit(1)) is not None


def prune_processed(session: Session, older_than: timedelta, batch: int = 5_000) -> int:
    """Delete entries processed more than `older_than` ago, a batch per transaction (short
    locks); parked and pending entries are kept. Returns how many went."""
    cutoff = utcnow() - older_than
    removed = 0
    while True:
        doomed = (
            select(OutboxEntry.id)
            .where(OutboxEntry.processed_at < cutoff)
            .limit(batch)
            .scalar_subquery()
        )
        count = session.execute(
            delete(OutboxEntry).where(OutboxEntry.id.in_(doomed)),
            execution_options={"synchronize_session": False},
        ).rowcount
        session.commit()
        removed += count
        if count < batch:
            return removed
