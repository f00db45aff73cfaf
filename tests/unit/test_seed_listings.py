"""Blocks of seeded listings (pure: no database): independent of how they are batched."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from models import ListingStatus, OutboxOp
from scripts.seed_listings import (
    BLOCK_SIZE,
    FAVOURITE_COLUMNS,
    LISTING_COLUMNS,
    OUTBOX_COLUMNS,
    Plan,
    leaf_category_weights,
    make_batch,
    random_fans,
)
from scripts.seed_places import PlaceSampler
from scripts.seed_random import pick_two
from scripts.seed_users import Owner
from scripts.seed_vocabulary import (
    COMMUNITY,
    FOR_SALE,
    GIGS,
    HOUSING,
    JOBS,
    SECTION_SHARES,
    SERVICES,
    VEHICLES,
)

NOW = datetime(2026, 11, 20, 12, 0)
SECTIONS = {
    "for-sale": FOR_SALE,
    "vehicles": VEHICLES,
    "housing": HOUSING,
    "jobs": JOBS,
    "services": SERVICES,
    "community": COMMUNITY,
    "gigs": GIGS,
}


@pytest.fixture(scope="module")
def places() -> PlaceSampler:
    return PlaceSampler(random.Random(1))


def plan(places: PlaceSampler, seed: int = 3, count: int = 3 * BLOCK_SIZE - 20) -> Plan:
    rng = random.Random(seed)
    leaves = [(vocab, section) for section, table in SECTIONS.items() for vocab in table.values()]
    known = [(n, vocab, section) for n, (vocab, section) in enumerate(leaves, 1)]
    owners = [Owner(n, places.home(), rng.paretovariate(3.0)) for n in range(1, 41)]
    return Plan(
        seed=seed,
        now=NOW,
        ttl=timedelta(days=30),
        first_id=1001,
        first_outbox_id=501,
        count=count,
        categories=leaf_category_weights(known, SECTION_SHARES),
        owners=owners,
        fans=random_fans(rng, owners, 0.3),
        companies=["Acme Plumbing"],
        streets=["Oak Street"],
        places=places,
    )


def test_a_block_is_the_same_whichever_batch_makes_it(places):
    seeded = plan(places)
    together = make_batch(seeded, range(3))
    apart = [make_batch(seeded, range(block, block + 1)) for block in range(3)]

    for table in ("listings", "outbox", "favourites"):
        assert getattr(together, table) == [row for b in apart for row in getattr(b, table)]
    assert together.statuses == apart[0].statuses + apart[1].statuses + apart[2].statuses


def test_another_seed_writes_other_ads(places):
    first = make_batch(plan(places, seed=3), range(1)).listings
    other = make_batch(plan(places, seed=4), range(1)).listings
    assert [row[3] for row in first] != [row[3] for row in other]


def test_ids_run_on_from_the_reserved_ones_with_an_outbox_entry_each(places):
    seeded = plan(places)
    batch = make_batch(seeded, range(seeded.blocks))

    ids = [row[0] for row in batch.listings]
    assert ids == list(range(1001, 1001 + seeded.count))
    assert batch.outbox == [(501 + n, 1001 + n, 1, OutboxOp.upsert, NOW) for n in range(len(ids))]
    assert all(len(row) == len(LISTING_COLUMNS) for row in batch.listings)
    assert len(OUTBOX_COLUMNS) == 5 and len(FAVOURITE_COLUMNS) == 3


def test_favourites_are_of_active_listings_of_others_once_and_after_posting(places):
    seeded = plan(places)
    batch = make_batch(seeded, range(seeded.blocks))
    listings = {row[0]: row for row in batch.listings}
    owner, status, created = (
        LISTING_COLUMNS.index(c) for c in ("owner_id", "status", "created_at")
    )

    pairs = [(fan, listing) for fan, listing, _ in batch.favourites]
    assert len(pairs) == len(set(pairs)) > 0
    assert any(fan == seeded.fans[0] for fan, _ in pairs)  # the demo account has some
    for fan, listing_id, liked_at in batch.favourites:
        listing = listings[listing_id]
        assert fan in seeded.fans and fan != listing[owner]
        assert listing[status] is ListingStatus.active
        assert listing[created] <= liked_at <= NOW


def test_pick_two_never_picks_the_same_element_twice():
    rng = random.Random(5)
    assert all(len(set(pick_two(rng, "abc"))) == 2 for _ in range(500))
    assert pick_two(rng, ["only"]) == ("only", "only")
