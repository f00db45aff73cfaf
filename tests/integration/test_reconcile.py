"""`manage.py reconcile` and `manage.py index-status` on the real PostgreSQL and Elasticsearch."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, insert, select, update

from models import Listing, ListingStatus, OutboxEntry, db
from search.document import to_document
from search.index import building_alias, create_index
from tests.index_helpers import (
    aliases,
    index_differences,
    listing_ids,
    run,
    seed_listings,
)

# The pipeline manages this module's index (see conftest.index_follows_commits).
OWN_INDEX = True


@pytest.fixture
def settings(app):
    return app.extensions["settings"]


@pytest.fixture
def drifted(app, es, settings):
    """A live index with one listing of each kind of difference; returns their ids by kind."""
    seed_listings(app, 20)
    run(app, "reindex")
    (index,) = aliases(es, settings)["read"]
    stale, diverged = listing_ids()[3:5]
    extra = max(listing_ids()) + 1000
    missing = _insert_behind_the_orms_back(copy_of=stale)
    # Changed behind the ORM's back: no outbox entry, so the pipeline never hears of it.
    db.session.execute(
        update(Listing)
        .where(Listing.id == stale)
        .values(version=Listing.version + 1, status=ListingStatus.sold)
    )
    db.session.commit()
    listing = db.session.get(Listing, diverged)
    es.index(
        index=index,
        id=str(diverged),
        version=listing.version + 5,  # as after restoring an older database backup
        version_type="external",
        document=to_document(listing),
    )
    es.index(index=index, id=str(extra), document={**to_document(listing), "listing_id": extra})
    es.indices.refresh(index=index)
    return {"missing": missing, "stale": stale, "diverged": diverged, "extra": extra}


def _insert_behind_the_orms_back(copy_of: int) -> int:
    """A listing row that no outbox entry announces: its document never reaches the index."""
    columns = [c for c in Listing.__table__.columns if c.name != "id"]
    db.session.execute(
        insert(Listing).from_select(
            [c.name for c in columns], select(*columns).where(Listing.id == copy_of)
        )
    )
    db.session.commit()
    return max(listing_ids())


def outbox_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OutboxEntry))


def test_dry_run_prints_each_difference_changes_nothing_and_exits_1(app, es, settings, drifted):
    before = outbox_count()

    result = run(app, "reconcile", "--dry-run", exit_code=1)

    for kind, listing_id in drifted.items():
        assert f"{kind:<8} listing {listing_id}:" in result.output
    assert "1 missing, 1 stale, 1 diverged, 1 extra" in result.output
    assert "Compared 21 listings with 21 documents" in result.output
    assert outbox_count() == before
    (index,) = aliases(es, settings)["read"]
    assert len(index_differences(es, index)) == 4


def test_reconcile_queues_outbox_entries_and_deletes_documents_without_a_listing(
    app, es, settings, drifted
):
    diverged_index_version = es.get(
        index=aliases(es, settings)["read"][0], id=str(drifted["diverged"])
    )["_version"]

    before = db.session.scalar(select(func.max(OutboxEntry.id))) or 0
    result = run(app, "reconcile")

    assert "3 outbox entries queued" in result.output
    # Tasks run in-process here, so the pipeline may already have carried the entries over.
    queued = {
        entry.listing_id: entry.version
        for entry in db.session.scalars(select(OutboxEntry).where(OutboxEntry.id > before))
    }
    rows = {i: db.session.get(Listing, i).version for i in (drifted["missing"], drifted["stale"])}
    assert queued[drifted["missing"]] == rows[drifted["missing"]]
    assert queued[drifted["stale"]] == rows[drifted["stale"]]
    # The row moved past the index's version, so the relay's next write wins.
    diverged_row = db.session.get(Listing, drifted["diverged"])
    assert diverged_row.version == diverged_index_version + 1
    assert queued[drifted["diverged"]] == diverged_row.version
    (index,) = aliases(es, settings)["read"]
    assert not es.exists(index=index, id=str(drifted["extra"]))


def test_reconcile_now_repairs_the_index_itself(app, es, settings, drifted):
    result = run(app, "reconcile", "--now")

    # The queued entries' own after-commit sync (in-process here) may beat the direct send.
    sent = re.search(
        r"Sent now: (\d+) written, (\d+) already newer in the index, 0 refused", result.output
    )
    assert sent and int(sent[1]) + int(sent[2]) == 3, result.output
    run(app, "reconcile", "--dry-run")  # exit code 0: nothing differs any more
    (index,) = aliases(es, settings)["read"]
    assert index_differences(es, index) == []


def test_reconcile_without_an_index_says_to_reindex(app, es):
    result = run(app, "reconcile", exit_code=1)
    assert "run reindex" in result.output


def test_index_status_shows_aliases_counts_and_the_outbox(app, es, settings):
    seed_listings(app, 25)
    run(app, "reindex")  # which settles the seed's outbox entries
    seed_listings(app, 5, random_seed=8)  # queued, and nothing runs the relay
    (index,) = aliases(es, settings)["read"]
    leftover = f"{settings.ELASTICSEARCH_INDEX}-19990101000000000000"
    create_index(es, leftover)
    es.indices.put_alias(index=leftover, name=building_alias(settings))

    output = run(app, "index-status").output

    assert f"Search alias  {settings.ELASTICSEARCH_INDEX} -> {index} (25 documents)" in output
    assert f"-write -> {index}" in output
    assert f"Building      {leftover}" in output
    assert "left by an interrupted reindex" in output
    assert "Outbox        5 pending, the oldest" in output


@pytest.mark.parametrize("command", ["reindex", "reconcile", "index-status"])
@pytest.mark.parametrize("settings_overrides", [{"ELASTICSEARCH_URL": None}])
def test_commands_say_so_when_elasticsearch_is_not_configured(app, command):
    result = run(app, command, exit_code=1)
    assert "ELASTICSEARCH_URL is not set" in result.output


@pytest.mark.parametrize("command", ["reindex", "reconcile", "index-status"])
@pytest.mark.parametrize(
    "settings_overrides", [{"ELASTICSEARCH_URL": "http://elastic:hunter22@127.0.0.1:9"}]
)
def test_commands_say_so_when_elasticsearch_is_unreachable(app, command):
    result = run(app, command, exit_code=1)
    assert "Cannot reach Elasticsearch at http://127.0.0.1:9" in result.output
    assert "hunter22" not in result.output
