"""Making and storing batches of listings: here, or in worker processes on PostgreSQL.

At a million listings neither Python nor PostgreSQL alone is the bottleneck: writing the ads
takes as long as PostgreSQL takes to COPY them in (foreign keys, five indexes, the outbox).
So on PostgreSQL several worker processes each make a batch and COPY it on a connection of
their own, and while one waits on the server another writes ads. Each worker holds one batch
at a time, which bounds the memory whatever the number of listings. Since every block has its
own generator (scripts.seed_random), the rows are the same with any number of workers; only
the order in which batches commit varies.

SQLite has one writer, and photos are files this process must be able to remove again if the
run fails, so those are made and stored here, one batch after another.

Workers are started with `spawn`: a forked child would share the parent's database sockets.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from scripts.seed_listings import Batch, Plan, Tally, make_batch
from scripts.seed_photos import PhotoMaker
from scripts.seed_store import PostgresStore, RowStore

_worker: tuple[Plan, PostgresStore] | None = None  # set in each worker when it starts


def batch_ranges(plan: Plan, blocks_per_batch: int) -> list[range]:
    """The plan's blocks, cut into consecutive batches."""
    return [
        range(start, min(start + blocks_per_batch, plan.blocks))
        for start in range(0, plan.blocks, blocks_per_batch)
    ]


def store_batches(
    plan: Plan,
    ranges: list[range],
    store: RowStore,
    workers: int,
    photos: PhotoMaker | None = None,
) -> Iterator[Tally]:
    """Make and store the batches of `ranges`; yields what each added, as each is stored.

    Close the iterator (contextlib.closing) when leaving early, so that workers stop.
    """
    if workers and store.parallel and photos is None and len(ranges) > 1:
        yield from _in_workers(plan, ranges, store.url, workers)
        return
    for blocks in ranges:
        yield store_batch(store, make_batch(plan, blocks, photos), photos)


def store_batch(store: RowStore, batch: Batch, photos: PhotoMaker | None = None) -> Tally:
    """Write a batch's tables; once they are committed, its photo files are kept for good."""
    for table, columns, rows in batch.tables():
        store.write(table, columns, rows)
    if store.end_batch() and photos is not None:
        photos.commit_batch()
    return batch.tally()


def _in_workers(plan: Plan, ranges: list[range], url: str, workers: int) -> Iterator[Tally]:
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, context, initializer=_start, initargs=(plan, url))
    try:
        futures = [pool.submit(_make_and_store, blocks) for blocks in ranges]
        for future in as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start(plan: Plan, url: str) -> None:
    # Ctrl-C reaches the whole process group; the main process alone decides what to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker
    _worker = plan, PostgresStore.connect(url)


def _make_and_store(blocks: range) -> Tally:
    plan, store = _worker
    try:
        return store_batch(store, make_batch(plan, blocks))
    except BaseException:
        store.abort()
        raise
