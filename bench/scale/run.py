"""The measuring steps of one run, in order, on a loaded database and index."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

import elasticsearch
import psycopg
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bench import alerts as alert_bench
from bench import index_lag
from bench.scale import http_load, report, stack, usage
from bench.search import NaiveSearch, query_mix
from models import Category, SavedSearch, User, db
from scripts.services import Elasticsearch, PostgreSQL, read_pid
from search import answers
from settings import load_settings
from web import create_app

SEARCH = "/api/v1/search?"
CLUSTERS = "/api/v1/search/clusters?"
ZOOMS = (4, 8, 12)
CLUSTER_QUERIES = 100
ZIPF_DISTINCT = 1_000
ZIPF_WARM_UP = 300


def measure(args: argparse.Namespace, env: dict[str, str], loaded: dict, workdir: Path) -> None:
    facts = report.Machine.before(env)
    peaks = usage.StackUsage()
    peaks.watch("Elasticsearch", _elasticsearch_pids)
    peaks.watch("PostgreSQL", _postgres_pids(env["DATABASE_URL"]))
    peaks.start()
    results: dict = {"loaded": loaded}
    web = stack.Gunicorn(env, args.web_workers, workdir / "gunicorn.log")
    pipeline: list = []
    try:
        peaks.watch(f"gunicorn ({args.web_workers} workers)", lambda: usage.tree(web.process.pid))
        web.wait_ready(args.web_workers)
        results["search"] = searches(web.url, args, peaks, env)
        results["clusters"] = clusters(web.url)
        results["sample"] = sample(web.url, args.sample, env)
        app = create_app(load_settings())
        pipeline = index_lag.start_pipeline(env, workdir)
        peaks.watch(
            "Celery workers (index + other queue)",
            lambda: usage.tree(pipeline[0].pid) + usage.tree(pipeline[1].pid),
        )
        results["lag"] = lag(app, web.url, args)
        index_lag.stop_pipeline(pipeline)
        pipeline = []
        results["alerts"] = alert_cycle(app, args.alert_rounds)
    finally:
        if pipeline:
            index_lag.stop_pipeline(pipeline)
        web.stop()
        results["memory"] = peaks.stop()
    facts.after()
    section = report.section(args, facts, results)
    print(section)
    if not args.no_write:
        report.write(section)


# ---- searches through the site -----------------------------------------------------------


def searches(
    base: str, args: argparse.Namespace, peaks: usage.StackUsage, env: dict[str, str]
) -> dict[str, http_load.Run]:
    """The 200-query mix one at a time (a warm-up round, then it and 200 other searches
    counted, the request cache emptied first), then 16 at a time:
    a Zipf mix over 1,000 distinct searches and a mix with no repeats. Each counted run notes
    the CPU time each part used meanwhile."""
    mix = [SEARCH + q for q in query_mix(200)]
    http_load.bounded(base, mix)  # warm-up: every worker's caches and connections
    # Counted one at a time without the answers to the warm-up that Elasticsearch's request
    # cache and the site (search.answers) kept: a search, not a cache, is timed here; the Zipf
    # mix below is where caching counts.
    _forget_answers(env)
    one = _with_cpu(peaks, base, mix + _fresh(set(mix), 200, seed=77), 1)
    _say("concurrency 1", one)
    distinct = [SEARCH + q for q in query_mix(ZIPF_DISTINCT, seed=21)]
    http_load.bounded(base, http_load.zipf_mix(distinct, ZIPF_WARM_UP, seed=4), concurrency=16)
    zipf = _with_cpu(peaks, base, http_load.zipf_mix(distinct, args.requests), 16)
    _say("concurrency 16, Zipf", zipf)
    unique = _with_cpu(peaks, base, _fresh(set(mix) | set(distinct), args.requests, 1001), 16)
    _say("concurrency 16, no repeats", unique)
    return {"one": one, "zipf": zipf, "unique": unique}


def _fresh(seen: set[str], count: int, seed: int) -> list[str]:
    """`count` searches of the mix's shape, none of them in `seen` nor repeated."""
    paths = [SEARCH + q for q in dict.fromkeys(query_mix(count * 2, seed=seed))]
    return [path for path in paths if path not in seen][:count]


def _forget_answers(env: dict[str, str]) -> None:
    es = elasticsearch.Elasticsearch(env["ELASTICSEARCH_URL"], request_timeout=60)
    es.indices.clear_cache(index=env["ELASTICSEARCH_INDEX"], request=True)
    # Noted as just written, the index is newer than every answer the site kept.
    answers.index_changed(load_settings())


def _with_cpu(
    peaks: usage.StackUsage, base: str, paths: list[str], concurrency: int
) -> http_load.Run:
    before = peaks.cpu()
    run = http_load.bounded(base, paths, concurrency)
    after = peaks.cpu()
    run.cpu = {name: after[name] - before[name] for name in before}
    return run


def clusters(base: str) -> dict[int, http_load.Run]:
    """The map's clusters for the first queries of the mix, at each zoom level, one at a time."""
    mix = query_mix(CLUSTER_QUERIES)
    found = {}
    for zoom in ZOOMS:
        paths = [CLUSTERS + q + "&" + urlencode({"zoom": zoom}) for q in mix]
        http_load.bounded(base, paths[:10])  # warm-up
        found[zoom] = http_load.bounded(base, paths)
        _say(f"clusters at zoom {zoom}", found[zoom])
    return found


def sample(base: str, size: int, env: dict[str, str]) -> dict[str, list[float]]:
    """The first `size` queries of the mix on the site (Elasticsearch), the embedded backend (in
    process, through the WSGI test client, as bench/search.py runs it) and the naive
    PostgreSQL search, each query on the three in turn; one warm-up query each first. The
    mix ran before: its answers kept by the caches are forgotten first, so searches are timed."""
    queries = query_mix(200)[:size]
    _forget_answers(env)
    embedded = create_app(load_settings(ELASTICSEARCH_URL=None))
    client = embedded.test_client()
    times: dict[str, list[float]] = {"elasticsearch": [], "embedded": [], "naive": []}
    with embedded.app_context(), Session(db.engine) as session:
        naive = NaiveSearch(session)
        client.get(SEARCH + queries[-1])
        naive.run(queries[-1])
        for n, query in enumerate(queries):
            times["elasticsearch"] += http_load.bounded(base, [SEARCH + query]).ms
            started = time.perf_counter()
            response = client.get(SEARCH + query)
            times["embedded"].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (query, response.get_data(as_text=True))
            started = time.perf_counter()
            naive.run(query)
            times["naive"].append((time.perf_counter() - started) * 1000)
            print(f"\r  sample {n + 1} of {len(queries)}", end="", flush=True)
    print()
    return times


# ---- the pipeline under load -------------------------------------------------------------


def lag(app, base: str, args: argparse.Namespace) -> dict:
    """Commit to searchable for listings posted at a steady rate while searches run at a
    steady rate too (the Zipf mix, at most 16 in flight)."""
    poller = None
    with app.app_context():
        # Beat runs the alert cycle every minute; without saved searches it has nothing to
        # do, so what is measured here is the pipeline, not an alert cycle beside it.
        db.session.execute(delete(SavedSearch))
        db.session.commit()
        owner = db.session.scalar(select(User.id).where(User.active.is_(True)).limit(1))
        category = db.session.scalar(select(Category.id).where(Category.slug == "bikes"))
        settings = app.extensions["settings"]
        poller = index_lag.Poller(str(settings.ELASTICSEARCH_URL), settings.ELASTICSEARCH_INDEX)
        try:
            for n in range(index_lag.WARM_UP):  # connections and imports: not counted
                listing_id, at = index_lag.create_listing(owner, category, n)
                poller.add(listing_id, at)
                poller.wait_for(listing_id)
            distinct = [SEARCH + q for q in query_mix(ZIPF_DISTINCT, seed=21)]
            paths = http_load.zipf_mix(distinct, 100_000, seed=5)
            background = http_load.BackgroundSearches(base, paths, args.lag_search_rate)
            ids, seconds = index_lag.steady_writes(
                app,
                poller,
                owner,
                category,
                args.write_rate,
                args.lag_seconds,
                first=index_lag.WARM_UP,
            )
            searched = background.stop()
            poller.wait_for_all()
            lags = poller.lags(ids)
            acks = index_lag.acknowledged(ids, poller.committed)
        finally:
            poller.stop()
    print(
        f"lag: {len(lags)} of {len(ids)} seen, p95 {report.percentile(lags, 95):.3f} s; "
        f"searches {searched.per_second:.1f}/s, p95 {report.percentile(searched.ms, 95):.0f} ms"
    )
    return {
        "lags": lags,
        "acks": acks,
        "posted": len(ids),
        "seconds": seconds,
        "searches": searched,
    }


def alert_cycle(app, rounds: int) -> list:
    """bench/alerts.py's cycle: 10,000 saved searches, 1,000 new listings (posted and indexed
    here, with the pipeline stopped so beat runs no cycle of its own)."""
    with app.app_context():
        alert_bench.prepare(app)
    return alert_bench.cycle(app, rounds)


# ---- which processes are whose -----------------------------------------------------------


def _elasticsearch_pids() -> list[int]:
    pid = read_pid(Elasticsearch().pidfile, "elasticsearch")
    return usage.tree(pid) if pid else []


def _postgres_pids(database_url: str):
    """The server's own processes (postmaster, checkpointer, writers...) and the backends of
    our database; other developers' test databases are not ours to count."""
    conninfo = database_url.replace("postgresql+psycopg://", "postgresql://")
    connection = psycopg.connect(conninfo, autocommit=True)
    postmaster = int((PostgreSQL().data_dir / "postmaster.pid").read_text().split()[0])

    def pids() -> list[int]:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() OR backend_type <> 'client backend'"
        ).fetchall()
        return [postmaster, *(row[0] for row in rows)]

    return pids


def _say(name: str, run: http_load.Run) -> None:
    took = f", took p50 {statistics.median(run.took):.0f} ms" if run.took else ""
    print(
        f"{name}: {len(run.ms)} answers in {run.seconds:.1f} s ({run.per_second:.1f}/s), "
        f"p50 {report.percentile(run.ms, 50):.1f} ms, p95 {report.percentile(run.ms, 95):.1f} ms"
        f"{took}; {len(run.errors)} errors",
        flush=True,
    )
    for error in run.errors[:3]:
        print("  ", error)
