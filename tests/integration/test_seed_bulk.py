"""The seed command's bulk path: COPY with reserved ids on PostgreSQL, plain INSERTs on SQLite,
and the same rows from the same seed whichever database and however many worker processes."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from models import Listing, ListingImage, OutboxEntry, User, db
from models.search_terms import ListingTerms, SearchVocabulary, terms_row
from scripts import seed as seed_module
from scripts.seed import Seeder, seed
from scripts.seed_listings import BLOCK_SIZE
from scripts.seed_store import open_store
from settings import load_settings
from web import create_app

NOW = datetime(2026, 11, 20, 12, 0, 0, 123456)
SEED = 11
LISTINGS = 2 * BLOCK_SIZE + 30  # three blocks, the last one short
USERS = 17
SEEDED_TABLES = (
    "users",
    "categories",
    "listings",
    "listing_terms",
    "search_vocabulary",
    "listing_images",
    "outbox",
    "favorites",
)


def seed_rows(**options) -> None:
    Seeder(db.session, SEED, 30, now=NOW, **options).run(LISTINGS, USERS)


def snapshot() -> dict[str, list[tuple]]:
    """Every seeded table's rows in key order; the password hash is salted anew on each run."""
    rows = {}
    for name in SEEDED_TABLES:
        table = db.metadata.tables[name]
        columns = [c for c in table.c if c.name != "password_hash"]
        query = select(*columns).order_by(*table.primary_key.columns)
        rows[name] = [tuple(row) for row in db.session.execute(query)]
    return rows


@pytest.fixture
def sqlite_app(tmp_path):
    """The embedded default's database: a migrated SQLite file of this test's own."""
    settings = load_settings(
        DATABASE_URL=f"sqlite:///{tmp_path}/seed.db",
        SECRET_KEY="seed-test-secret-key",
        MEDIA_ROOT=tmp_path / "media",
        ELASTICSEARCH_URL=None,
        REDIS_URL=None,
    )
    app = create_app(settings)
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_the_same_seed_writes_the_same_rows_on_postgresql_and_sqlite(app, sqlite_app):
    with app.app_context():
        seed_rows()
        on_postgres = snapshot()
    with sqlite_app.app_context():
        seed_rows()
        on_sqlite = snapshot()

    assert len(on_postgres["listings"]) == LISTINGS
    assert on_postgres["favorites"]
    # The outbox is written only where an index follows the database (models.outbox.recording):
    # the PostgreSQL app has Elasticsearch, the SQLite one the embedded backend.
    assert len(on_postgres["outbox"]) == LISTINGS
    assert on_sqlite["outbox"] == []
    for name in SEEDED_TABLES:
        if name != "outbox":
            assert on_postgres[name] == on_sqlite[name], name


def test_worker_processes_write_the_same_rows_as_one_process(app, test_engine):
    seed_rows(workers=2, blocks_per_batch=1)
    in_workers = snapshot()
    db.session.remove()
    tables = ", ".join(SEEDED_TABLES)
    with test_engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))

    seed_rows(workers=0)

    assert len(in_workers["listings"]) == LISTINGS
    assert snapshot() == in_workers


def test_every_listing_has_its_outbox_entry_with_an_id_from_the_reserved_range(app):
    seed_rows(workers=2, blocks_per_batch=1)

    listing_ids = list(db.session.scalars(select(Listing.id).order_by(Listing.id)))
    entries = db.session.execute(
        select(OutboxEntry.id, OutboxEntry.listing_id).order_by(OutboxEntry.id)
    ).all()
    assert listing_ids == list(range(listing_ids[0], listing_ids[0] + LISTINGS))
    assert [listing for _, listing in entries] == listing_ids
    assert [id_ for id_, _ in entries] == list(range(entries[0][0], entries[0][0] + LISTINGS))


def test_every_listing_gets_the_terms_the_orm_would_write_with_an_index_too(app):
    # The PostgreSQL app records for Elasticsearch; a reindex reads the terms back from here.
    seed_rows(workers=2, blocks_per_batch=1)

    stored = {row.listing_id: row for row in db.session.scalars(select(ListingTerms))}
    listings = db.session.scalars(select(Listing)).all()
    assert len(listings) == LISTINGS and stored.keys() == {listing.id for listing in listings}
    for listing in listings:
        expected = terms_row(listing.id, listing.title, listing.description, listing.created_at)
        row = stored[listing.id]
        assert (row.created_ms, row.title_terms, row.text_terms) == (
            expected["created_ms"],
            expected["title_terms"],
            expected["text_terms"],
        )
    words = {word for row in stored.values() for word in row.text_terms.split()}
    assert set(db.session.scalars(select(SearchVocabulary.term))) == words


@pytest.mark.parametrize("workers", [0, 2])
def test_a_seed_stopped_midway_keeps_the_words_of_what_it_wrote(app, monkeypatch, workers):
    # PostgreSQL commits each batch, so a seed stopped by Ctrl-C (or a lost connection)
    # leaves listings behind; their words must be in the vocabulary (typo tolerance needs it).
    real = seed_module.store_batches

    def stopped_after_the_first_batch(*args, **kwargs):
        batches = real(*args, **kwargs)
        yield next(batches)
        batches.close()  # what leaving early does: workers finish what they hold, then stop
        raise KeyboardInterrupt

    monkeypatch.setattr(seed_module, "store_batches", stopped_after_the_first_batch)
    with pytest.raises(KeyboardInterrupt):
        seed_rows(workers=workers, blocks_per_batch=1)

    stored = db.session.scalars(select(ListingTerms.text_terms)).all()
    # One batch reported; with workers, those they held when it stopped were committed too.
    assert len(stored) == BLOCK_SIZE if not workers else BLOCK_SIZE <= len(stored) <= LISTINGS
    words = {word for terms in stored for word in terms.split()}
    assert set(db.session.scalars(select(SearchVocabulary.term))) == words


def test_rows_added_after_a_seed_take_ids_beyond_the_reserved_ones(app, make_user, make_listing):
    seed_rows()
    top = {
        model: db.session.scalar(select(func.max(model.id)))
        for model in (User, Listing, OutboxEntry)
    }

    assert make_user().id == top[User] + 1
    listing = make_listing()
    assert listing.id == top[Listing] + 1
    entry = db.session.scalar(select(OutboxEntry).where(OutboxEntry.listing_id == listing.id))
    assert entry.id == top[OutboxEntry] + 1


def test_reservations_on_postgresql_follow_one_another(app, make_listing):
    store = open_store(db.session)
    first = store.reserve_ids("listings", 10)
    second = store.reserve_ids("listings", 5)

    assert second == first + 10
    assert make_listing().id == second + 5


def test_postgresql_rows_keep_text_that_copy_must_escape(app):
    store = open_store(db.session)
    user_id = store.reserve_ids("users", 1)
    bio = "tab\there, newline\nthere, a backslash \\N and a quote ' \" , é, 🚲"
    now = datetime(2026, 1, 2, 3, 4, 5, 678901)
    columns = ("id", "username", "email", "password_hash", "display_name", "bio", "created_at")
    row = (user_id, "copy_me", "copy_me@example.com", "x", "Copy Me", bio, now)
    store.write("users", columns, [row])
    store.end_batch()

    user = db.session.get(User, user_id)
    assert (user.bio, user.created_at, user.updated_at is not None) == (bio, now, True)


def test_the_embedded_default_seeds_with_photos_once(sqlite_app):
    runner = sqlite_app.test_cli_runner()
    first = runner.invoke(seed, ["--if-empty", "--photos", "--listings", "40", "--seed", "5"])
    again = runner.invoke(seed, ["--if-empty", "--photos", "--listings", "40"])

    assert first.exit_code == 0, first.output + repr(first.exception)
    assert again.exit_code == 0 and "not seeding" in again.output
    listings = db.session.scalar(select(func.count(Listing.id)))
    photos = db.session.scalar(select(func.count(ListingImage.id)))
    assert listings == 40 and photos > 0
    assert f"Stored {photos} photos." in first.output
    # Without Elasticsearch there is no outbox to relay: the embedded backend's own terms are
    # written with the rows, so every seeded listing is searchable at once.
    assert db.session.scalar(select(func.count(OutboxEntry.id))) == 0
    assert db.session.scalar(select(func.count(ListingTerms.listing_id))) == 40
