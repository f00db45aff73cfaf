"""`manage.py reindex` on the real PostgreSQL and Elasticsearch: it builds an index equal to the
database, swaps the aliases only then, refuses to run twice, survives a crashed run, and loses no
change committed while it runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from indexer import bulk, listing_source
from indexer.rebuild import Rebuild, RebuildFailed
from indexer.reindex_lock import ReindexRunning, is_locked, reindex_lock
from models import Listing, ListingStatus, db
from search.index import write_targets
from tests.conftest import TEST_INDEX
from tests.index_helpers import (
    aliases,
    index_differences,
    listing_ids,
    pending_entries,
    run,
    seed_listings,
)

# The pipeline manages this module's index (see conftest.index_follows_commits).
OWN_INDEX = True

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(app):
    return app.extensions["settings"]


def test_reindex_builds_an_index_equal_to_the_database_and_moves_both_aliases(app, es, settings):
    seed_listings(app, 250)
    db.session.execute(
        update(Listing).where(Listing.id % 5 == 0).values(status=ListingStatus.deleted)
    )
    db.session.commit()

    result = run(app, "reindex")

    live = aliases(es, settings)
    assert len(live["read"]) == 1 and live["write"] == live["read"] and live["building"] == []
    assert index_differences(es, live["read"][0]) == []
    assert es.count(index=live["read"][0])["count"] == 250  # deleted listings stay, by status
    assert "250 documents, checked against 250 listings" in result.output
    assert "documents/s" in result.output
    # Live with the pipeline's settings and merged into one segment.
    index_settings = es.indices.get_settings(index=live["read"][0])[live["read"][0]]["settings"]
    assert index_settings["index"]["refresh_interval"] == "1s"
    assert index_settings["index"]["translog"]["durability"] == "request"
    segments = es.indices.segments(index=live["read"][0])["indices"][live["read"][0]]["shards"]
    assert [len(copy["segments"]) for copy in segments["0"]] == [1]


def test_a_second_reindex_replaces_the_first_and_deletes_it_unless_kept(app, es, settings):
    seed_listings(app, 30)
    run(app, "reindex")
    first = aliases(es, settings)["read"]

    run(app, "reindex", "--keep-old")
    second = aliases(es, settings)["read"]
    assert second != first
    assert es.indices.exists(index=first[0])  # kept, with no alias left on it
    assert es.indices.get_alias(index=first[0])[first[0]]["aliases"] == {}

    run(app, "reindex")
    assert not es.indices.exists(index=second[0])
    assert aliases(es, settings)["write"] == aliases(es, settings)["read"]


def test_an_index_that_disagrees_with_the_database_never_goes_live(app, es, settings):
    seed_listings(app, 40)
    run(app, "reindex")
    live_before = aliases(es, settings)["read"]
    victim = listing_ids()[3]

    @contextmanager
    def sabotage_after_load(total):
        yield lambda n: None
        # A rogue write once the load is done: a version the database never had.
        (new_index,) = aliases(es, settings)["building"]
        es.index(
            index=new_index,
            id=str(victim),
            version=999,
            version_type="external",
            document=_document_of(victim),
        )

    with pytest.raises(RebuildFailed, match=f"listing {victim}"):
        Rebuild(es, db.engine, settings, progress=sabotage_after_load).run()

    after = aliases(es, settings)
    assert after["read"] == live_before and after["write"] == live_before
    assert after["building"] == []
    assert es.indices.get(index=f"{TEST_INDEX}-*").keys() == set(live_before)


def test_a_rebuild_from_a_much_smaller_database_does_not_go_live(app, es, settings):
    seed_listings(app, 40)
    run(app, "reindex")
    live_before = aliases(es, settings)["read"]
    db.session.execute(text("DELETE FROM outbox"))
    db.session.execute(text("DELETE FROM favorites"))
    db.session.execute(text("DELETE FROM listings WHERE id % 2 = 0"))
    db.session.commit()

    result = run(app, "reindex", exit_code=1)

    assert "looks like the wrong database" in result.output
    assert aliases(es, settings)["read"] == live_before
    run(app, "reindex", "--allow-shrink")
    assert es.count(index=aliases(es, settings)["read"][0])["count"] == 20


def test_a_second_reindex_is_refused_while_one_runs(app, es, settings):
    seed_listings(app, 30)
    loading, release = threading.Event(), threading.Event()
    outcome: dict = {}

    @contextmanager
    def held_open(total):
        loading.set()
        release.wait(30)  # the first run waits here, lock held, until the test lets it go
        yield lambda n: None

    def first_run():
        with app.app_context():
            try:
                outcome["report"] = Rebuild(es, db.engine, settings, progress=held_open).run()
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                outcome["error"] = error

    thread = threading.Thread(target=first_run)
    thread.start()
    try:
        assert loading.wait(30)
        result = run(app, "reindex", exit_code=1)
        assert "Another reindex" in result.output
        assert "a reindex is running" in run(app, "index-status").output
    finally:
        release.set()
        thread.join(60)
    assert "error" not in outcome, outcome
    assert aliases(es, settings)["read"] == [outcome["report"].index]


def test_a_killed_reindex_frees_the_lock_and_its_leftover_index_is_dropped(
    app, es, settings, database_url
):
    seed_listings(app, 3000)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ELASTICSEARCH_URL": str(settings.ELASTICSEARCH_URL),
        "ELASTICSEARCH_INDEX": TEST_INDEX,
        "SECRET_KEY": settings.SECRET_KEY,
        "CLASSIFIEDS_ENV": "test",
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "reindex"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: aliases(es, settings)["building"], timeout=60)
        process.send_signal(signal.SIGKILL)  # no clean-up code runs
    finally:
        process.wait(30)
    (leftover,) = aliases(es, settings)["building"]

    # The server ends the dead process's session, and its lock with it.
    _wait_for(lambda: not is_locked(db.engine, TEST_INDEX), timeout=10)
    assert "left by an interrupted reindex" in run(app, "index-status").output
    result = run(app, "reindex")

    assert f"Deleted {leftover}" in result.output
    assert not es.indices.exists(index=leftover)
    assert index_differences(es, aliases(es, settings)["read"][0]) == []


def test_the_lock_refuses_a_second_holder(app):
    with reindex_lock(db.engine, TEST_INDEX):
        assert is_locked(db.engine, TEST_INDEX)
        with pytest.raises(ReindexRunning), reindex_lock(db.engine, TEST_INDEX):
            pass
    with reindex_lock(db.engine, TEST_INDEX):  # released on the way out
        pass


def test_reindex_with_writes_running_alongside_equals_the_database(app, es, settings):
    seed_listings(app, 3000)
    run(app, "reindex")  # a live index to write to, as on a running site
    ids = listing_ids()
    stop = threading.Event()
    writes = {"total": 0, "while_building": 0}

    def writer():
        """Change listings through the ORM, and deliver each change the way the pipeline does:
        to every write target. The targets are looked up *before* the commit, the worst order a
        relay may use, so a change can miss an index that appears in between."""
        with app.app_context(), Session(db.engine) as session:
            n = 0
            while not stop.is_set():
                targets = write_targets(es, settings)
                listing = session.get(Listing, ids[(n * 37) % len(ids)])
                listing.title = f"Edited {n}: {listing.title}"[:120]
                if n % 3 == 0:
                    listing.status = ListingStatus.hidden
                elif n % 3 == 1:
                    listing.status = ListingStatus.active
                session.commit()
                changed = listing_source.by_ids(session, [listing.id])
                bulk.send(es, bulk.index_actions(changed, targets))
                writes["total"] += 1
                writes["while_building"] += len(targets) > 1
                n += 1

    @contextmanager
    def paced_by_the_writer(total):
        # However fast the load, each of its bulk answers waits (a few seconds at most) for two
        # more writes into both indices, so the writes really run alongside the build.
        def advance(n: int) -> None:
            wanted = writes["while_building"] + 2
            _wait_for(lambda: writes["while_building"] >= wanted, timeout=10)

        yield advance

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        _wait_for(lambda: writes["total"] >= 5, timeout=30)
        report = Rebuild(es, db.engine, settings, progress=paced_by_the_writer).run()
    finally:
        stop.set()
        thread.join(60)

    assert writes["while_building"] >= 5, writes
    assert index_differences(es, report.index) == []
    assert aliases(es, settings)["read"] == [report.index]


def test_a_reindex_settles_the_outbox_of_the_data_it_loaded(app, es, settings):
    seed_listings(app, 120)  # one pending entry per listing, as a seed leaves them
    assert pending_entries(db.session) == 120
    result = run(app, "reindex")
    assert "Marked 120 outbox entries done" in result.output
    assert pending_entries(db.session) == 0
    (live,) = aliases(es, settings)["read"]
    assert index_differences(es, live) == []


def test_changes_committed_during_the_load_that_nobody_delivers_are_replayed(app, es, settings):
    seed_listings(app, 200)
    run(app, "reindex")
    ids = listing_ids()
    changed: set[int] = set()

    @contextmanager
    def commit_changes_mid_load(total):
        # After the snapshot is taken and before the load ends, change listings the way a
        # request does, with no worker to deliver them: only the replay can bring them in.
        with app.app_context(), Session(db.engine) as session:
            for listing_id in ids[10:15]:
                session.get(Listing, listing_id).status = ListingStatus.sold
                session.commit()
                changed.add(listing_id)
        yield lambda n: None

    report = Rebuild(es, db.engine, settings, progress=commit_changes_mid_load).run()

    assert report.replayed == len(changed) == 5
    assert report.repaired == 0  # the replay caught them all, verification had nothing left
    assert index_differences(es, report.index) == []


def _document_of(listing_id: int) -> dict:
    from search.document import to_document

    listing = db.session.scalar(select(Listing).where(Listing.id == listing_id))
    return to_document(listing)


def _wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
