"""`manage.py reindex`: build a new index from the database and put it live only once it is right.

The steps, and the failure each one is there for:

1. Take the reindex lock (indexer.reindex_lock): two rebuilds never race. A `-building` index
   left by a run that crashed is deleted first; the lock proves no run owns it.
2. Create a new physical index with refresh off and no replicas (a bulk load's fastest
   settings) and put the `-building` alias on it *before* reading the database: from then on the
   pipeline writes every change to it as well as to the live index (search.index.write_targets).
3. Note the outbox high-water mark, then stream every listing from one snapshot of the database
   into bulk requests, with the row's version as an external version (indexer.bulk).
4. Replay the listings with outbox entries above the high-water mark: changes committed during
   the load that a pipeline worker may have sent before it saw the `-building` alias.
5. Merge the new index into one segment, restore refresh and replicas
   (ELASTICSEARCH_REPLICAS), refresh, wait until every replica is
   in place (green), and verify the new index against the database, id by id and version by
   version (indexer.compare). A few listings changed in the last seconds may still be on their
   way; they are written directly and looked at again. Anything more — an
   index that came out empty or short, a document the database does not have, or a new index
   much smaller than the live one — fails the run, and the live index stays as it was
   (pypi/warehouse#3746 put an empty index live).
6. Move the read and write aliases in one `update_aliases` call and drop `-building` in the same
   call, so searches and writes switch together and never see a half-built index
   (mozilla/addons#6128 switched before indexing had finished). Old indices are deleted unless
   kept with `keep_old`.

On any failure, or Ctrl-C, the new index is deleted (its aliases go with it).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from time import perf_counter

from elasticsearch import Elasticsearch
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from indexer import bulk, compare, listing_source
from indexer.reindex_lock import reindex_lock
from models import OutboxEntry, utcnow
from search import answers
from search.document import INDEX_SETTINGS
from search.index import (
    building_alias,
    create_index,
    indices_behind,
    new_index_name,
    read_alias,
    write_alias,
)
from settings import Settings

# The new index may differ from the database in this many listings after the replay (changes of
# the last seconds on their way through the pipeline); more means the load itself went wrong.
TOLERATED_SHARE = 0.01
TOLERATED_MINIMUM = 100
# A new index smaller than this share of the live one does not go live without --allow-shrink:
# listings are never deleted from the database, so a rebuild never legitimately shrinks.
SHRINK_LIMIT = 0.9
# A bulk load's fastest settings: no refresh, no replicas, and the translog synced every few
# seconds instead of at every bulk request. A node that crashes mid-load loses the last
# seconds of the new index, which the failed load deletes anyway; the live index keeps its
# per-request durability, and so does the new one once the load is over (_finish_load).
LOAD_SETTINGS = {
    "number_of_replicas": 0,
    "refresh_interval": "-1",
    "translog.durability": "async",
}
REFRESH_TIMEOUT = 300
MERGE_TIMEOUT = 1800  # merging a few million listings' segments into one takes minutes
REPLICA_TIMEOUT = 300  # copying a large index to its replicas takes minutes

Progress = Callable[[int], AbstractContextManager[Callable[[int], None]]]


class RebuildFailed(Exception):
    """The rebuild stopped; the live index is untouched and the new one deleted."""


@dataclass
class RebuildReport:
    index: str = ""
    listings: int = 0  # rows in the database snapshot that was loaded
    loaded: bulk.BulkOutcome = field(default_factory=bulk.BulkOutcome)
    load_seconds: float = 0.0
    replayed: int = 0  # listings changed during the load, written again
    repaired: int = 0  # listings the verification found behind and wrote
    settled: int = 0  # outbox entries of the snapshot marked done once it went live
    documents: int = 0  # documents in the new index when it went live
    previous: list[str] = field(default_factory=list)
    kept_previous: bool = False
    leftovers: list[str] = field(default_factory=list)  # building indices of crashed runs

    @property
    def docs_per_second(self) -> float:
        return self.loaded.done / self.load_seconds if self.load_seconds else 0.0


@dataclass
class Rebuild:
    es: Elasticsearch
    engine: Engine
    settings: Settings
    keep_old: bool = False
    allow_shrink: bool = False
    say: Callable[[str], None] = lambda message: None
    # Called with the number of listings to load; the context it returns takes progress steps.
    progress: Progress = lambda total: nullcontext(lambda n: None)
    report: RebuildReport = field(default_factory=RebuildReport)

    def run(self) -> RebuildReport:
        with reindex_lock(self.engine, read_alias(self.settings)):
            self._drop_leftovers()
            name = self.report.index = new_index_name(self.settings)
            create_index(self.es, name, **LOAD_SETTINGS)
            try:
                self.es.indices.update_aliases(
                    actions=[{"add": {"index": name, "alias": building_alias(self.settings)}}]
                )
                high_water = self._load(name)
                self._replay(name, high_water)
                self._finish_load(name)
                self._verify(name)
                self._go_live(name)
            except BaseException:
                self.es.indices.delete(index=name, ignore_unavailable=True)
                raise
            self._settle(high_water)
        return self.report

    def _drop_leftovers(self) -> None:
        leftovers = indices_behind(self.es, building_alias(self.settings))
        if leftovers:
            self.es.indices.delete(index=",".join(leftovers), ignore_unavailable=True)
            self.say(f"Deleted {', '.join(leftovers)}, left behind by an interrupted reindex.")
        self.report.leftovers = leftovers

    def _load(self, name: str) -> int:
        """Stream every listing into `name`; returns the outbox high-water mark of the snapshot."""
        with Session(self.engine) as session:
            _one_snapshot(session)
            # The first statement fixes the snapshot: every outbox entry committed after it has
            # a higher id and is replayed.
            high_water = session.scalar(select(func.max(OutboxEntry.id))) or 0
            total = self.report.listings = listing_source.count(session)
            self.say(f"Building {name} from {total:,} listings.")
            started = perf_counter()
            with self.progress(total) as advance:
                actions = bulk.index_actions(listing_source.stream_all(session), [name])
                outcome = bulk.send(self.es, actions, on_done=advance)
            self.report.load_seconds = perf_counter() - started
        self.report.loaded = outcome
        _refuse_failures(outcome, "loading")
        return high_water

    def _replay(self, name: str, high_water: int) -> None:
        with Session(self.engine) as session:
            changed = session.scalars(
                select(OutboxEntry.listing_id).where(OutboxEntry.id > high_water).distinct()
            ).all()
            outcome = self._write(session, name, changed)
        self.report.replayed = outcome.done

    def _finish_load(self, name: str) -> None:
        # One segment before it goes live, and before replicas copy it: a bulk load leaves
        # dozens, and a search pays per segment for every aggregation (at a million
        # listings, 18 segments to 1 took Elasticsearch's `took` from 18.5 to 14 ms at the
        # median). Below the merge policy's 5 GB cap the merged segment still takes part in
        # later merges as writes go on (docs/SCALING.md for larger shards).
        self.es.options(request_timeout=MERGE_TIMEOUT).indices.forcemerge(
            index=name, max_num_segments=1
        )
        replicas = self.settings.ELASTICSEARCH_REPLICAS
        self.es.indices.put_settings(
            index=name,
            settings={
                "refresh_interval": INDEX_SETTINGS["refresh_interval"],
                "number_of_replicas": replicas,
                "translog.durability": "request",
            },
        )
        self.es.options(request_timeout=REFRESH_TIMEOUT).indices.refresh(index=name)
        self._wait_for_replicas(name, replicas)

    def _wait_for_replicas(self, name: str, replicas: int) -> None:
        """On a cluster, go live only with every copy of every shard in place (green): an index
        put live yellow is lost with the one node that holds it, and the old one is deleted."""
        if not replicas:
            return
        health = self.es.options(request_timeout=REPLICA_TIMEOUT + 10).cluster.health(
            index=name, wait_for_status="green", timeout=f"{REPLICA_TIMEOUT}s"
        )
        if health["timed_out"]:
            raise RebuildFailed(
                f"The new index's replicas were not all in place after {REPLICA_TIMEOUT} s "
                f"({health['unassigned_shards']} unassigned; ELASTICSEARCH_REPLICAS={replicas} "
                f"needs {replicas + 1} data nodes, the cluster has "
                f"{health['number_of_data_nodes']}); it does not go live."
            )

    def _verify(self, name: str) -> None:
        tolerated = max(TOLERATED_MINIMUM, int(self.report.listings * TOLERATED_SHARE))
        with Session(self.engine) as stream, Session(self.engine) as check:
            rows = compare.Counted(compare.database_entries(stream))
            candidates = []
            for difference in compare.differences(rows, compare.index_entries(self.es, name)):
                candidates.append(difference)
                if len(candidates) > tolerated:
                    raise RebuildFailed(
                        f"The new index differs from the database in more than {tolerated} "
                        f"listings (first: {candidates[0].describe()}); it does not go live."
                    )
            behind = self._confirmed(check, name, candidates)
            if behind:
                self.report.repaired = self._write(check, name, behind).done
                if self._confirmed(check, name, behind):
                    raise RebuildFailed(
                        f"{len(behind)} listings could not be brought up to date in the new index."
                    )
        self.es.indices.refresh(index=name)
        documents = self.report.documents = self.es.count(index=name)["count"]
        if documents < rows.count:
            raise RebuildFailed(
                f"The new index holds {documents:,} documents for {rows.count:,} listings: "
                "it does not go live."
            )
        self._refuse_shrinking(documents)

    def _confirmed(self, session: Session, name: str, candidates: list) -> list[int]:
        """Ids of listings still behind in the new index; raises on anything worse."""
        confirmed = compare.recheck(self.es, session, name, candidates)
        worse = [d for d in confirmed if d.kind in (compare.Kind.extra, compare.Kind.diverged)]
        if worse:
            raise RebuildFailed(
                f"The new index disagrees with the database in {len(worse)} listings "
                f"(first: {worse[0].describe()}); it does not go live."
            )
        return [d.listing_id for d in confirmed]

    def _refuse_shrinking(self, documents: int) -> None:
        live = indices_behind(self.es, read_alias(self.settings))
        if not live or self.allow_shrink:
            return
        before = self.es.count(index=",".join(live))["count"]
        if documents < before * SHRINK_LIMIT:
            raise RebuildFailed(
                f"The new index holds {documents:,} documents, the live one {before:,}: listings "
                "are never deleted, so this looks like the wrong database. Nothing changed; "
                "pass --allow-shrink if it is right."
            )

    def _go_live(self, name: str) -> None:
        read, write = read_alias(self.settings), write_alias(self.settings)
        actions = [
            {"remove": {"index": old, "alias": alias}}
            for alias in (read, write)
            for old in indices_behind(self.es, alias)
            if old != name
        ]
        actions += [
            {"add": {"index": name, "alias": read}},
            {"add": {"index": name, "alias": write, "is_write_index": True}},
            {"remove": {"index": name, "alias": building_alias(self.settings)}},
        ]
        previous = sorted({a["remove"]["index"] for a in actions if "remove" in a} - {name})
        # One call: Elasticsearch applies all of it at once, or none of it.
        self.es.indices.update_aliases(actions=actions)
        answers.index_changed(self.settings)
        self.report.previous = previous
        self.report.kept_previous = self.keep_old
        if previous and not self.keep_old:
            self.es.indices.delete(index=",".join(previous), ignore_unavailable=True)

    def _settle(self, high_water: int) -> None:
        """Mark done the outbox entries the snapshot already held: the live index now has their
        versions or newer (verified), and it is the only write target left. Without this the
        relay would send every one of them again after a reindex of a freshly seeded database
        (a million writes, each refused as outdated)."""
        with Session(self.engine) as session, session.begin():
            settled = session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id <= high_water, OutboxEntry.processed_at.is_(None))
                .values(processed_at=utcnow())
                .execution_options(synchronize_session=False)
            )
        self.report.settled = settled.rowcount

    def _write(self, session: Session, name: str, ids: list[int]) -> bulk.BulkOutcome:
        actions = bulk.index_actions(listing_source.by_ids(session, ids), [name])
        outcome = bulk.send(self.es, actions)
        _refuse_failures(outcome, "writing changed listings")
        return outcome


def _one_snapshot(session: Session) -> None:
    # On PostgreSQL every statement of the load sees one snapshot, photos included; SQLite's
    # read transaction is a snapshot already.
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _refuse_failures(outcome: bulk.BulkOutcome, doing: str) -> None:
    if outcome.failed:
        reasons = "\n  ".join(outcome.reasons)
        raise RebuildFailed(
            f"Elasticsearch refused {outcome.failed} documents while {doing}:\n  {reasons}"
        )
