"""The index pipeline on the real services: every change of a listing written through the app
reaches Elasticsearch (tasks run in-process after each commit, TASKS_EAGER), with its row
version as the document version; the relay carries what the fast path missed; poison entries
are parked; processed entries are pruned."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import redis
from sqlalchemy import select, update

from indexer.pipeline import prune_outbox, relay_outbox, sync_listings
from indexer.rebuild import Rebuild
from indexer.reconcile import reconcile
from indexer.sync import MAX_ATTEMPTS, bulk_index
from models import (
    Category,
    Listing,
    ListingImage,
    ListingStatus,
    OutboxEntry,
    db,
    lifecycle,
    utcnow,
)
from search import answers
from search.document import INDEX_SETTINGS, ListingDocument, to_document
from search.index import get_client, read_alias, write_alias
from tests.conftest import TEST_INDEX, _drop_test_indices
from tests.helpers import submit
from tests.index_helpers import (
    database_state,
    document,
    index_state,
    pending_entries,
    run,
    searchable_ids,
)
from tests.listing_helpers import listing_form

# The pipeline manages this module's index (see conftest.index_follows_commits).
OWN_INDEX = True

S = ListingStatus


@pytest.fixture
def es(app):
    return get_client(app.extensions["settings"])


@pytest.fixture
def drop_indices(app):
    """For tests that let the pipeline create the index itself."""
    yield
    _drop_test_indices(str(app.extensions["settings"].ELASTICSEARCH_URL))


def reloaded(listing: Listing) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


def test_a_listing_posted_edited_and_sold_through_the_site_follows_into_the_index(
    client, make_user, login_as, categories, listing_index, es
):
    login_as(make_user())
    form = listing_form(categories["bikes"].id, title="Vintage road bike")
    submit(client, "/listings/new", form, content_type="multipart/form-data")
    listing = db.session.scalars(select(Listing)).one()
    assert document(es, TEST_INDEX, listing.id)["title"] == "Vintage road bike"

    form = listing_form(categories["bikes"].id, title="Vintage road bike, 58 cm")
    submit(client, f"/listings/{listing.id}/edit", form, content_type="multipart/form-data")
    submit(client, f"/listings/{listing.id}/sold", form_url="/")

    stored = document(es, TEST_INDEX, listing.id)
    assert (stored["_version"], stored["version"]) == (3, 3)
    assert stored["title"] == "Vintage road bike, 58 cm"
    assert stored["status"] == "sold"  # kept, with its status: searches filter it out
    assert stored["category_path"] == ["for-sale", "bikes"]
    assert index_state(es, TEST_INDEX) == database_state(db.session)
    assert pending_entries(db.session) == 0


def test_photos_reach_the_document(make_listing, listing_index, es):
    listing = make_listing()
    assert document(es, TEST_INDEX, listing.id)["has_photo"] is False
    listing.images.append(ListingImage(storage_key="k" * 32, width=800, height=600))
    db.session.commit()
    stored = document(es, TEST_INDEX, listing.id)
    assert (stored["has_photo"], stored["thumbnail_key"], stored["_version"]) == (
        True,
        "k" * 32,
        2,
    )


def test_disabling_an_account_takes_its_listings_out_and_enabling_brings_them_back(
    make_user, make_listing, listing_index, es
):
    seller, other = make_user(), make_user()
    mine = [make_listing(owner=seller), make_listing(owner=seller)]
    theirs = make_listing(owner=other)

    seller.active = False
    db.session.commit()
    for listing in mine:
        stored = document(es, TEST_INDEX, listing.id)
        assert (stored["owner_active"], stored["_version"]) == (False, 2)
    assert document(es, TEST_INDEX, theirs.id)["_version"] == 1

    seller.active = True
    db.session.commit()
    assert [document(es, TEST_INDEX, x.id)["owner_active"] for x in mine] == [True, True]
    assert index_state(es, TEST_INDEX) == database_state(db.session)


def test_a_listing_loaded_before_its_owner_was_disabled_can_still_be_changed(
    make_user, make_listing, listing_index, es
):
    seller = make_user()
    listing = make_listing(owner=seller)
    seller.active = False
    db.session.commit()  # the listing's version moved on in SQL; the loaded copy reloads it
    listing.title = "Still editable"
    db.session.commit()
    assert document(es, TEST_INDEX, listing.id)["_version"] == 3


def test_renaming_or_moving_a_category_reaches_the_documents_in_it(
    make_listing, categories, listing_index, es
):
    bike = make_listing(category=categories["bikes"])
    car = make_listing(category=categories["cars-and-trucks"])

    categories["bikes"].slug = "bicycles"
    db.session.commit()
    assert document(es, TEST_INDEX, bike.id)["category_path"] == ["for-sale", "bicycles"]
    assert document(es, TEST_INDEX, car.id)["_version"] == 1

    categories["for-sale"].slug = "goods"  # a section: every subcategory's path shows it
    db.session.commit()
    assert document(es, TEST_INDEX, bike.id)["category_path"] == ["goods", "bicycles"]

    categories["bikes"].parent = categories["vehicles"]
    db.session.commit()
    assert document(es, TEST_INDEX, bike.id)["category_path"] == ["vehicles", "bicycles"]
    assert index_state(es, TEST_INDEX) == database_state(db.session)


def test_the_expiry_warning_neither_bumps_the_version_nor_fails_an_owners_edit(
    app, make_listing, listing_index, es
):
    listing = make_listing(expires_at=utcnow() + timedelta(days=1))
    owner_session = db.sessionmaker(bind=db.engine)()  # the owner's edit, read before the job
    try:
        owners_copy = owner_session.get(Listing, listing.id)

        from indexer.lifecycle import expire_listings

        assert expire_listings.apply().get()["warned"] == 1
        assert reloaded(listing).version == 1
        entries = db.session.scalars(select(OutboxEntry.version)).all()
        assert entries == [1]

        owners_copy.title = "Edited while the warning went out"
        owner_session.commit()  # no StaleDataError: the job did not move the version
    finally:
        owner_session.close()
    listing = reloaded(listing)
    assert (listing.version, listing.expiry_warned_at is not None) == (2, True)
    assert document(es, TEST_INDEX, listing.id)["title"] == "Edited while the warning went out"


def test_visible_at_is_when_the_listing_last_became_searchable(make_listing, listing_index, es):
    listing = make_listing()
    posted = reloaded(listing).published_at
    assert posted is not None
    assert document(es, TEST_INDEX, listing.id)["visible_at"].startswith(posted.isoformat()[:19])

    listing.title = "An edit is not a new publication"
    db.session.commit()
    assert reloaded(listing).published_at == posted

    lifecycle.mark_sold(listing)
    db.session.commit()
    assert reloaded(listing).published_at == posted

    lifecycle.renew(listing, ttl_days=30)
    db.session.commit()
    renewed = reloaded(listing).published_at
    assert renewed > posted

    lifecycle.hide(listing)
    db.session.commit()
    lifecycle.restore(listing)
    db.session.commit()
    restored = reloaded(listing).published_at
    assert restored > renewed
    assert document(es, TEST_INDEX, listing.id)["visible_at"].startswith(restored.isoformat()[:19])


def test_a_listing_posted_in_the_past_was_visible_from_then(make_listing, listing_index):
    then = utcnow() - timedelta(days=3)
    assert reloaded(make_listing(created_at=then)).published_at == then
    assert reloaded(make_listing(status=S.hidden)).published_at is None


def test_without_an_index_entries_wait_and_the_relay_creates_one_when_nothing_is_lost(
    make_listing, es, drop_indices
):
    listings = [make_listing() for _ in range(3)]
    assert pending_entries(db.session) == 3  # no index: nothing written, nothing lost

    result = relay_outbox.apply().get()
    assert result["done"] == 3
    assert index_state(es, TEST_INDEX) == database_state(db.session)
    assert {listing.id for listing in listings} == set(index_state(es, TEST_INDEX))


def test_the_relay_will_not_create_an_index_that_would_miss_listings(
    app, make_listing, es, drop_indices, caplog
):
    make_listing()
    db.session.execute(update(OutboxEntry).values(processed_at=utcnow()))  # long done
    db.session.commit()
    make_listing()
    result = relay_outbox.apply().get()
    assert result["no_index"] is True and result["done"] == 0
    assert not es.indices.exists_alias(name=read_alias(app.extensions["settings"]))
    assert "run `manage.py reindex`" in caplog.text
    assert pending_entries(db.session) == 1


def test_the_relay_carries_what_the_fast_path_missed(request, make_listing, es):
    # Written before the index existed: as if the after-commit messages had been lost.
    listings = [make_listing() for _ in range(4)]
    request.getfixturevalue("listing_index")
    assert index_state(es, TEST_INDEX) == {}

    result = relay_outbox.apply().get()
    assert (result["taken"], result["done"]) == (4, 4)
    assert set(index_state(es, TEST_INDEX)) == {listing.id for listing in listings}


def test_a_sync_task_takes_the_backlog_along_so_queued_tasks_find_nothing_left(
    request, make_listing, es
):
    listings = [make_listing() for _ in range(5)]  # no index yet: all five wait
    request.getfixturevalue("listing_index")
    first = sync_listings.apply(args=[[listings[-1].id]]).get()
    assert (first["taken"], first["done"]) == (5, 5)
    assert sync_listings.apply(args=[[listings[0].id]]).get()["taken"] == 0
    assert set(index_state(es, TEST_INDEX)) == {listing.id for listing in listings}


def test_a_409_inside_a_bulk_is_success_for_that_listing_and_fails_nothing_else(
    app, make_listing, listing_index, es
):
    ahead, *others = [make_listing() for _ in range(3)]
    # The index already holds a newer version of one listing than the database sends.
    body = to_document(ahead)
    es.index(index=TEST_INDEX, id=str(ahead.id), document=body, version=7, version_type="external")
    db.session.execute(update(OutboxEntry).values(processed_at=None))
    db.session.commit()

    result = relay_outbox.apply().get()
    assert (result["done"], result["refused"], result["retry"]) == (3, 0, 0)
    assert document(es, TEST_INDEX, ahead.id)["_version"] == 7
    assert pending_entries(db.session) == 0


def test_a_late_write_of_an_older_version_never_replaces_the_newer(
    app, make_listing, listing_index, es
):
    listing = make_listing(title="First title")
    old = (listing.id, listing.version, to_document(listing))
    listing.title = "Second title"
    db.session.commit()
    new = (listing.id, listing.version, to_document(listing))
    alias = write_alias(app.extensions["settings"])

    # Applied in reverse: the newer version first (already there), the older one late.
    assert list(bulk_index(es, alias, [new])) == [(listing.id, ("ok", ""))]
    assert list(bulk_index(es, alias, [old])) == [(listing.id, ("ok", ""))]  # a 409
    stored = document(es, TEST_INDEX, listing.id)
    assert (stored["_version"], stored["title"]) == (2, "Second title")


def live_behind_aliases(es, settings, name: str, instead_of: str | None = None) -> None:
    """Put index `name` behind the read and write aliases (in place of `instead_of`)."""
    actions = [
        {"add": {"index": name, "alias": read_alias(settings)}},
        {"add": {"index": name, "alias": write_alias(settings), "is_write_index": True}},
    ]
    if instead_of is not None:
        actions += [
            {"remove": {"index": instead_of, "alias": read_alias(settings)}},
            {"remove": {"index": instead_of, "alias": write_alias(settings)}},
        ]
    es.indices.update_aliases(actions=actions)


@pytest.fixture
def strict_price_index(app, es):
    """An index whose price field is a 32-bit integer: Elasticsearch itself refuses any listing
    priced above $21,474,836.47, which makes a real poison entry."""
    settings = app.extensions["settings"]
    mapping = ListingDocument._doc_type.mapping.to_dict()
    mapping["properties"]["price_minor"] = {"type": "integer"}
    name = f"{TEST_INDEX}-strict"
    es.indices.create(index=name, settings=INDEX_SETTINGS, mappings=mapping)
    live_behind_aliases(es, settings, name)
    yield name
    _drop_test_indices(str(settings.ELASTICSEARCH_URL))


def test_a_poison_entry_is_parked_with_its_error_and_blocks_nothing(
    client, make_listing, strict_price_index, es
):
    poison = make_listing(price_minor=5_000_000_000)  # attempt 1, right after the commit
    for _ in range(MAX_ATTEMPTS - 1):
        relay_outbox.apply().get()
    entry = db.session.scalars(select(OutboxEntry).where(OutboxEntry.listing_id == poison.id)).one()
    assert entry.attempts == MAX_ATTEMPTS and entry.parked_at is not None
    assert "mapper_parsing_exception" in entry.last_error or "400" in entry.last_error

    fine = make_listing()
    assert relay_outbox.apply().get()["taken"] == 0  # the parked entry is out of the way
    assert set(index_state(es, TEST_INDEX)) == {fine.id}

    health = client.get("/healthz").get_json()
    assert health["status"] == "degraded"
    assert health["checks"]["index_lag"]["parked"] == 1


def test_a_parked_entry_goes_again_once_its_cause_is_fixed(
    app, make_listing, strict_price_index, es
):
    poison = make_listing(price_minor=5_000_000_000)
    for _ in range(MAX_ATTEMPTS - 1):
        relay_outbox.apply().get()
    listed = run(app, "retry-parked", "--dry-run")
    assert f"listing {poison.id} v{poison.version}, {MAX_ATTEMPTS} attempts" in listed.output
    assert "1 parked entries; nothing changed" in listed.output

    # The fix: a new index whose mapping takes the price, as `manage.py reindex` would make.
    settings = app.extensions["settings"]
    fixed = f"{TEST_INDEX}-fixed"
    es.indices.create(
        index=fixed, settings=INDEX_SETTINGS, mappings=ListingDocument._doc_type.mapping.to_dict()
    )
    live_behind_aliases(es, settings, fixed, instead_of=strict_price_index)
    assert "1 parked entries are queued again" in run(app, "retry-parked").output
    assert relay_outbox.apply().get()["done"] == 1
    assert index_state(es, TEST_INDEX) == {poison.id: (poison.version, "active")}
    assert run(app, "retry-parked").output.startswith("0 parked entries")


def test_retry_parked_names_only_the_listings_asked_for(app, make_listing):
    first, second = make_listing(), make_listing()
    db.session.execute(update(OutboxEntry).values(parked_at=utcnow(), attempts=MAX_ATTEMPTS))
    db.session.commit()
    assert (
        "1 parked entries are queued again"
        in run(app, "retry-parked", "--listing", str(second.id)).output
    )
    still_parked = db.session.scalars(
        select(OutboxEntry.listing_id).where(OutboxEntry.parked_at.is_not(None))
    ).all()
    assert still_parked == [first.id]


def test_a_relay_skips_entries_another_worker_holds_instead_of_waiting(
    app, make_listing, listing_index, es
):
    held, free = make_listing(), make_listing()
    db.session.execute(update(OutboxEntry).values(processed_at=None))
    db.session.commit()
    other = db.sessionmaker(bind=db.engine)()
    try:
        other.scalars(
            select(OutboxEntry).where(OutboxEntry.listing_id == held.id).with_for_update()
        ).all()
        result = relay_outbox.apply().get()  # returns at once, without the held entry
        assert (result["taken"], result["done"]) == (1, 1)
        assert pending_entries(db.session) == 1
        done = select(OutboxEntry.listing_id).where(OutboxEntry.processed_at.is_not(None))
        assert db.session.scalars(done).all() == [free.id]
    finally:
        other.rollback()
        other.close()
    assert sync_listings.apply(args=[[held.id]]).get()["done"] == 1


def test_healthz_reports_the_index_lag(client, make_listing):
    make_listing()  # no index: the entry waits
    lag = client.get("/healthz").get_json()["checks"]["index_lag"]
    assert lag["ok"] is True and lag["pending"] == 1 and lag["oldest_pending_age_s"] < 30

    db.session.execute(update(OutboxEntry).values(created_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    body = client.get("/healthz").get_json()
    assert client.get("/healthz").status_code == 200  # stale search is not an outage
    assert body["status"] == "degraded"
    assert body["checks"]["index_lag"]["ok"] is False
    assert body["checks"]["index_lag"]["oldest_pending_age_s"] >= 300


def test_processed_entries_are_pruned_after_the_retention_period(make_listing, listing_index):
    old, recent, waiting = make_listing(), make_listing(), make_listing()
    long_ago = utcnow() - timedelta(days=8)
    db.session.execute(
        update(OutboxEntry).where(OutboxEntry.listing_id == old.id).values(processed_at=long_ago)
    )
    db.session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.listing_id == waiting.id)
        .values(processed_at=None, parked_at=long_ago)
    )
    db.session.commit()
    assert prune_outbox.apply().get() == {"pruned": 1}
    left = set(db.session.scalars(select(OutboxEntry.listing_id)))
    assert left == {recent.id, waiting.id}


def test_the_schedule_runs_the_relay_every_two_seconds_and_prunes_hourly():
    from indexer.celery_app import BEAT_SCHEDULE

    by_task = {entry["task"]: entry for entry in BEAT_SCHEDULE.values()}
    relay = by_task["indexer.tasks.relay_outbox"]
    assert relay["schedule"] == 2.0
    assert relay["options"]["expires"] <= 10  # a backlog of stale relays is dropped
    assert by_task["indexer.tasks.prune_outbox"]["schedule"] == 3600.0


def test_a_category_name_change_alone_changes_no_document(make_listing, categories, es):
    listing = make_listing()
    categories["bikes"].name = "Bicycles"
    db.session.commit()
    assert reloaded(listing).version == 1
    assert db.session.get(Category, categories["bikes"].id).name == "Bicycles"


GC_DELETES_SECONDS = 1


@pytest.fixture
def short_memory_index(app, es):
    """An index that forgets delete tombstones after a second instead of a minute."""
    settings = app.extensions["settings"]
    name = f"{TEST_INDEX}-gc"
    es.indices.create(
        index=name,
        settings={**INDEX_SETTINGS, "gc_deletes": f"{GC_DELETES_SECONDS}s"},
        mappings=ListingDocument._doc_type.mapping.to_dict(),
    )
    live_behind_aliases(es, settings, name)
    yield name
    _drop_test_indices(str(settings.ELASTICSEARCH_URL))


def test_a_stale_write_long_after_a_delete_never_brings_the_listing_back(
    app, make_listing, short_memory_index, es
):
    alias = write_alias(app.extensions["settings"])
    listing = make_listing()
    stale = (listing.id, listing.version, to_document(listing))  # a write that will come late
    assert listing.id in searchable_ids(es, TEST_INDEX)
    lifecycle.delete(listing)
    db.session.commit()
    # The control: the same story with a real delete of the document.
    control = 10**9
    es.index(index=alias, id=str(control), document=stale[2], version=1, version_type="external")
    es.delete(index=alias, id=str(control), version=2, version_type="external")

    time.sleep(GC_DELETES_SECONDS + 0.5)
    es.indices.refresh(index=alias)  # tombstones older than gc_deletes are pruned on refresh
    assert list(bulk_index(es, alias, [stale])) == [(listing.id, ("ok", ""))]
    es.index(index=alias, id=str(control), document=stale[2], version=1, version_type="external")

    found = searchable_ids(es, TEST_INDEX)
    assert control in found  # a deleted document is resurrected by the late write...
    assert listing.id not in found  # ...a listing kept with its status is not
    stored = document(es, TEST_INDEX, listing.id)
    assert (stored["status"], stored["_version"]) == ("deleted", 2)


def test_each_write_to_the_index_is_noted_so_no_older_answer_is_reused(
    app, make_listing, listing_index, es
):
    """search.answers reuses an answer only until the next noted write: the pipeline's
    writes, reconcile's repairs and a rebuild's alias swap each note theirs in Redis."""
    settings = app.extensions["settings"]
    store = redis.Redis.from_url(str(settings.REDIS_URL))
    store.delete(answers._key(settings))

    def noted() -> int:
        return int(store.get(answers._key(settings)) or 0)

    listing = make_listing(title="Road bike")  # the pipeline writes it, in-process
    after_sync = noted()
    assert after_sync > 0
    es.delete(index=listing_index, id=str(listing.id), refresh=True)
    report = reconcile(es, db.engine, settings, send_now=True)
    assert report.sent.done == 1  # sent again (refused as outdated: the delete left a tombstone)
    after_repair = noted()
    assert after_repair > after_sync
    Rebuild(es, db.engine, settings).run()
    assert noted() > after_repair
