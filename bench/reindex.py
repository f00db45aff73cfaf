"""Reindex throughput at 100,000 listings (results: docs/BENCHMARKS.md, "Reindex").

    .venv/bin/python bench/reindex.py [--listings 100000] [--runs 3] [--warm-up 1]

Creates its own database (classifieds_bench_reindex on the local PostgreSQL of `manage.py
services up`), migrates it and seeds it with `manage.py seed --listings N --seed 1`, then runs,
after `--warm-up` uncounted pairs, `--runs` times each and alternating so both see the same
machine:

- `manage.py reindex` (its own documents/s line: the streamed load, from the first listing read
  to the last bulk answer), and the whole command's wall clock;
- bench/bare_bulk.py, a bare bulk load of the same rows with a plain mapping: the yardstick.

Then it takes apart one pass: the Python side alone (stream, build documents, serialise; no
Elasticsearch) and Elasticsearch alone (10,000 of our documents as ready-made bulk lines, sent
one after another), so a miss can be placed. Medians and ratios are printed; the database and
every index it made are dropped at the end.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE = "classifieds_bench_reindex"
SERVER = "postgresql+psycopg://classifieds:classifieds@127.0.0.1:55432"
ALIAS = "bench-reindex-listings"
RATE = re.compile(r"([\d,]+) documents/s")
SAMPLE = 10_000  # documents sent to Elasticsearch alone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--warm-up",
        type=int,
        default=1,
        help="Uncounted pairs first: a node that has just started indexes at a third of its "
        "speed until its JIT has compiled the indexing path (docs/BENCHMARKS.md, Reindex).",
    )
    parser.add_argument(
        "--profile", action="store_true", help="Also profile the Python side (20,000 documents)."
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "ELASTICSEARCH_URL": os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:59200"),
        "ELASTICSEARCH_INDEX": ALIAS,
        "CLASSIFIEDS_ENV": "development",
    }
    env.pop("REDIS_URL", None)  # seeding queues nothing; no worker competes for the machine
    os.environ.update(env)
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    _create_database()
    try:
        manage(env, "db", "upgrade")
        manage(env, "seed", "--listings", str(args.listings), "--seed", "1")
        for _ in range(args.warm_up):
            manage(env, "reindex")
            _run(env, sys.executable, str(ROOT / "bench" / "bare_bulk.py"))
            print("warm-up: one reindex and one bare bulk load, not counted")
        reindex, bare, wall = [], [], []
        for run in range(1, args.runs + 1):
            load = os.getloadavg()[0]
            started = time.perf_counter()
            reindex.append(documents_per_second(manage(env, "reindex")))
            wall.append(time.perf_counter() - started)
            bare.append(
                documents_per_second(
                    _run(env, sys.executable, str(ROOT / "bench" / "bare_bulk.py"))
                )
            )
            print(
                f"run {run}: reindex {reindex[-1]:,.0f} documents/s (command {wall[-1]:.1f} s), "
                f"bare bulk {bare[-1]:,.0f} documents/s, ratio {reindex[-1] / bare[-1]:.2f}, "
                f"load average {load:.1f}"
            )
        ratios = [r / b for r, b in zip(reindex, bare, strict=True)]
        print(
            f"median: reindex {statistics.median(reindex):,.0f} documents/s, command "
            f"{statistics.median(wall):.1f} s; bare bulk {statistics.median(bare):,.0f} "
            f"documents/s; ratio of each run's pair {statistics.median(ratios):.2f}"
        )
        _take_apart(args.listings, args.profile)
    finally:
        _drop_indices(env["ELASTICSEARCH_URL"])
        _drop_database()


def _take_apart(listings: int, profile: bool) -> None:
    """Python alone and Elasticsearch alone, on the same documents."""
    import cProfile
    import itertools
    import pstats

    from elasticsearch import Elasticsearch
    from sqlalchemy.orm import Session

    from indexer import bulk, listing_source
    from models import db
    from search.document import INDEX_SETTINGS, ListingDocument
    from web import create_app

    app = create_app()
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    sample: list[str] = []
    index = f"{ALIAS}-take-apart"
    with app.app_context(), Session(db.engine) as session:
        started, cpu = time.perf_counter(), time.process_time()
        for header, body in bulk.index_actions(listing_source.stream_all(session), [index]):
            if len(sample) < 2 * SAMPLE:  # two lines a document: action, source
                sample += [header.decode(), body.decode()]
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"Python alone (read, build, serialise {listings:,} documents, one thread): "
        f"{listings / seconds:,.0f} documents/s, {cpu / listings * 1e6:.0f} µs CPU each"
    )
    if profile:
        with app.app_context(), Session(db.engine) as session, cProfile.Profile() as profiler:
            stream = bulk.index_actions(listing_source.stream_all(session), [index])
            for _ in itertools.islice(stream, 20_000):
                pass
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    es = Elasticsearch(os.environ["ELASTICSEARCH_URL"], request_timeout=120)
    es.indices.create(
        index=index,
        settings={**INDEX_SETTINGS, "refresh_interval": "-1"},
        mappings=ListingDocument._doc_type.mapping.to_dict(),
    )
    bodies = ["\n".join(sample[i : i + 2000]) + "\n" for i in range(0, len(sample), 2000)]
    started = time.perf_counter()
    for body in bodies:
        es.bulk(operations=body)
    seconds = time.perf_counter() - started
    print(
        f"Elasticsearch alone ({len(sample) // 2:,} ready bulk lines of our documents, "
        f"one request at a time): {len(sample) // 2 / seconds:,.0f} documents/s"
    )


def manage(env: dict, *args: str) -> str:
    return _run(env, sys.executable, str(ROOT / "manage.py"), *args)


def _run(env: dict, *command: str) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(command[1:])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def documents_per_second(output: str) -> float:
    match = RATE.search(output)
    if not match:
        sys.exit(f"No documents/s in:\n{output}")
    return float(match.group(1).replace(",", ""))


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "")
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 2**20
    return f"{os.cpu_count()} cores ({cpu}), {memory} GB, Python {platform.python_version()}"


def _admin(statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def _create_database() -> None:
    _drop_database()
    _admin(f'CREATE DATABASE "{DATABASE}"')


def _drop_database() -> None:
    _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def _drop_indices(url: str) -> None:
    from elasticsearch import Elasticsearch

    es = Elasticsearch(url, request_timeout=60)
    names = es.indices.get(index=f"{ALIAS}*", expand_wildcards="all")
    if names:
        es.indices.delete(index=",".join(names))


if __name__ == "__main__":
    main()
