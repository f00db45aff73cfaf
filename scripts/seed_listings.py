"""The rows of seeded listings: the ads, their analysed terms, outbox entries, photos and
favourites.

Listings are made in blocks of BLOCK_SIZE, each from its own generator (scripts.seed_random),
with ids reserved beforehand: block `b` holds listings `first_id + b * BLOCK_SIZE` onwards,
and listing `first_id + n` has the outbox entry `first_outbox_id + n`.
So a block needs nothing from the database or from other blocks, and worker processes can
make blocks in parallel (scripts.seed_workers) while the main process writes earlier ones.

Rows are tuples in the order of the *_COLUMNS constants. Enum columns hold the StrEnum members,
which psycopg writes as their text and SQLAlchemy (on SQLite) takes as they are.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from models import ListingStatus, OutboxOp
from models.search_terms import terms_row
from scripts.seed_ads import AdWriter
from scripts.seed_photos import IMAGE_COLUMNS, PhotoMaker
from scripts.seed_places import PlaceSampler
from scripts.seed_random import block_rng, pick
from scripts.seed_users import Owner
from scripts.seed_vocabulary import Vocab

BLOCK_SIZE = 100  # listings per generator; with --photos, a block takes a few seconds
HISTORY_SECONDS = 45 * 86_400  # listings were posted over the last six weeks or so
SOLD_SHARE = 0.04
AT_HOME_SHARE = 0.8  # most people sell near where they live
FAVOURITES_PER_LISTING = 0.1  # about five for each fan (see Plan.fans)
DEMO_FAVOURITES = (2, 8)  # the demo account always has a few, in the first block

LISTING_COLUMNS = (
    "id",
    "owner_id",
    "category_id",
    "title",
    "description",
    "price_minor",
    "price_kind",
    "currency",
    "condition",
    "status",
    "zip_code",
    "city",
    "state",
    "latitude",
    "longitude",
    "expires_at",
    "expiry_warned_at",
    "published_at",
    "version",
    "created_at",
    "updated_at",
)
# The listings' terms (models.search_terms), which the ORM's flush hook would write: the embedded
# backend searches them, and a reindex builds documents from them.
TERMS_COLUMNS = ("listing_id", "created_ms", "title_terms", "text_terms")
OUTBOX_COLUMNS = ("id", "listing_id", "version", "op", "created_at")
FAVOURITE_COLUMNS = ("user_id", "listing_id", "created_at")


@dataclass(frozen=True)
class Category:
    """A leaf category ads are written for."""

    id: int
    vocab: Vocab
    weight: float  # share of all listings


@dataclass(frozen=True)
class Plan:
    """Everything that decides the listings of a seed run; sent once to each worker process."""

    seed: int
    now: datetime
    ttl: timedelta
    first_id: int  # the id of listing number 0; the next `count` ids are reserved
    first_outbox_id: int  # the same for the listings' outbox entries
    count: int
    categories: Sequence[Category]
    owners: Sequence[Owner]  # the demo account first
    fans: Sequence[int]  # ids of the people who favourite listings, the demo account first
    companies: Sequence[str]
    streets: Sequence[str]
    places: PlaceSampler
    with_outbox: bool = True  # models.outbox.recording(): only when a search index follows
    category_weights: list[float] = field(init=False)
    owner_weights: list[float] = field(init=False)

    def __post_init__(self) -> None:
        # Running totals, so random.choices need not add the weights up on every call.
        object.__setattr__(self, "category_weights", _cumulative(c.weight for c in self.categories))
        object.__setattr__(self, "owner_weights", _cumulative(o.activity for o in self.owners))

    @property
    def blocks(self) -> int:
        return -(-self.count // BLOCK_SIZE)


@dataclass
class Tally:
    """What a batch added, for the summary."""

    statuses: Counter = field(default_factory=Counter)
    favourites: int = 0
    photos: int = 0
    words: set[str] = field(default_factory=set)  # for the search vocabulary

    @property
    def listings(self) -> int:
        return sum(self.statuses.values())

    def add(self, other: Tally) -> None:
        self.statuses += other.statuses
        self.favourites += other.favourites
        self.photos += other.photos
        self.words |= other.words


@dataclass
class Batch:
    """The rows of one or more consecutive blocks, by table."""

    listings: list[tuple] = field(default_factory=list)
    terms: list[tuple] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    images: list[tuple] = field(default_factory=list)
    outbox: list[tuple] = field(default_factory=list)
    favourites: list[tuple] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    def tables(self) -> list[tuple[str, Sequence[str], list[tuple]]]:
        """(table, columns, rows), listings first: the others refer to them."""
        return [
            ("listings", LISTING_COLUMNS, self.listings),
            ("listing_terms", TERMS_COLUMNS, self.terms),
            ("listing_images", IMAGE_COLUMNS, self.images),
            ("outbox", OUTBOX_COLUMNS, self.outbox),
            ("favorites", FAVOURITE_COLUMNS, self.favourites),
        ]

    def tally(self) -> Tally:
        return Tally(self.statuses, len(self.favourites), len(self.images), self.words)


def make_batch(plan: Plan, blocks: range, photos: PhotoMaker | None = None) -> Batch:
    """The rows of `blocks`; with `photos`, pictures are drawn and stored too."""
    batch = Batch()
    for block in blocks:
        _Block(plan, block, batch, photos).fill()
    return batch


class _Block:
    """One block's listings, appended to a batch; every draw comes from the block's generator."""

    def __init__(self, plan: Plan, block: int, batch: Batch, photos: PhotoMaker | None):
        self.plan = plan
        self.rng = block_rng(plan.seed, block)
        self.places = plan.places.reseeded(self.rng)
        self.writer = AdWriter(self.rng, plan.companies, plan.streets)
        self.first_id = plan.first_id + block * BLOCK_SIZE
        self.size = min(BLOCK_SIZE, plan.count - block * BLOCK_SIZE)
        self.is_first = block == 0
        self.batch = batch
        self.photos = photos

    def fill(self) -> None:
        plan, rng, size = self.plan, self.rng, self.size
        categories = rng.choices(plan.categories, cum_weights=plan.category_weights, k=size)
        owners = rng.choices(plan.owners, cum_weights=plan.owner_weights, k=size)
        active = []  # (id, owner id, posted) of the active listings, for the favourites
        statuses = []
        for offset, (category, owner) in enumerate(zip(categories, owners, strict=True)):
            listing_id = self.first_id + offset
            status, posted = self._listing(listing_id, category, owner)
            statuses.append(status)
            if status is ListingStatus.active:
                active.append((listing_id, owner.id, posted))
        self.batch.statuses.update(statuses)
        self._favourites(active)

    def _listing(
        self, listing_id: int, category: Category, owner: Owner
    ) -> tuple[ListingStatus, datetime]:
        """An ad posted near its owner some days ago, its outbox entry and maybe photos."""
        plan, rng, batch = self.plan, self.rng, self.batch
        posted = plan.now - timedelta(seconds=rng.random() * HISTORY_SECONDS)
        expires = posted + plan.ttl
        home = owner.home if rng.random() < AT_HOME_SHARE else self.places.home()
        latitude, longitude = self.places.jitter(home)  # the pin, near the ZIP code's centre
        ad = self.writer.write(category.vocab, home, posted)
        status, updated = self._status(posted, expires)
        # fmt: off
        batch.listings.append((
            listing_id, owner.id, category.id, ad.title, ad.description, ad.price_minor,
            ad.price_kind, "USD", ad.condition, status, home.zip_code, home.city, home.state,
            latitude, longitude, expires, None, posted, 1, posted, updated,
        ))
        # fmt: on
        terms = terms_row(listing_id, ad.title, ad.description, posted)
        batch.terms.append(tuple(terms[column] for column in TERMS_COLUMNS))
        batch.words.update(terms["text_terms"].split())
        if plan.with_outbox:
            outbox_id = plan.first_outbox_id + listing_id - plan.first_id
            batch.outbox.append((outbox_id, listing_id, 1, OutboxOp.upsert, plan.now))
        if self.photos:
            kind = category.vocab.kind
            batch.images += self.photos.rows_for(rng, listing_id, ad.title, kind, posted)
        return status, posted

    def _status(self, posted: datetime, expires: datetime) -> tuple[ListingStatus, datetime]:
        """Sold now and then; otherwise expired once its date has passed, else active.

        Returns the status and when the listing last changed (its updated_at).
        """
        now, rng = self.plan.now, self.rng
        if rng.random() < SOLD_SHARE:
            sold_at = posted + (min(expires, now) - posted) * rng.random()
            return ListingStatus.sold, sold_at
        if expires <= now:
            return ListingStatus.expired, expires
        return ListingStatus.active, posted

    def _favourites(self, active: list[tuple]) -> None:
        """Fans favourite active listings of others, each pair once, after it was posted."""
        if not active:
            return
        plan, rng = self.plan, self.rng
        picks = [(pick(rng, plan.fans), pick(rng, active)) for _ in range(self._favourite_count())]
        if self.is_first:  # the demo account has a few to show
            demo = plan.fans[0]
            picks += [(demo, pick(rng, active)) for _ in range(rng.randint(*DEMO_FAVOURITES))]
        seen = set()
        for fan, (listing_id, owner_id, created_at) in picks:
            if fan == owner_id or (fan, listing_id) in seen:
                continue
            seen.add((fan, listing_id))
            liked_at = created_at + (plan.now - created_at) * rng.random()
            self.batch.favourites.append((fan, listing_id, liked_at))

    def _favourite_count(self) -> int:
        # Whole favourites per block, with the fraction kept as a chance of one more.
        expected = self.size * FAVOURITES_PER_LISTING
        return int(expected) + (self.rng.random() < expected % 1)


def _cumulative(weights) -> list[float]:
    total, running = 0.0, []
    for weight in weights:
        total += weight
        running.append(total)
    return running


def leaf_category_weights(known: Sequence[tuple[int, Vocab, str]], shares: dict) -> list[Category]:
    """Categories weighted so that each section gets its share, split by the vocab weights."""
    totals: Counter = Counter()
    for _, vocab, section in known:
        totals[section] += vocab.weight
    return [
        Category(id_, vocab, shares[section] * vocab.weight / totals[section])
        for id_, vocab, section in known
    ]


def random_fans(rng: random.Random, owners: Sequence[Owner], share: float) -> list[int]:
    """The demo account (first owner) and a share of the others, who favourite listings."""
    demo, people = owners[0], owners[1:]
    return [demo.id, *(o.id for o in rng.sample(people, k=int(len(people) * share)))]
