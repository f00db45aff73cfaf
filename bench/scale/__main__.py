"""The whole stack at scale, side by side in one run (docs/BENCHMARKS.md, "A million listings").

    python -m bench.scale --listings 1000000 [--skip-load] [--keep] [--sample 20]
    python -m bench.scale --listings 1000000 --drop     # what --keep left behind

On the local services (`manage.py services up`), in a database, index alias and Redis
database of its own (`classifieds_bench_scale_<N>`, `bench-scale-<N>`, Redis 11): seeds N
listings and reindexes them (timed), serves the site under gunicorn on loopback and measures
the search mix at concurrency 1 and 16, the naive PostgreSQL search and the embedded backend
on a sample of the same queries, the map clusters at three zoom levels, the lag from commit to
searchable under a steady write load while searches run (a real Celery worker and beat), one
saved-search alert cycle for 10,000 saved searches, and the peak memory of each part. It
writes the table into docs/BENCHMARKS.md and drops its database and index unless --keep.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from scripts.services import ensure_up


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument(
        "--skip-load",
        action="store_true",
        help="use the database and index a run with --keep left, if they hold --listings",
    )
    parser.add_argument("--load-only", action="store_true", help="load, then stop (implies --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the database and index")
    parser.add_argument(
        "--keep-logs",
        action="store_true",
        help="keep the logs of gunicorn, the Celery worker and beat (printed: where)",
    )
    parser.add_argument(
        "--drop", action="store_true", help="only drop this scale's database and index"
    )
    parser.add_argument(
        "--sample", type=int, default=20, help="queries run on the naive and embedded variants"
    )
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--requests", type=int, default=3000, help="per concurrency-16 mix")
    parser.add_argument("--write-rate", type=float, default=15.0, help="listings/s in the lag step")
    parser.add_argument("--lag-seconds", type=float, default=60.0)
    parser.add_argument(
        "--lag-search-rate", type=float, default=20.0, help="searches/s during the lag step"
    )
    parser.add_argument("--alert-rounds", type=int, default=1, help="cycles after a warm-up")
    parser.add_argument(
        "--no-write", action="store_true", help="print the table, leave BENCHMARKS.md alone"
    )
    return parser.parse_args(argv)


def main() -> None:
    args = options()
    env_urls = ensure_up()
    from bench.scale import stack

    env = stack.bench_env(env_urls, args.listings)
    os.environ.update(env)
    # The client logs each request at INFO: a line per request is not what is measured here.
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    from bench.scale import loading, run
    from search import index
    from settings import load_settings

    es = index.get_client(load_settings())
    if args.drop:
        stack.drop_indices(es, env["ELASTICSEARCH_INDEX"])
        stack.drop_database(env["DATABASE_URL"])
        return
    keep = args.keep or args.load_only
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    finished = False
    try:
        figures = loading.loaded(env, args.listings) if args.skip_load else None
        if figures is None:
            figures = loading.load(env, args.listings, es)
        else:
            print(f"using the {args.listings:,} listings loaded on {figures['date']}")
        if not args.load_only:
            run.measure(args, env, figures, workdir)
        finished = True
    finally:
        if not keep:
            stack.drop_indices(es, env["ELASTICSEARCH_INDEX"])
            stack.drop_database(env["DATABASE_URL"])
        stack.flush_redis(env["REDIS_URL"])
        if finished and not args.keep_logs:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"logs kept in {workdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
