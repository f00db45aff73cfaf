"""Commit-to-searchable lag of the index pipeline (docs/BENCHMARKS.md, "Index lag").

    .venv/bin/python bench/index_lag.py [--rest 120] [--load-seconds 60] [--rate 20]

On the local services (`manage.py services up`), with a fresh database of its own, its own
Redis database and its own index alias, it runs real Celery workers (one on the index queue,
one on the other tasks' queue, prefork, one process each) and Celery beat (the outbox relay
every 2 s), as production would. Listings are created
through the ORM, as the site's posting page does; the time from the commit's return to the
first moment a search finds the listing is its lag. A poller, in a process of its own, searches
for the listings not yet seen every POLL seconds.

- at rest: one listing at a time, a random 0.2-0.8 s apart (so commits fall anywhere in the
  index's 1 s refresh cycle);
- under load: a steady RATE listings per second for LOAD seconds, every one measured.

Beside the lag it prints how long the worker took to have Elasticsearch acknowledge the write
(outbox `processed_at` - commit), which is the pipeline's own share; the rest is the refresh.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis  # noqa: E402
from elasticsearch import Elasticsearch  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from indexer.celery_app import DEFAULT_QUEUE, INDEX_QUEUE  # noqa: E402
from models import Category, Listing, OutboxEntry, User, db, utcnow  # noqa: E402
from models.category_tree import install_category_tree  # noqa: E402
from scripts.services import ensure_up  # noqa: E402
from search.index import ensure_index, get_client  # noqa: E402
from settings import PROJECT_ROOT, load_settings  # noqa: E402

DATABASE = "classifieds_bench_lag"
REDIS_DB = 12
ALIAS = "bench-lag-listings"
POLL = 0.01
WARM_UP = 5
WRITERS = 4


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _poll(
    url: str, alias: str, ids_in: multiprocessing.Queue, seen_out: multiprocessing.Queue
) -> None:
    """The poller's own process (a thread would wait for the writers' GIL): search for the
    ids committed but not yet seen, every POLL seconds; report (id, wall time) when found."""
    es = Elasticsearch(url, request_timeout=30)
    waiting: set[int] = set()
    while True:
        while not ids_in.empty():
            listing_id = ids_in.get()
            if listing_id is None:
                return
            waiting.add(listing_id)
        if waiting:
            found = es.search(
                index=alias,
                query={"terms": {"listing_id": sorted(waiting)}},
                size=len(waiting),
                _source=False,
            )
            now = time.time()
            for hit in found["hits"]["hits"]:
                waiting.discard(int(hit["_id"]))
                seen_out.put((int(hit["_id"]), now))
        time.sleep(POLL)


class Poller:
    """Records when each committed listing first shows up in search."""

    def __init__(self, url: str, alias: str = ALIAS) -> None:
        self.ids, self.found = multiprocessing.Queue(), multiprocessing.Queue()
        self.process = multiprocessing.Process(
            target=_poll, args=(url, alias, self.ids, self.found)
        )
        self.process.start()
        self.committed: dict[int, float] = {}
        self.seen: dict[int, float] = {}
        self.lock = threading.Lock()

    def add(self, listing_id: int, at: float) -> None:
        with self.lock:
            self.committed[listing_id] = at
        self.ids.put(listing_id)

    def collect(self) -> None:
        while not self.found.empty():
            listing_id, at = self.found.get()
            self.seen[listing_id] = at

    def wait_for(self, listing_id: int) -> None:
        while listing_id not in self.seen:
            time.sleep(0.005)
            self.collect()

    def waiting(self) -> list[int]:
        self.collect()
        with self.lock:
            return [i for i in self.committed if i not in self.seen]

    def stop(self) -> None:
        self.ids.put(None)
        self.process.join(timeout=10)

    def lags(self, ids: list[int]) -> list[float]:
        self.collect()
        return [self.seen[i] - self.committed[i] for i in ids if i in self.seen]

    def wait_for_all(self, timeout: float = 30) -> None:
        """Until every committed listing was seen, or `timeout` seconds have passed."""
        deadline = time.monotonic() + timeout
        while self.waiting() and time.monotonic() < deadline:
            time.sleep(0.1)


def create_listing(owner_id: int, category_id: int, n: int) -> tuple[int, float]:
    listing = Listing(
        owner_id=owner_id,
        category_id=category_id,
        title=f"Bench bike {n}",
        description="A bike posted by the lag benchmark.",
        price_minor=10_000 + n,
        city="San Francisco",
        state="CA",
        zip_code="94103",
        latitude=37.77,
        longitude=-122.41,
        expires_at=utcnow() + timedelta(days=30),
    )
    db.session.add(listing)
    db.session.commit()  # the outbox row commits with it; the task is sent after commit
    return listing.id, time.time()


def steady_writes(
    app, poller: Poller, owner_id: int, category_id: int, rate: float, seconds: float, first: int
) -> tuple[list[int], float]:
    """`rate` listings a second for `seconds`, each handed to the poller as it commits;
    returns their ids and the seconds from the start to the last commit."""
    load_ids: list[int] = []

    def post(n: int) -> None:
        # A request of its own: an app context (and database session) per listing.
        with app.app_context():
            listing_id, at = create_listing(owner_id, category_id, n)
        poller.add(listing_id, at)
        load_ids.append(listing_id)

    began, interval = time.time(), 1 / rate
    # Several writers, as several web workers would be: a slow commit does not hold back the
    # ones after it, so the rate stays steady.
    with ThreadPoolExecutor(max_workers=WRITERS) as writers:
        for k in range(round(seconds * rate)):
            time.sleep(max(0.0, began + k * interval - time.time()))
            writers.submit(post, first + k)
    return load_ids, max(poller.committed[i] for i in load_ids) - began


def start_pipeline(env: dict, workdir: Path) -> list[subprocess.Popen]:
    """Two Celery workers, the index queue's and the other tasks' (prefork, one process each),
    and Celery beat, as production runs them; returns once all said they are ready, workers
    first. Their logs go to `workdir`."""
    workers = {"index-worker": INDEX_QUEUE, "worker": DEFAULT_QUEUE}
    processes = [
        start(["worker", f"--queues={queue}", "--concurrency=1"], env, workdir / f"{name}.log")
        for name, queue in workers.items()
    ]
    processes.append(start(["beat", f"--schedule={workdir / 'beat'}"], env, workdir / "beat.log"))
    try:
        for name in workers:
            wait_for_log(workdir / f"{name}.log", "ready.")
        wait_for_log(workdir / "beat.log", "Starting")
    except BaseException:
        stop_pipeline(processes)
        raise
    return processes


def stop_pipeline(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)


def fresh_database(url: str) -> str:
    target = make_url(url).set(database=DATABASE)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for_log(path: Path, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text(errors="replace"):
        if time.monotonic() > deadline:
            sys.exit(f"{path.name} never said {text!r}:\n{path.read_text()[-2000:]}")
        time.sleep(0.2)


def report(name: str, lags: list[float], acks: list[float], seconds: float) -> None:
    print(
        f"{name}: {len(lags)} listings in {seconds:.0f} s ({len(lags) / seconds:.1f}/s); "
        f"lag p50 {statistics.median(lags):.3f} s, p95 {percentile(lags, 0.95):.3f} s, "
        f"max {max(lags):.3f} s; acknowledged by Elasticsearch p50 "
        f"{statistics.median(acks):.3f} s, p95 {percentile(acks, 0.95):.3f} s"
    )


def acknowledged(ids: list[int], committed: dict[int, float]) -> list[float]:
    """Commit to Elasticsearch's acknowledgement, from the outbox's processed_at (naive UTC)."""
    rows = db.session.execute(
        select(OutboxEntry.listing_id, OutboxEntry.processed_at).where(
            OutboxEntry.listing_id.in_(ids), OutboxEntry.processed_at.is_not(None)
        )
    )
    return [
        max(0.0, processed.replace(tzinfo=UTC).timestamp() - committed[listing_id])
        for listing_id, processed in rows
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rest", type=int, default=120, help="listings measured at rest")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--rate", type=float, default=20.0, help="listings per second")
    options = parser.parse_args()

    urls = ensure_up()
    database_url = fresh_database(urls["DATABASE_URL"])
    redis_url = f"{urls['REDIS_URL'].rsplit('/', 1)[0]}/{REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    env = {
        "CLASSIFIEDS_ENV": "development",
        "SECRET_KEY": "bench-index-lag-secret-key",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ELASTICSEARCH_URL": urls["ELASTICSEARCH_URL"],
        "ELASTICSEARCH_INDEX": ALIAS,
        "MAIL_ENABLED": "false",
        "TASKS_EAGER": "false",
    }
    os.environ.update(env)
    from flask_migrate import upgrade

    from web import create_app

    app = create_app(load_settings())
    workdir = Path(tempfile.mkdtemp(prefix="bench-lag-"))
    processes = []
    with app.app_context():
        upgrade()
        settings = app.extensions["settings"]
        es = get_client(settings)
        for name in es.indices.get(index=f"{ALIAS}-*", expand_wildcards="all"):
            es.indices.delete(index=name)
        ensure_index(es, settings)
        install_category_tree(db.session)
        owner = User(username="bench", email="bench@example.com", password_hash="-")
        db.session.add(owner)
        db.session.commit()
        category = db.session.scalar(select(Category).where(Category.slug == "bikes"))
        try:
            processes = start_pipeline(env, workdir)
            poller = Poller(str(settings.ELASTICSEARCH_URL))
            for n in range(WARM_UP):  # first tasks pay for connections and imports: not counted
                listing_id, at = create_listing(owner.id, category.id, n)
                poller.add(listing_id, at)
                poller.wait_for(listing_id)
            print(f"load average before: {os.getloadavg()}", file=sys.stderr)

            began, rest_ids = time.time(), []
            for n in range(WARM_UP, WARM_UP + options.rest):
                listing_id, at = create_listing(owner.id, category.id, n)
                poller.add(listing_id, at)
                rest_ids.append(listing_id)
                poller.wait_for(listing_id)
                time.sleep(random.uniform(0.2, 0.8))
            rest_seconds = time.time() - began

            load_ids, load_seconds = steady_writes(
                app, poller, owner.id, category.id, options.rate, options.load_seconds, n + 1
            )
            poller.wait_for_all()
            poller.stop()
            print(f"load average after: {os.getloadavg()}", file=sys.stderr)

            committed = poller.committed
            report(
                "at rest",
                poller.lags(rest_ids),
                acknowledged(rest_ids, committed),
                rest_seconds,
            )
            report(
                f"under {options.rate:.0f} listings/s",
                poller.lags(load_ids),
                acknowledged(load_ids, committed),
                load_seconds,
            )
            unseen = len(poller.waiting())
            if unseen:
                print(f"NOT SEEN within 30 s: {unseen} listings")
        finally:
            stop_pipeline(processes)
            for name in es.indices.get(index=f"{ALIAS}-*", expand_wildcards="all"):
                es.indices.delete(index=name)
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
