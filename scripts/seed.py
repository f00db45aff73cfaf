"""`manage.py seed`: demo users, listings and favourites, added in bulk to whatever is there.

Rows skip the ORM (far too slow for a million listings) and go straight to the tables through
scripts.seed_store: `COPY` on PostgreSQL, plain INSERTs on SQLite, with ids reserved first so
nothing has to come back. That also skips the ORM's before_flush hook (models.outbox), so each
listing's outbox entry (version 1, upsert) is written beside it, in the same transaction: the
search index hears of seeded listings the way it hears of any.

What goes into an ad lives in scripts.seed_ads (the words in scripts.seed_vocabulary), the rows
of a block of listings in scripts.seed_listings, where people live in scripts.seed_places, the
accounts in scripts.seed_users, the optional photos in scripts.seed_photos, and the worker
processes that write ads in parallel in scripts.seed_workers.
"""

from __future__ import annotations

import os
import random
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import click
from faker import Faker
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from models import Category, Listing, OutboxEntry, db, utcnow
from models.category_tree import install_category_tree
from models.outbox import recording
from models.search_terms import write_vocabulary, write_vocabulary_of_stored
from scripts.seed_listings import Plan, Tally, leaf_category_weights, random_fans
from scripts.seed_photos import PhotoMaker
from scripts.seed_places import PlaceSampler
from scripts.seed_store import RowStore, open_store
from scripts.seed_users import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    Owner,
    create_users,
    demo_owner,
    shared_password_hash,
)
from scripts.seed_vocabulary import CATEGORIES, SECTION_SHARES
from scripts.seed_workers import batch_ranges, store_batches

USER_BATCH_SIZE = 10_000  # accounts per reservation and write
BLOCKS_PER_BATCH = 100  # blocks of listings per transaction (10,000 listings)
LISTINGS_PER_USER = 15
MIN_USERS = 5
FAN_SHARE = 0.3  # share of seeded users who favourite a few listings
# A worker waits on PostgreSQL about as long as it writes ads, so one a core keeps them busy.
DEFAULT_WORKERS = os.cpu_count() or 1


@click.command("seed")
@click.option(
    "--listings",
    "listing_count",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="How many listings to add.",
)
@click.option(
    "--users",
    "user_count",
    type=click.IntRange(min=1),
    help=f"How many users to add  [default: listings / {LISTINGS_PER_USER}, at least {MIN_USERS}]",
)
@click.option(
    "--seed",
    "random_seed",
    type=int,
    help="Random seed: the same seed on the same (empty) database writes the same rows, "
    "on PostgreSQL and SQLite alike.",
)
@click.option(
    "--photos",
    is_flag=True,
    help="Give most goods, vehicle and housing listings 1-3 generated photos "
    "(about 20 ms each: meant for a few thousand listings, not 100,000).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0, max=32),
    default=DEFAULT_WORKERS,
    show_default="one per CPU core",
    help="PostgreSQL: processes that each write ads and COPY them in, side by side; 0: all "
    "in this process (as on SQLite and with --photos). The data are the same either way.",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing if the database already has listings (for first-run scripts).",
)
@with_appcontext
def seed(
    listing_count: int,
    user_count: int | None,
    random_seed: int | None,
    photos: bool,
    workers: int,
    if_empty: bool,
) -> None:
    """Add demo data: users, listings around real US places, favourites.

    It adds to what is there, so it can run again. Every seeded account has the password
    demo-password-123; log in as `demo`.
    """
    if if_empty and db.session.scalar(select(Listing.id).limit(1)) is not None:
        click.echo("The database already has listings; not seeding (--if-empty).")
        return
    if random_seed is None:
        random_seed = random.randrange(1_000_000)
    user_count = user_count or max(MIN_USERS, listing_count // LISTINGS_PER_USER)
    settings = current_app.extensions["settings"]
    started = time.perf_counter()
    media_root = settings.MEDIA_ROOT if photos else None
    seeder = Seeder(db.session, random_seed, settings.LISTING_TTL_DAYS, media_root, workers=workers)
    report = seeder.run(listing_count, user_count)
    _echo_summary(report, time.perf_counter() - started)


@dataclass
class SeedReport:
    seed: int
    categories_added: int = 0
    users: int = 0
    demo_created: bool = False
    added: Tally = field(default_factory=Tally)  # listings by status, favourites, photos


class Seeder:
    """One run of the seed command; every random choice follows from one seed."""

    def __init__(
        self,
        session: Session,
        random_seed: int,
        ttl_days: int,
        media_root: Path | None = None,
        *,
        now: datetime | None = None,
        workers: int = 0,
        blocks_per_batch: int = BLOCKS_PER_BATCH,
    ):
        """`media_root`: where to store generated photos, None for none; `now`: the moment
        the data are seeded at (tests fix it); `workers`: see scripts.seed_workers."""
        self.session = session
        self.seed = random_seed
        self.rng = random.Random(random_seed)
        self.faker = Faker("en_US")
        self.faker.seed_instance(random_seed)
        self.now = now or utcnow()
        self.ttl = timedelta(days=ttl_days)
        self.places = PlaceSampler(self.rng)
        self.photos = PhotoMaker(media_root) if media_root else None
        self.workers = workers
        self.blocks_per_batch = blocks_per_batch
        self.report = SeedReport(seed=random_seed)
        self.listing_ids: range | None = None  # reserved for this run's listings

    def run(self, listing_count: int, user_count: int) -> SeedReport:
        """Categories first (listings need them), then people, their listings, favourites."""
        self.report.categories_added = install_category_tree(self.session)
        self.session.commit()
        store = open_store(self.session)
        try:
            categories = self._leaf_categories()
            owners = self._create_owners(store, user_count)
            self._create_listings(store, listing_count, categories, owners)
            store.finish()
        except BaseException:  # Ctrl-C too: no photo file may outlive its rolled-back row
            store.abort()
            if self.photos:
                self.photos.discard_batch()
            if store.keeps_committed_batches:
                self._write_vocabulary_of_committed_batches()
            raise
        if self.photos:
            self.photos.commit_batch()
        # The batches wrote each listing's terms; their words join the vocabulary once.
        write_vocabulary(self.session.connection(), self.report.added.words)
        self.session.commit()
        return self.report

    def _write_vocabulary_of_committed_batches(self) -> None:
        """The words of the listings the batches committed before the seed stopped. Read from
        the database: batches that workers finished while it stopped never reported theirs."""
        if self.listing_ids is None:
            return
        try:
            write_vocabulary_of_stored(self.session.connection(), self.listing_ids)
            self.session.commit()
        except Exception as error:  # the database may be what stopped the seed
            self.session.rollback()
            click.echo(f"The words of the listings written so far were not saved: {error}")

    def _leaf_categories(self):
        """The leaf categories we can write ads for, weighted by their section's share."""
        section = aliased(Category)
        has_children = select(Category.parent_id).where(Category.parent_id.is_not(None))
        rows = self.session.execute(
            select(Category.id, Category.slug, section.slug)
            .join(section, Category.parent_id == section.id)
            .where(Category.id.not_in(has_children))
            .order_by(Category.id)
        ).all()
        known = [
            (id_, CATEGORIES[slug], parent)
            for id_, slug, parent in rows
            if slug in CATEGORIES and parent in SECTION_SHARES
        ]
        if not known:
            raise click.ClickException("No leaf category matches the seed vocabulary.")
        return leaf_category_weights(known, SECTION_SHARES)

    def _create_owners(self, store: RowStore, count: int) -> list[Owner]:
        """The demo account (first) and `count` new people, all with one password hash."""
        password_hash = shared_password_hash()
        demo, self.report.demo_created = demo_owner(self.session, password_hash, self.now)
        people: list[Owner] = []
        for start in range(0, count, USER_BATCH_SIZE):
            size = min(USER_BATCH_SIZE, count - start)
            people += create_users(
                store, size, self.rng, self.faker, self.places, password_hash, self.now
            )
            store.end_batch()
        self.report.users = len(people) + self.report.demo_created
        # The demo account posts like an average seller, so it has a handful of listings.
        average = sum(p.activity for p in people) / len(people) if people else 1.0
        return [Owner(demo.id, demo.home, average), *people]

    def _create_listings(self, store: RowStore, count: int, categories, owners) -> None:
        """Listings with their outbox entries, photos and favourites, a batch per transaction."""
        first_id = store.reserve_ids(Listing.__tablename__, count)
        self.listing_ids = range(first_id, first_id + count)
        plan = Plan(
            seed=self.seed,
            now=self.now,
            ttl=self.ttl,
            first_id=first_id,
            first_outbox_id=store.reserve_ids(OutboxEntry.__tablename__, count),
            with_outbox=recording(),
            count=count,
            categories=categories,
            owners=owners,
            fans=random_fans(self.rng, owners, FAN_SHARE),
            companies=[self.faker.company() for _ in range(300)],
            streets=[self.faker.street_name() for _ in range(300)],
            places=self.places,
        )
        # With photos a block takes seconds: keep the progress bar moving.
        ranges = batch_ranges(plan, 1 if self.photos else self.blocks_per_batch)
        tallies = store_batches(plan, ranges, store, self.workers, self.photos)
        label = f"Writing {count:,} listings"
        with closing(tallies), click.progressbar(length=count, label=label, show_pos=True) as bar:
            for tally in tallies:
                self.report.added.add(tally)
                bar.update(tally.listings)


def _echo_summary(report: SeedReport, seconds: float) -> None:
    added = report.added
    listings = added.listings
    by_status = ", ".join(f"{status.value} {n:,}" for status, n in added.statuses.most_common())
    rate = f", {listings / seconds:,.0f} listings/s" if listings and seconds else ""
    click.echo(
        f"Added {report.users:,} users, {listings:,} listings ({by_status or 'none'}) "
        f"and {added.favourites:,} favourites in {seconds:.1f} s{rate}."
    )
    if added.photos:
        click.echo(f"Stored {added.photos:,} photos.")
    if report.categories_added:
        click.echo(f"Installed {report.categories_added} categories first.")
    if recording():
        click.echo(f"{listings:,} outbox entries wait for the search indexer.")
    click.echo(f"Random seed {report.seed}: pass --seed {report.seed} to write the same ads again.")
    if report.demo_created:
        click.echo(
            f"Log in as {DEMO_USERNAME} / {DEMO_PASSWORD}; every seeded account has that password."
        )
    else:
        click.echo(
            f"The {DEMO_USERNAME} account already existed; its password is unchanged. "
            f"New accounts have the password {DEMO_PASSWORD}."
        )
