"""Faults of the real servers and workers: nothing written to PostgreSQL is lost on its way to
Elasticsearch, and nothing in the index goes backwards.

The servers stopped here are private copies (tests/servers.py), started once for this module on
free loopback ports, so the shared ones other test runs use stay up. PostgreSQL (this run's own
database) and, where nothing stops it, Elasticsearch are the shared ones.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

import pytest
import redis
from elasticsearch import Elasticsearch
from sqlalchemy import func, insert, select, text

from indexer.celery_app import DEFAULT_QUEUE, INDEX_QUEUE
from indexer.mail import send_mails
from indexer.pipeline import relay_outbox
from indexer.sync import BATCH
from models import Listing, ListingStatus, OutboxEntry, OutboxOp, db, lifecycle, utcnow
from scripts.services import wait_for
from search.index import get_client
from tests.conftest import TEST_INDEX
from tests.helpers import submit
from tests.index_helpers import database_state, index_state, pending_entries
from tests.listing_helpers import listing_form
from tests.servers import CeleryWorker, PrivateElasticsearch, PrivateRedis, private_root

# The pipeline manages this module's index (see conftest.index_follows_commits).
OWN_INDEX = True


@pytest.fixture(scope="module", autouse=True)
def private_servers():
    """A private Redis, up at once, and a private Elasticsearch that boots in the background
    from the start of the module (it takes half a minute or more on two cores): the tests that
    stop only Redis or a worker run on the shared Elasticsearch meanwhile, and the one that
    stops Elasticsearch runs last."""
    root = private_root()
    private_redis, es = PrivateRedis(root), PrivateElasticsearch(root)
    with ThreadPoolExecutor(max_workers=1) as booter:
        booting = booter.submit(es.up)
        try:
            private_redis.up()
            yield SimpleNamespace(redis=private_redis, es=es, es_booted=booting.result)
        finally:
            with contextlib.suppress(Exception):
                booting.result()  # never stop a node halfway through its start
            es.down()
            private_redis.down()
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def es(app):
    return get_client(app.extensions["settings"])


def caught_up(es: Elasticsearch) -> bool:
    """Every entry carried and the index holding exactly the database's ids and versions."""
    return pending_entries(db.session) == 0 and index_state(es, TEST_INDEX) == database_state(
        db.session
    )


def wait_until_caught_up(es: Elasticsearch, timeout: float) -> None:
    def check() -> bool:
        db.session.rollback()  # a fresh snapshot each time
        return caught_up(es)

    assert wait_for(check, timeout, 0.5), (
        f"not caught up after {timeout} s: {pending_entries(db.session)} entries pending; "
        f"index {index_state(es, TEST_INDEX)} vs database {database_state(db.session)}"
    )


class TestWithRealWorkers:
    """A real `celery worker` with beat, on the private Redis and the shared Elasticsearch."""

    @pytest.fixture
    def settings_overrides(self, private_servers):
        return {
            "REDIS_URL": private_servers.redis.url,
            "TASKS_EAGER": False,  # the site sends through Redis, as in production
        }

    @pytest.fixture
    def worker_env(self, app, database_url, tmp_path):
        settings = app.extensions["settings"]
        return {
            "CLASSIFIEDS_ENV": "test",
            "SECRET_KEY": "worker-test-secret-key-0123",
            "DATABASE_URL": database_url,
            "REDIS_URL": str(settings.REDIS_URL),
            "ELASTICSEARCH_URL": str(settings.ELASTICSEARCH_URL),
            "ELASTICSEARCH_INDEX": settings.ELASTICSEARCH_INDEX,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "MAIL_ENABLED": "false",
        }

    @pytest.fixture
    def workers(self, worker_env, tmp_path, private_servers):
        """Start workers with `workers(beat=True)`; all are stopped after the test."""
        started: list[CeleryWorker] = []

        def start(beat: bool = True, queues: str | None = None) -> CeleryWorker:
            private_servers.redis.up()  # a worker needs its broker to start
            worker = CeleryWorker(worker_env, tmp_path, beat=beat, queues=queues)
            started.append(worker)
            return worker.start()

        yield start
        for worker in started:
            worker.stop()

    def test_writes_while_redis_is_stopped_succeed_and_reach_the_index_when_it_returns(
        self, private_servers, make_user, make_listing, listing_index, es, workers
    ):
        worker = workers(beat=True)
        owner = make_user()
        first = make_listing(owner=owner)
        wait_until_caught_up(es, timeout=30)  # through Redis and the worker

        private_servers.redis.down()
        try:
            started = time.monotonic()
            later = [make_listing(owner=owner, title=f"Redis down {n}") for n in range(3)]
            first.title = "Edited while Redis was down"
            lifecycle.mark_sold(later[0])
            db.session.commit()
            assert time.monotonic() - started < 10  # each write failed fast to queue, and stood
        finally:
            private_servers.redis.up()

        wait_until_caught_up(es, timeout=60)  # beat's relay, once the worker has reconnected
        assert worker.alive(), worker.log()[-3000:]

    def test_the_index_worker_keeps_search_current_while_the_mail_queue_is_backed_up(
        self, app, private_servers, make_user, make_listing, listing_index, es, workers
    ):
        broker = redis.Redis.from_url(private_servers.redis.url)
        broker.delete(DEFAULT_QUEUE, INDEX_QUEUE)
        backlog = 200
        for _ in range(backlog):  # an alert run's mail, with no worker on its queue
            send_mails.apply_async(args=([],))
        workers(beat=True, queues=INDEX_QUEUE)

        owner = make_user()
        listing = make_listing(owner=owner, title="Searchable despite the mail")
        wait_until_caught_up(es, timeout=20)
        listing.title = "Edited despite the mail"
        db.session.commit()
        wait_until_caught_up(es, timeout=20)
        assert broker.llen(DEFAULT_QUEUE) == backlog, "the index worker took none of the mail"
        broker.delete(DEFAULT_QUEUE)

    def test_a_worker_killed_in_the_middle_of_a_bulk_loses_nothing(
        self, make_user, categories, listing_index, es, workers
    ):
        count = 2_500
        insert_pending_listings(make_user().id, categories["bikes"].id, count)
        db.session.commit()

        # Kill it while a bulk is under way: documents have reached the index that the
        # outbox does not yet count as done (their transaction has not committed). Polling
        # for that moment alone can miss it on a busy machine, so the worker is held there:
        # a SHARE lock on the outbox lets it lock its entries (FOR UPDATE) and write to
        # Elasticsearch, but not mark them done.
        seen = {}

        def mid_bulk() -> bool:
            es.indices.refresh(index=TEST_INDEX)
            seen["indexed"] = es.count(index=TEST_INDEX)["count"]
            db.session.rollback()
            seen["done"] = count - pending_entries(db.session)
            # Two batches or more still to go, so the killed run cannot be the last one.
            return seen["done"] <= count - 2 * BATCH and seen["indexed"] > seen["done"]

        with db.engine.connect() as holder:
            holder.execute(text(f"LOCK TABLE {OutboxEntry.__tablename__} IN SHARE MODE"))
            worker = workers(beat=True)
            assert wait_for(mid_bulk, 60, 0.05), f"never caught a bulk in flight: {seen}"
            worker.kill()
            assert not worker.alive()
            holder.rollback()
        db.session.rollback()
        assert pending_entries(db.session) > 0  # the killed run's work was not all marked

        workers(beat=True)
        wait_until_caught_up(es, timeout=90)
        done = db.session.scalar(select(func.count()).where(OutboxEntry.processed_at.is_not(None)))
        assert done == count


class TestElasticsearchStopped:
    """Elasticsearch is the private node; tasks run in-process after each commit."""

    @pytest.fixture
    def settings_overrides(self, private_servers):
        private_servers.es_booted()
        return {
            "ELASTICSEARCH_URL": private_servers.es.url,
            "REDIS_URL": private_servers.redis.url,
            "TASKS_EAGER": True,
        }

    def test_writes_while_it_is_stopped_all_arrive_once_it_is_back(
        self,
        client,
        private_servers,
        make_user,
        login_as,
        make_listing,
        categories,
        listing_index,
        es,
    ):
        owner = login_as(make_user())
        before = [make_listing(owner=owner) for _ in range(4)]
        assert index_state(es, TEST_INDEX) == database_state(db.session)

        private_servers.es.down()
        try:
            started = time.monotonic()
            form = listing_form(categories["bikes"].id, title="Posted while search was down")
            response = submit(client, "/listings/new", form, content_type="multipart/form-data")
            assert response.status_code == 302  # the site took the write
            created = [make_listing(owner=owner, title=f"Offline {n}") for n in range(3)]
            before[0].title = "Edited while search was down"
            created[0].price_minor = 12_300
            db.session.commit()
            lifecycle.delete(before[1])
            lifecycle.delete(created[1])
            lifecycle.mark_sold(before[2])
            db.session.commit()
            assert time.monotonic() - started < 30  # no write waited for the dead server
            assert pending_entries(db.session) >= 9
        finally:
            private_servers.es.up()

        # What beat does every 2 s; the back-off after the failures is at most 30 s.
        def relayed() -> bool:
            relay_outbox.apply().get()
            return pending_entries(db.session) == 0

        assert wait_for(relayed, 60, 1.0)
        assert index_state(es, TEST_INDEX) == database_state(db.session)
        statuses = {status for _, status in index_state(es, TEST_INDEX).values()}
        assert statuses == {"active", "deleted", "sold"}


def insert_pending_listings(owner_id: int, category_id: int, count: int) -> None:
    """Listings and their pending outbox entries written in bulk, as `manage.py seed` does."""
    now = utcnow()
    rows = [
        {
            "owner_id": owner_id,
            "category_id": category_id,
            "title": f"Bulk bike {n}",
            "description": "A bike written in bulk for the worker-kill test.",
            "price_minor": 10_000 + n,
            "price_kind": "fixed",
            "currency": "USD",
            "status": ListingStatus.active,
            "city": "San Francisco",
            "state": "CA",
            "zip_code": "94103",
            "latitude": 37.77,
            "longitude": -122.41,
            "expires_at": now + timedelta(days=30),
            "published_at": now,
            "version": 1,
        }
        for n in range(count)
    ]
    table = Listing.__table__
    ids = db.session.scalars(insert(table).returning(table.c.id), rows).all()
    entry = {"version": 1, "op": OutboxOp.upsert, "created_at": now}
    db.session.execute(insert(OutboxEntry.__table__), [{**entry, "listing_id": i} for i in ids])
