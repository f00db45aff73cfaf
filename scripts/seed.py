"""`manage.py seed`: demo users, listings and favourites, added in bulk to whatever is there.

Listings go in through SQLAlchemy Core, a few thousand rows per `INSERT ... RETURNING`, because
the ORM needs many minutes for 100,000 of them. Core skips the ORM's before_flush hook
(models.outbox), so each batch writes its listings' outbox entries itself (version 1, upsert)
in the same transaction: the search index hears of seeded listings the way it hears of any.

What goes into an ad lives in scripts.seed_ads (and the words in scripts.seed_vocabulary),
where people live in scripts.seed_places, the accounts in scripts.seed_users, and the optional
photos in scripts.seed_photos.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import click
from faker import Faker
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Row, insert, select
from sqlalchemy.orm import Session, aliased

from models import (
    Category,
    Favorite,
    Listing,
    ListingImage,
    ListingStatus,
    OutboxEntry,
    OutboxOp,
    db,
    utcnow,
)
from models.category_tree import install_category_tree
from models.search_terms import write_listing_terms
from scripts.seed_ads import AdWriter
from scripts.seed_photos import PhotoMaker
from scripts.seed_places import PlaceSampler
from scripts.seed_users import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    Owner,
    create_users,
    demo_owner,
    shared_password_hash,
)
from scripts.seed_vocabulary import CATEGORIES, SECTION_SHARES, Vocab

BATCH_SIZE = 2_000  # rows per INSERT ... RETURNING, and per transaction
PHOTO_BATCH_SIZE = 100  # with --photos a batch takes seconds; keep the progress bar moving
LISTINGS_PER_USER = 15
MIN_USERS = 5
HISTORY_DAYS = 45  # listings were posted over the last six weeks or so
SOLD_SHARE = 0.04
AT_HOME_SHARE = 0.8  # most people sell near where they live
FAN_SHARE = 0.3  # share of seeded users who favourite a few listings


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
    help="Random seed: the same seed on the same database writes the same ads.",
)
@click.option(
    "--photos",
    is_flag=True,
    help="Give most goods, vehicle and housing listings 1-3 generated photos "
    "(about 20 ms each: meant for a few thousand listings, not 100,000).",
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
    seeder = Seeder(db.session, random_seed, settings.LISTING_TTL_DAYS, media_root)
    report = seeder.run(listing_count, user_count)
    _echo_summary(report, time.perf_counter() - started)


@dataclass
class SeedReport:
    seed: int
    categories_added: int = 0
    users: int = 0
    demo_created: bool = False
    statuses: Counter = field(default_factory=Counter)
    favourites: int = 0
    photos: int = 0


@dataclass(frozen=True)
class Seeded:
    """What the favourites step needs to know of a listing just written."""

    id: int
    owner_id: int
    status: ListingStatus
    created_at: datetime


class Seeder:
    """One run of the seed command: every random choice comes from one seeded RNG."""

    def __init__(
        self, session: Session, random_seed: int, ttl_days: int, media_root: Path | None = None
    ):
        """`media_root`: where to store generated photos; None for no photos."""
        self.session = session
        self.rng = random.Random(random_seed)
        self.faker = Faker("en_US")
        self.faker.seed_instance(random_seed)
        self.now = utcnow()
        self.ttl = timedelta(days=ttl_days)
        self.places = PlaceSampler(self.rng)
        self.photos = PhotoMaker(self.rng, media_root) if media_root else None
        self.kinds: dict[int, str] = {}  # category id -> kind of ad, for the photos
        self.report = SeedReport(seed=random_seed)

    def run(self, listing_count: int, user_count: int) -> SeedReport:
        """Categories first (listings need them), then people, their listings, favourites."""
        self.report.categories_added = install_category_tree(self.session)
        self.session.commit()
        categories = self._leaf_categories()
        owners = self._create_owners(user_count)
        listings = self._create_listings(listing_count, categories, owners)
        self._create_favourites(owners, listings)
        return self.report

    def _leaf_categories(self) -> list[tuple[int, Vocab, float]]:
        """(id, vocabulary, weight) of each leaf category we can write ads for."""
        section = aliased(Category)
        has_children = select(Category.parent_id).where(Category.parent_id.is_not(None))
        rows = self.session.execute(
            select(Category.id, Category.slug, section.slug)
            .join(section, Category.parent_id == section.id)
            .where(Category.id.not_in(has_children))
        ).all()
        known = [
            (id_, CATEGORIES[slug], parent)
            for id_, slug, parent in rows
            if slug in CATEGORIES and parent in SECTION_SHARES
        ]
        if not known:
            raise click.ClickException("No leaf category matches the seed vocabulary.")
        # A section's share is split among its categories by their own weights.
        totals = Counter()
        for id_, vocab, parent in known:
            totals[parent] += vocab.weight
            self.kinds[id_] = vocab.kind
        return [
            (id_, vocab, SECTION_SHARES[parent] * vocab.weight / totals[parent])
            for id_, vocab, parent in known
        ]

    def _create_owners(self, count: int) -> list[Owner]:
        """The demo account (first) and `count` new people, all with one password hash."""
        password_hash = shared_password_hash()
        demo, self.report.demo_created = demo_owner(self.session, password_hash, self.now)
        people = []
        for start in range(0, count, BATCH_SIZE):
            people += create_users(
                self.session,
                min(BATCH_SIZE, count - start),
                self.rng,
                self.faker,
                self.places,
                password_hash,
                self.now,
            )
        self.session.commit()
        self.report.users = len(people) + self.report.demo_created
        # The demo account posts like an average seller, so it has a handful of listings.
        average = sum(p.activity for p in people) / len(people) if people else 1.0
        return [Owner(demo.id, demo.home, average), *people]

    def _create_listings(
        self, count: int, categories: list[tuple[int, Vocab, float]], owners: list[Owner]
    ) -> list[Seeded]:
        """Insert listings (and their outbox entries and photos), one transaction per batch."""
        writer = AdWriter(
            self.rng,
            companies=[self.faker.company() for _ in range(300)],
            streets=[self.faker.street_name() for _ in range(300)],
        )
        category_weights = _cumulative(weight for _, _, weight in categories)
        owner_weights = _cumulative(owner.activity for owner in owners)
        seeded: list[Seeded] = []
        batch_size = PHOTO_BATCH_SIZE if self.photos else BATCH_SIZE
        with click.progressbar(
            length=count, label=f"Writing {count:,} listings", show_pos=True
        ) as bar:
            for start in range(0, count, batch_size):
                size = min(batch_size, count - start)
                picks = zip(
                    self.rng.choices(categories, cum_weights=category_weights, k=size),
                    self.rng.choices(owners, cum_weights=owner_weights, k=size),
                    strict=True,
                )
                rows = [self._listing_row(writer, category, owner) for category, owner in picks]
                seeded += self._write_batch(rows)
                bar.update(size)
        return seeded

    def _listing_row(
        self, writer: AdWriter, category: tuple[int, Vocab, float], owner: Owner
    ) -> dict:
        """The column values of one listing: an ad posted near its owner some days ago."""
        category_id, vocab, _ = category
        posted = self.now - timedelta(seconds=self.rng.uniform(0, HISTORY_DAYS * 86_400))
        expires = posted + self.ttl
        home = owner.home if self.rng.random() < AT_HOME_SHARE else self.places.home()
        place = self.places.near(home)
        ad = writer.write(vocab, place, posted)
        status, updated = self._status(posted, expires)
        self.report.statuses[status] += 1
        return {
            "owner_id": owner.id,
            "category_id": category_id,
            "title": ad.title,
            "description": ad.description,
            "price_minor": ad.price_minor,
            "price_kind": ad.price_kind,
            "currency": "USD",
            "condition": ad.condition,
            "status": status,
            "zip_code": place.zip_code,
            "city": place.city,
            "state": place.state,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "expires_at": expires,
            "expiry_warned_at": None,
            "version": 1,
            "created_at": posted,
            "updated_at": updated,
        }

    def _status(self, posted: datetime, expires: datetime) -> tuple[ListingStatus, datetime]:
        """Sold now and then; otherwise expired once its date has passed, else active.

        Returns the status and when the listing last changed (its updated_at).
        """
        if self.rng.random() < SOLD_SHARE:
            sold_at = posted + (min(expires, self.now) - posted) * self.rng.random()
            return ListingStatus.sold, sold_at
        if expires <= self.now:
            return ListingStatus.expired, expires
        return ListingStatus.active, posted

    def _write_batch(self, rows: list[dict]) -> list[Seeded]:
        """One transaction: the listings, their outbox entries and, with --photos, photos."""
        try:
            returned = self._insert_listings(rows)
            if self.photos:
                self._insert_photos(returned)
            self.session.commit()
        except BaseException:  # Ctrl-C too: no photo file may outlive its rolled-back row
            self.session.rollback()
            if self.photos:
                self.photos.discard_batch()
            raise
        if self.photos:
            self.photos.commit_batch()
        return [Seeded(r.id, r.owner_id, r.status, r.created_at) for r in returned]

    def _insert_listings(self, rows: list[dict]) -> list[Row]:
        """One multi-row INSERT ... RETURNING, then an outbox entry per new listing.

        Core bypasses the ORM's flush hooks, so what they would write is written here, in the
        listings' own transaction: the outbox entries (models.outbox: version 1, upsert) and
        the embedded search backend's terms (models.search_terms).
        """
        table = Listing.__table__
        returned = self.session.execute(
            insert(table).returning(
                table.c.id,
                table.c.owner_id,
                table.c.status,
                table.c.created_at,
                table.c.title,
                table.c.category_id,
                sort_by_parameter_order=True,  # returned[i] is rows[i]
            ),
            rows,
        ).all()
        write_listing_terms(
            self.session.connection(),
            ({**row, "id": r.id} for row, r in zip(rows, returned, strict=True)),
        )
        entries = [
            {"listing_id": r.id, "version": 1, "op": OutboxOp.upsert, "created_at": self.now}
            for r in returned
        ]
        self.session.execute(insert(OutboxEntry.__table__), entries)
        return returned

    def _insert_photos(self, listings: list[Row]) -> None:
        rows = [
            photo
            for r in listings
            for photo in self.photos.rows_for(
                r.id, r.title, self.kinds[r.category_id], r.created_at
            )
        ]
        if rows:
            self.session.execute(insert(ListingImage.__table__), rows)
        self.report.photos += len(rows)

    def _create_favourites(self, owners: list[Owner], listings: list[Seeded]) -> None:
        """Some people (always the demo account) favourite a few active listings of others."""
        active = [listing for listing in listings if listing.status is ListingStatus.active]
        if not active:
            return
        demo, people = owners[0], owners[1:]
        fans = [demo, *self.rng.sample(people, k=int(len(people) * FAN_SHARE))]
        rows = []
        for fan in fans:
            picks = {self.rng.choice(active) for _ in range(self.rng.randint(2, 8))}
            rows += [
                {
                    "user_id": fan.id,
                    "listing_id": listing.id,
                    "created_at": listing.created_at
                    + (self.now - listing.created_at) * self.rng.random(),
                }
                for listing in picks
                if listing.owner_id != fan.id
            ]
        for start in range(0, len(rows), BATCH_SIZE):
            self.session.execute(insert(Favorite.__table__), rows[start : start + BATCH_SIZE])
        self.session.commit()
        self.report.favourites = len(rows)


def _cumulative(weights) -> list[float]:
    """Running totals, so random.choices need not add the weights up on every call."""
    total, running = 0.0, []
    for weight in weights:
        total += weight
        running.append(total)
    return running


def _echo_summary(report: SeedReport, seconds: float) -> None:
    listings = sum(report.statuses.values())
    by_status = ", ".join(f"{status.value} {n:,}" for status, n in report.statuses.most_common())
    rate = f", {listings / seconds:,.0f} listings/s" if listings and seconds else ""
    click.echo(
        f"Added {report.users:,} users, {listings:,} listings ({by_status or 'none'}) "
        f"and {report.favourites:,} favourites in {seconds:.1f} s{rate}."
    )
    if report.photos:
        click.echo(f"Stored {report.photos:,} photos.")
    if report.categories_added:
        click.echo(f"Installed {report.categories_added} categories first.")
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
