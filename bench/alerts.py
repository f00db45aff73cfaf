"""One saved-search alert cycle at scale, and the other direction it could have taken.

10,000 saved searches, 100,000 listings, 1,000 of them new since the last run. `cycle` times
`indexer.alerts.run.run_alerts` as beat runs it (on Elasticsearch, or with `--backend
database` on the embedded backend); `directions` times the matching step alone three ways:
every saved search against the new listings, the same after the prefilter (what the code
does), and the other direction, each new listing queried against the saved searches indexed
as documents (there is no percolator here) plus the exact check its candidates still need.

    export DATABASE_URL=postgresql://classifieds:classifieds@127.0.0.1:55432/classifieds_bench_alerts
    export ELASTICSEARCH_URL=http://127.0.0.1:59200 REDIS_URL=redis://127.0.0.1:56379/9
    python manage.py db upgrade && python manage.py seed --listings 100000 --seed 1
    python -m bench.alerts setup            # index, 10,000 saved searches, 1,000 new listings
    python -m bench.alerts cycle --rounds 5 [--backend database]
    python -m bench.alerts directions --rounds 5   # the matching step alone, three ways
    python -m bench.alerts teardown         # the bench indices and the queued Celery messages

Every round starts from the same state: no notification, no pending or recorded alert mail,
the 1,000 new listings queued, and every saved search due for mail (the worst case: instant,
daily and weekly mail all go in this cycle). The first round warms caches and is not counted.
Mail is only recorded and queued (Celery messages to REDIS_URL, which nothing consumes here):
sending it is the mail worker's job, outside the cycle. Results: docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

import redis
from elasticsearch.helpers import streaming_bulk
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.orm import Session

import indexer.alerts.run as alert_run
from bench.search import load_index
from indexer import bulk, listing_source
from indexer.alerts import candidates, mailing, matching
from indexer.alerts.searches import active_queries, read_query
from models import (
    AlertFrequency,
    AlertMailItem,
    AlertQueueEntry,
    Listing,
    ListingStatus,
    Notification,
    OutgoingMail,
    SavedSearch,
    User,
    db,
    utcnow,
)
from scripts.seed_vocabulary import CATEGORIES
from search import analysis, index
from search.backends.common import Clock
from search.categories import category_tree
from settings import load_settings
from web import create_app

INDEX_ALIAS = "bench-alerts"
SEARCHES_INDEX = "bench-alerts-searches"  # the reverse direction's saved-search documents
SAVED_SEARCHES = 10_000
NEW_LISTINGS = 1_000
KIND = "saved_search_match"
CITIES = [
    "New York, NY", "Los Angeles, CA", "Chicago, IL", "Houston, TX", "Phoenix, AZ",
    "Philadelphia, PA", "Dallas, TX", "Seattle, WA", "Denver, CO", "Boston, MA",
    "Miami, FL", "Atlanta, GA", "San Francisco, CA", "San Diego, CA", "Minneapolis, MN",
    "Portland, OR", "Austin, TX", "Nashville, TN", "Detroit, MI", "Columbus, OH",
]  # fmt: skip
RADII = [5, 10, 25, 25, 50, 100]
FREQUENCIES = [AlertFrequency.instant, AlertFrequency.daily, AlertFrequency.weekly]


def app_for(backend: str) -> Flask:
    overrides = {"ELASTICSEARCH_INDEX": INDEX_ALIAS}
    if backend == "database":
        overrides["ELASTICSEARCH_URL"] = None
    app = create_app(load_settings(**overrides))
    # One log line per Elasticsearch request would be most of the output, and of the time.
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    return app


# ---- setup -----------------------------------------------------------------------------------


def setup(app: Flask) -> None:
    with app.app_context():
        upgrade()
        print(f"indexed {load_index(app):,} listings into {INDEX_ALIAS}")
        prepare(app)


def prepare(app: Flask) -> None:
    """What a cycle needs on an index already loaded: the saved searches, and the new listings
    posted and indexed. Runs inside an app context."""
    print(f"saved {write_saved_searches(SAVED_SEARCHES):,} searches")
    new = post_new_listings(NEW_LISTINGS)
    write_documents(app, new)
    print(f"posted and indexed {len(new):,} new listings")


def write_documents(app: Flask, ids: list[int]) -> None:
    """Index these listings now and make them searchable (what the pipeline would do)."""
    settings = app.extensions["settings"]
    es = index.get_client(settings)
    targets = index.write_targets(es, settings)
    # A session of its own: the bulk helper reads the rows from its own thread.
    with Session(db.engine) as session:
        actions = bulk.index_actions(listing_source.by_ids(session, ids), targets)
        outcome = bulk.send(es, actions)
    if outcome.failed:
        raise RuntimeError(f"{outcome.failed} listings not indexed: {outcome.reasons}")
    es.indices.refresh(index=targets)


def saved_search_mix(count: int, seed: int = 11) -> list[str]:
    """`count` query strings as people save them: mostly a category and a place, often words
    from real ads (a typo now and then), sometimes a price range, a condition or photos."""
    rng = random.Random(seed)
    leaves = [slug for slug, vocab in CATEGORIES.items() if vocab.items]
    mix = []
    for _ in range(count):
        slug = rng.choice(leaves)
        args: list[tuple[str, str]] = []
        with_text = rng.random() < 0.5
        if with_text:
            words = [w for w in analysis.words(rng.choice(CATEGORIES[slug].items)) if len(w) > 2]
            words = rng.sample(words, k=min(len(words), rng.choice([1, 1, 2]))) if words else []
            if words and rng.random() < 0.1:
                words[0] = _typo(rng, words[0])
            if words:
                args.append(("q", " ".join(words)))
        if not with_text or rng.random() < 0.6:
            args.append(("category", slug))
        if rng.random() < 0.75:
            args += [("near", rng.choice(CITIES)), ("radius", str(rng.choice(RADII)))]
        if rng.random() < 0.4:
            low, high = sorted(rng.sample([0, 20, 50, 100, 300, 1000, 5000, 20000], k=2))
            args += [("min_price", str(low)), ("max_price", str(high))]
        if rng.random() < 0.15:
            args.append(("condition", rng.choice(["new", "like_new", "good"])))
        if rng.random() < 0.1:
            args.append(("photo", "1"))
        mix.append(urlencode(args))
    return mix


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def write_saved_searches(count: int) -> int:
    """Replace every saved search with `count` from the mix, owned by random seeded users."""
    db.session.execute(delete(SavedSearch))
    users = list(db.session.scalars(select(User.id).where(User.active.is_(True))))
    rng = random.Random(5)
    slugs = category_tree().slugs
    now = utcnow()
    rows = []
    for n, query in enumerate(saved_search_mix(count)):
        stored = read_query(query, slugs)
        assert not stored.errors, (query, stored.errors)
        rows.append(
            {
                "user_id": rng.choice(users),
                "name": f"Bench search {n}",
                "query": stored.search_url_query(),
                "frequency": FREQUENCIES[n % len(FREQUENCIES)],
                "created_at": now - timedelta(days=30),
                "updated_at": now,
                "last_viewed_at": now,
            }
        )
    db.session.execute(insert(SavedSearch), rows)
    db.session.commit()
    return len(rows)


def post_new_listings(count: int) -> list[int]:
    """`count` new listings through the ORM (so the alert queue hears of them as of any post),
    each a copy of a random active listing by another seller, posted now."""
    rng = random.Random(3)
    active = list(
        db.session.scalars(select(Listing.id).where(Listing.status == ListingStatus.active))
    )
    users = list(db.session.scalars(select(User.id).where(User.active.is_(True))))
    new = []
    for start in range(0, count, 200):
        models = db.session.scalars(
            select(Listing).where(Listing.id.in_(rng.sample(active, min(200, count - start))))
        ).all()
        for model in models:
            copy = Listing(
                owner_id=rng.choice(users),
                category_id=model.category_id,
                title=model.title,
                description=model.description,
                price_minor=model.price_minor,
                price_kind=model.price_kind,
                condition=model.condition,
                zip_code=model.zip_code,
                city=model.city,
                state=model.state,
                latitude=model.latitude,
                longitude=model.longitude,
                expires_at=utcnow() + timedelta(days=30),
            )
            db.session.add(copy)
            new.append(copy)
        db.session.commit()
    return [listing.id for listing in new]


def new_listing_ids() -> list[int]:
    return list(
        db.session.scalars(select(Listing.id).order_by(Listing.id.desc()).limit(NEW_LISTINGS))
    )


# ---- the cycle -------------------------------------------------------------------------------


def reset_round(ids: list[int]) -> None:
    """Back to "1,000 new listings since the last run, every search due for mail"."""
    db.session.execute(delete(Notification).where(Notification.kind == KIND))
    db.session.execute(delete(AlertMailItem))
    db.session.execute(delete(OutgoingMail).where(OutgoingMail.kind == KIND))
    db.session.execute(delete(AlertQueueEntry))
    db.session.execute(update(SavedSearch).values(last_mailed_at=None))
    versions = db.session.execute(select(Listing.id, Listing.version).where(Listing.id.in_(ids)))
    db.session.execute(
        insert(AlertQueueEntry),
        [{"listing_id": i, "version": v, "queued_at": utcnow()} for i, v in versions],
    )
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE notifications, alert_mail_items, alert_queue"))


class Phases:
    """Wall-clock seconds spent in each step of the cycle (patched around the real calls)."""

    STEPS = {
        "index caught up?": (candidates, "ready"),
        "read searches": (alert_run, "active_queries"),
        "match": (alert_run, "match"),
        "record": (alert_run, "record_matches"),
        "mail": (mailing, "send_due"),
    }

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        for name, (module, attribute) in self.STEPS.items():
            setattr(module, attribute, self._timed(name, getattr(module, attribute)))

    def _timed(self, name: str, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0) + time.perf_counter() - started

        return timed


def cycle(app: Flask, rounds: int) -> list[tuple[float, dict[str, float], object]]:
    """Times `rounds` cycles after a warm-up; returns (seconds, seconds per step, the cycle's
    report) of each counted round."""
    phases = Phases()
    results = []
    with app.app_context():
        ids = new_listing_ids()
    for round_number in range(rounds + 1):
        with app.app_context():
            reset_round(ids)
        phases.seconds.clear()
        with app.app_context():
            started, cpu = time.perf_counter(), time.process_time()
            report = alert_run.run_alerts()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        label = "warm-up" if round_number == 0 else f"round {round_number}"
        steps = ", ".join(f"{k} {v:.2f}" for k, v in phases.seconds.items())
        load = os.getloadavg()[0]
        print(
            f"{label}: {seconds:.2f} s, this process's CPU {cpu:.2f} s, load {load:.1f} "
            f"({steps}); {report.as_dict()}"
        )
        if round_number:
            results.append((seconds, dict(phases.seconds), report))
    times = [seconds for seconds, _, _ in results]
    print(f"median {statistics.median(times):.2f} s over {len(times)} rounds: {times}")
    for name in Phases.STEPS:
        print(f"  {name}: median {statistics.median(r[1].get(name, 0) for r in results):.2f} s")
    print(platform.platform(), platform.python_version(), os.cpu_count(), "CPUs")
    return results


# ---- the other direction ---------------------------------------------------------------------


def directions(app: Flask, rounds: int) -> None:
    """The matching step alone, three ways, on the same saved searches and new listings, in
    turn each round (the first round warms caches and is not counted):

    - every search: each saved search narrowed to all the new listings, one msearch item each;
    - prefiltered: what indexer.alerts.matching does (only the searches the prefilter lets
      through, each narrowed to its possible listings);
    - reverse: the saved searches indexed as documents (there is no percolator), one query per
      new listing; text matched on exact terms (typos cannot be matched backwards) and the
      radius as a box, so the candidate pairs are then checked exactly, in msearch batches.
    """
    with app.app_context():
        es = index.get_client(app.extensions["settings"])
        saved = active_queries()
        write_search_documents(es, saved)
        documents = matching.indexed_documents(new_listing_ids())
        by_id = {item.search_id: item for item in saved}
        every = [(item, sorted(documents)) for item in saved]
        timings: dict[str, list[float]] = {}
        for round_number in range(rounds + 1):
            results = {
                "every search": _timed(lambda: _exact(every)),
                "prefiltered": _timed(lambda: matching.match(saved, documents)),
                "reverse": _timed(lambda: _reverse(es, documents, by_id)),
            }
            expected = _pairs(results["every search"][1])
            label = "warm-up" if round_number == 0 else f"round {round_number}"
            for name, (seconds, found) in results.items():
                missed = len(expected - _pairs(found))
                print(f"{label} {name}: {seconds:.2f} s, {len(_pairs(found)):,} matches"
                      f"{f', {missed:,} missed' if missed else ''}")  # fmt: skip
                if round_number:
                    timings.setdefault(name, []).append(seconds)
        for name, values in timings.items():
            print(f"median {name}: {statistics.median(values):.2f} s over {len(values)} rounds")


def _timed(work: Callable) -> tuple[float, dict[int, list[int]]]:
    started = time.perf_counter()
    found = work()
    return time.perf_counter() - started, found


def _pairs(found: dict[int, list[int]]) -> set[tuple[int, int]]:
    return {(search_id, lid) for search_id, ids in found.items() for lid in ids}


def _exact(runs) -> dict[int, list[int]]:
    return matching._match_in_elasticsearch(runs, Clock.current())


def _reverse(es, documents: dict[int, dict], by_id) -> dict[int, list[int]]:
    candidates = reverse_candidates(es, list(documents.values()))
    return _exact([(by_id[search_id], sorted(ids)) for search_id, ids in candidates.items()])


def write_search_documents(es, saved) -> None:
    if es.indices.exists(index=SEARCHES_INDEX):
        es.indices.delete(index=SEARCHES_INDEX)
    es.indices.create(
        index=SEARCHES_INDEX,
        settings={"number_of_shards": 1, "number_of_replicas": 0},
        mappings={
            "properties": {
                "user_id": {"type": "long"},
                "categories": {"type": "keyword"},
                "conditions": {"type": "keyword"},
                "min_price": {"type": "long"},
                "max_price": {"type": "long"},
                "photo": {"type": "boolean"},
                "located": {"type": "boolean"},
                "south": {"type": "double"},
                "north": {"type": "double"},
                "west": {"type": "double"},
                "east": {"type": "double"},
                "terms": {"type": "keyword"},
                "term_count": {"type": "integer"},
            }
        },
    )
    actions = (
        {"_index": SEARCHES_INDEX, "_id": str(s.search_id), "_source": _doc(s)} for s in saved
    )
    for ok, item in streaming_bulk(es, actions, chunk_size=2_000):
        assert ok, item
    es.indices.refresh(index=SEARCHES_INDEX)
    es.options(request_timeout=600).indices.forcemerge(index=SEARCHES_INDEX, max_num_segments=1)


def _doc(saved) -> dict:
    q = saved.query
    doc = {
        "user_id": saved.user_id,
        "categories": list(q.categories) or ["*"],
        "conditions": list(q.conditions) or ["*"],
        "min_price": q.min_price or 0,
        "max_price": q.max_price if q.max_price is not None else 2**62,
        "photo": q.photo,
        "located": q.location is not None,
        "terms": sorted(set(q.terms)),
        "term_count": len(set(q.terms)),
    }
    if q.location is not None:
        spread = q.radius / 69.0
        lon_spread = spread / max(0.01, math.cos(math.radians(q.location.lat)))
        doc.update(
            south=q.location.lat - spread,
            north=q.location.lat + spread,
            west=q.location.lon - lon_spread,
            east=q.location.lon + lon_spread,
        )
    return doc


def reverse_candidates(es, documents: list[dict]) -> dict[int, list[int]]:
    searches = []
    for d in documents:
        point = d["location"]
        located = {
            "bool": {
                "filter": [
                    {"range": {"south": {"lte": point["lat"]}}},
                    {"range": {"north": {"gte": point["lat"]}}},
                    {"range": {"west": {"lte": point["lon"]}}},
                    {"range": {"east": {"gte": point["lon"]}}},
                ]
            }
        }
        text_terms = sorted(set(d["text_terms"].split()))
        words = {
            "terms_set": {
                "terms": {"terms": text_terms, "minimum_should_match_field": "term_count"}
            }
        }
        filters = [
            {"terms": {"categories": [*d["category_path"], "*"]}},
            {"terms": {"conditions": [c for c in (d["condition"], "*") if c]}},
            {"range": {"min_price": {"lte": d["price_minor"]}}},
            {"range": {"max_price": {"gte": d["price_minor"]}}},
            {"bool": {"should": [{"term": {"located": False}}, located]}},
            {"bool": {"should": [{"term": {"term_count": 0}}, words]}},
        ]
        if not d["has_photo"]:
            filters.append({"term": {"photo": False}})
        body = {
            "query": {
                "bool": {"filter": filters, "must_not": [{"term": {"user_id": d["seller_id"]}}]}
            },
            "size": SAVED_SEARCHES,
            "_source": False,
            "sort": ["_doc"],
        }
        searches += [{}, body]
    found: dict[int, list[int]] = {}
    for start in range(0, len(searches), 500):
        response = es.msearch(index=SEARCHES_INDEX, searches=searches[start : start + 500])
        for d, answer in zip(documents[start // 2 :], response["responses"], strict=False):
            for hit in answer["hits"]["hits"]:
                found.setdefault(int(hit["_id"]), []).append(d["listing_id"])
    return found


# ---- teardown --------------------------------------------------------------------------------


def teardown(app: Flask) -> None:
    settings = app.extensions["settings"]
    es = index.get_client(settings)
    names = es.indices.get(index=f"{INDEX_ALIAS}*", expand_wildcards="all")
    if names:
        es.indices.delete(index=",".join(names))
    if settings.REDIS_URL:
        # Only what this bench left in the Redis database it was given: the mail tasks it
        # queued and the queue's bindings.
        client = redis.Redis.from_url(str(settings.REDIS_URL))
        client.delete("celery", "_kombu.binding.celery", "_kombu.binding_permanent.celery")
    print(f"deleted {len(names)} indices")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["setup", "cycle", "directions", "teardown"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backend", choices=["elasticsearch", "database"], default="elasticsearch")
    args = parser.parse_args()
    app = app_for(args.backend)
    if args.command == "setup":
        setup(app)
    elif args.command == "cycle":
        cycle(app, args.rounds)
    elif args.command == "directions":
        directions(app, args.rounds)
    else:
        teardown(app)
    with app.app_context():
        count = db.session.scalar(select(func.count(Notification.id)))
    print(f"({count:,} notifications in the database)")


if __name__ == "__main__":
    main()
