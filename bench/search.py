"""Search latency at scale: the JSON endpoint on Elasticsearch and on the embedded backend, and
a naive PostgreSQL search (ILIKE + one GROUP BY per facet) on the same mix of queries.

    DATABASE_URL=postgresql://.../classifieds_bench_search \\
    ELASTICSEARCH_URL=http://127.0.0.1:59200 \\
    python -m bench.search [--load] [--queries 200] [--rounds 3]

The database must hold seeded listings (`manage.py seed --listings 100000 --seed 1`).
`--load` (re)builds the index `bench-search` from it as `manage.py reindex` does. Each round
runs every query once on each variant, in turn; the first round warms caches and is not
counted. Results: docs/BENCHMARKS.md ("Search").
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
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from indexer.rebuild import Rebuild
from models import Category, db, utcnow
from models.category_tree import CATEGORY_TREE, slugify
from scripts.seed_vocabulary import CATEGORIES
from search import analysis, geo, index
from search.backends import elasticsearch as es_backend
from search.backends.common import Clock
from search.query import ListingQuery
from search.results import DISTANCE_BANDS_MI, PRICE_BANDS
from settings import load_settings
from web import create_app

INDEX_ALIAS = "bench-search"
CITIES = [
    "New York, NY",
    "Los Angeles, CA",
    "Chicago, IL",
    "Houston, TX",
    "Phoenix, AZ",
    "Philadelphia, PA",
    "Dallas, TX",
    "Seattle, WA",
    "Denver, CO",
    "Boston, MA",
    "Miami, FL",
    "Atlanta, GA",
    "San Francisco, CA",
    "San Diego, CA",
    "Minneapolis, MN",
]
RADII = [10, 25, 25, 50, 100, 250]


# ---- the query mix ---------------------------------------------------------------------------


def query_mix(count: int, seed: int = 7) -> list[str]:
    """`count` query strings: words from real ads (a typo now and then), a category or
    condition, a place and radius, a price range; every query computes all facets."""
    rng = random.Random(seed)
    categories = [slug for slug in CATEGORIES if CATEGORIES[slug].items]
    sections = {
        child: slugify(section)
        for section, children in CATEGORY_TREE.items()
        for child in map(slugify, children)
    }
    mix = []
    for _ in range(count):
        slug = rng.choice(categories)
        words = analysis.words(rng.choice(CATEGORIES[slug].items))
        words = [w for w in words if len(w) > 2] or words
        text_words = rng.sample(words, k=min(len(words), rng.choice([1, 1, 1, 2])))
        if rng.random() < 0.15:
            text_words = [_typo(rng, word) for word in text_words]
        args = [("q", " ".join(text_words)), ("near", rng.choice(CITIES))]
        args.append(("radius", str(rng.choice(RADII))))
        if rng.random() < 0.5:
            args.append(("category", rng.choice([slug, sections[slug]])))
        if rng.random() < 0.2:
            args += [("condition", c) for c in rng.sample(["new", "like_new", "good"], k=2)]
        low = rng.choice([None, None, 0, 10, 50])
        high = rng.choice([None, None, 500, 2000, 10000, 100000])
        if low is not None:
            args.append(("min_price", str(low)))
        if high is not None:
            args.append(("max_price", str(high)))
        if rng.random() < 0.1:
            args.append(("posted", rng.choice(["1d", "7d", "30d"])))
        mix.append(urlencode(args))
    return mix


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap two neighbours


# ---- loading the index -----------------------------------------------------------------------


def load_index(app) -> int:
    """Rebuild the app's index alias from every listing in the database, as `manage.py reindex`
    does (the same documents and bulk path, merged into one segment, verified against the
    database, then put live); returns the number of documents."""
    settings = app.extensions["settings"]

    @contextmanager
    def progress(total: int):
        written = 0

        def step(n: int) -> None:
            nonlocal written
            written += n
            print(f"\r  indexed {written:,} of {total:,}", end="", flush=True)

        yield step
        print()

    with app.app_context():
        rebuild = Rebuild(
            index.get_client(settings), db.engine, settings, allow_shrink=True, progress=progress
        )
        return rebuild.run().documents


# ---- the naive version -----------------------------------------------------------------------


class NaiveSearch:
    """What a search with facets looks like without an index: ILIKE per word, the filters in
    SQL, and one GROUP BY (or SUM of CASEs) per facet, each without its own filter."""

    def __init__(self, session: Session):
        self.session = session
        rows = session.execute(select(Category.id, Category.slug, Category.parent_id)).all()
        self.slug = {r.id: r.slug for r in rows}
        self.parent = {r.id: r.parent_id for r in rows}

    def run(self, query_string: str) -> int:
        query = ListingQuery.from_args(MultiDict(parse_qsl(query_string)))
        now = utcnow()
        clauses, params = self._clauses(query, now)
        total = self._scalar(
            "SELECT count(*) FROM listings l WHERE " + self._where(clauses), params
        )
        self.session.execute(
            text(
                "SELECT l.id FROM listings l WHERE "
                + self._where(clauses)
                + " ORDER BY l.created_at DESC, l.id DESC LIMIT 24"
            ),
            params,
        ).all()
        for facet in ("category", "condition"):
            column = "category_id" if facet == "category" else "condition"
            self.session.execute(
                text(
                    f"SELECT l.{column}, count(*) FROM listings l WHERE "
                    + self._where(clauses, facet)
                    + f" GROUP BY l.{column}"
                ),
                params,
            ).all()
        sums = {
            "posted": [f"l.created_at >= :now - interval '{days} days'" for days in (1, 7, 30)],
            "price": [
                f"l.price_minor >= {low}" + (f" AND l.price_minor < {high}" if high else "")
                for low, high in PRICE_BANDS
            ],
            "distance": [f"{_DISTANCE} < {miles}" for miles in DISTANCE_BANDS_MI],
        }
        for facet, conditions in sums.items():
            columns = ", ".join(f"sum(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in conditions)
            self.session.execute(
                text(f"SELECT {columns} FROM listings l WHERE " + self._where(clauses, facet)),
                params,
            ).all()
        self._scalar(
            "SELECT count(*) FROM listings l WHERE "
            + self._where(clauses, "photo")
            + " AND EXISTS (SELECT 1 FROM listing_images i WHERE i.listing_id = l.id)",
            params,
        )
        return total

    def _clauses(self, query: ListingQuery, now) -> tuple[dict[str | None, list[str]], dict]:
        params = {"now": now, "lat": query.location.lat, "lon": query.location.lon}
        shared = [
            "l.status = 'active'",
            "l.expires_at > :now",
            "EXISTS (SELECT 1 FROM users u WHERE u.id = l.owner_id AND u.active)",
        ]
        for n, word in enumerate(query.text.split()):
            params[f"w{n}"] = f"%{word}%"
            shared.append(f"(l.title ILIKE :w{n} OR l.description ILIKE :w{n})")
        faceted: dict[str | None, list[str]] = {None: shared}
        if query.categories:
            ids = [i for i in self.slug if set(self._path(i)) & set(query.categories)]
            faceted["category"] = [f"l.category_id IN ({','.join(map(str, ids)) or 'NULL'})"]
        if query.conditions:
            values = ",".join(f"'{c}'" for c in query.conditions)
            faceted["condition"] = [f"l.condition IN ({values})"]
        if query.min_price is not None:
            faceted.setdefault("price", []).append(f"l.price_minor >= {query.min_price}")
        if query.max_price is not None:
            faceted.setdefault("price", []).append(f"l.price_minor <= {query.max_price}")
        if query.posted:
            params["since"] = now - timedelta(days=int(query.posted[:-1]))
            faceted["posted"] = ["l.created_at >= :since"]
        faceted["distance"] = [f"{_DISTANCE} <= {query.radius}"]
        return faceted, params

    def _path(self, id_: int) -> list[str]:
        path = []
        while id_ is not None:
            path.append(self.slug[id_])
            id_ = self.parent[id_]
        return path

    @staticmethod
    def _where(clauses: dict, without: str | None = None) -> str:
        kept = [
            c for name, group in clauses.items() if name != without or name is None for c in group
        ]
        return " AND ".join(kept)

    def _scalar(self, sql: str, params: dict):
        return self.session.execute(text(sql), params).scalar()


_DISTANCE = (
    f"(2 * {geo.EARTH_RADIUS_KM / geo.KM_PER_MILE} * asin(sqrt("
    "power(sin(radians(l.latitude - :lat) / 2), 2) + cos(radians(:lat)) * "
    "cos(radians(l.latitude)) * power(sin(radians(l.longitude - :lon) / 2), 2))))"
)


# ---- measuring -------------------------------------------------------------------------------


def measure(args) -> None:
    database_url = os.environ["DATABASE_URL"]
    es_app = create_app(load_settings(ELASTICSEARCH_INDEX=INDEX_ALIAS, MAIL_ENABLED=False))
    embedded_app = create_app(load_settings(ELASTICSEARCH_URL=None, MAIL_ENABLED=False))
    # The client logs every request at INFO; a line per request is not what is measured here.
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    if args.load:
        started = time.perf_counter()
        count = load_index(es_app)
        print(f"Indexed {count:,} listings in {time.perf_counter() - started:.0f} s")
    mix = query_mix(args.queries)
    es = index.get_client(es_app.extensions["settings"])
    clients = {"elasticsearch": es_app.test_client(), "embedded": embedded_app.test_client()}
    clients = {name: client for name, client in clients.items() if name in args.variants}
    names = ("elasticsearch", "took", "cpu", "client", "embedded")
    timings: dict[str, list[float]] = {name: [] for name in names}
    timings["naive"] = []
    totals: dict[str, list[int]] = {name: [] for name in ("elasticsearch", "embedded", "naive")}
    with embedded_app.app_context(), Session(db.engine) as session:
        naive = NaiveSearch(session)
        for round_ in range(args.rounds + 1):
            counted = round_ > 0
            # Each round repeats the same queries: without this, rounds after the first would
            # be answered by the shard request cache and time a cache, not a search.
            es.indices.clear_cache(index=INDEX_ALIAS, request=True)
            for query_string in mix:
                for name, client in clients.items():
                    started, cpu = time.perf_counter(), time.process_time()
                    response = client.get(f"/api/v1/search?{query_string}")
                    elapsed = (time.perf_counter() - started) * 1000
                    cpu = (time.process_time() - cpu) * 1000
                    body = response.get_json()
                    assert response.status_code == 200, (query_string, body)
                    if counted:
                        timings[name].append(elapsed)
                        if name == "elasticsearch":
                            timings["took"].append(body["took"])
                            timings["cpu"].append(cpu)
                            timings["client"].append(bare_client(es, query_string))
                    if round_ == 1:
                        totals[name].append(body["total"])
                if "naive" not in args.variants:
                    continue
                started = time.perf_counter()
                total = naive.run(query_string)
                if counted:
                    timings["naive"].append((time.perf_counter() - started) * 1000)
                if round_ == 1:
                    totals["naive"].append(total)
            print(f"  round {round_} done{'' if counted else ' (warm-up)'}", flush=True)
    report(timings, totals, args, database_url)


def bare_client(es, query_string: str) -> float:
    """Milliseconds for the same request sent by the Elasticsearch client alone (no Flask, no
    parsing, no results): the floor under the endpoint's time. Not from the request cache."""
    query = ListingQuery.from_args(MultiDict(parse_qsl(query_string)))
    body = es_backend.build_search(query, Clock.current())
    started = time.perf_counter()
    es.search(index=INDEX_ALIAS, body=body, filter_path=es_backend.FILTER_PATH, request_cache=False)
    return (time.perf_counter() - started) * 1000


def report(timings, totals, args, database_url) -> None:
    def p(values, q):
        if not values:
            return math.nan
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1]

    agree = sum(e == m for e, m in zip(totals["elasticsearch"], totals["embedded"], strict=False))
    load = os.getloadavg()
    print()
    print(
        f"{args.queries} queries x {args.rounds} rounds, {platform.processor() or 'cpu'}, "
        f"{os.cpu_count()} cores, load {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}"
    )
    print(
        f"Totals equal on both backends for {agree} of {len(totals['embedded'])} queries; "
        f"median total {statistics.median(totals['elasticsearch']):.0f}"
    )
    print("| variant | p50 ms | p95 ms |")
    print("|---|---|---|")
    for name, label in (
        ("elasticsearch", "JSON endpoint, Elasticsearch backend"),
        ("took", "Elasticsearch `took`"),
        ("cpu", "CPU time of our process per request (Elasticsearch backend)"),
        ("client", "the same request by the Elasticsearch client alone"),
        ("embedded", "JSON endpoint, embedded backend (PostgreSQL)"),
        ("naive", "naive PostgreSQL (ILIKE + GROUP BY per facet)"),
    ):
        print(f"| {label} | {p(timings[name], 50):.1f} | {p(timings[name], 95):.1f} |")
    es50, es95 = p(timings["elasticsearch"], 50), p(timings["elasticsearch"], 95)
    print(
        f"endpoint / took: p50 {es50 / p(timings['took'], 50):.2f}x, "
        f"p95 {es95 / p(timings['took'], 95):.2f}x"
    )
    print(
        f"client alone / took: p50 {p(timings['client'], 50) / p(timings['took'], 50):.2f}x, "
        f"p95 {p(timings['client'], 95) / p(timings['took'], 95):.2f}x"
    )
    print(
        f"naive / endpoint: p50 {p(timings['naive'], 50) / es50:.1f}x, "
        f"p95 {p(timings['naive'], 95) / es95:.1f}x"
    )
    print(
        f"embedded / endpoint: p50 {p(timings['embedded'], 50) / es50:.1f}x, "
        f"p95 {p(timings['embedded'], 95) / es95:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", action="store_true", help="rebuild the bench index first")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--variants",
        type=lambda text: text.split(","),
        default=["elasticsearch", "embedded", "naive"],
        help="comma-separated: elasticsearch,embedded,naive (default: all three)",
    )
    measure(parser.parse_args())


if __name__ == "__main__":
    main()
