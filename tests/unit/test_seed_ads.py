"""The demo-ad writer and place sampler behind `manage.py seed` (pure: no database)."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from models import PriceKind
from models.category_tree import CATEGORY_TREE, slugify
from scripts.seed_ads import TITLE_MAX, AdWriter, nice_price
from scripts.seed_places import METROS, STATES, PlaceSampler
from scripts.seed_vocabulary import CATEGORIES, SECTION_SHARES
from search.geo import Place

POSTED = datetime(2026, 5, 1, 12, 0)
PLACE = Place("94103", "San Francisco", "CA", 37.7725, -122.4147)


def writer(seed: int = 1) -> AdWriter:
    return AdWriter(random.Random(seed), companies=["Acme Plumbing"], streets=["Oak Street"])


def test_every_leaf_category_and_section_has_a_vocabulary():
    leaves = {slugify(name) for children in CATEGORY_TREE.values() for name in children}
    assert set(CATEGORIES) == leaves
    assert set(SECTION_SHARES) == {slugify(name) for name in CATEGORY_TREE}


@pytest.mark.parametrize("slug", sorted(CATEGORIES))
def test_every_template_of_a_category_renders_into_tidy_text(slug):
    ads = [writer(n).write(CATEGORIES[slug], PLACE, POSTED) for n in range(40)]
    for ad in ads:
        for text in (ad.title, ad.description):
            assert "{" not in text and "}" not in text and "  " not in text, text
            assert " ," not in text and " ." not in text, text
        assert 0 < len(ad.title) <= TITLE_MAX
        assert not (ad.title[0].islower() and not ad.title[1].isupper()), ad.title  # "iPhone" ok
        assert len(ad.description) > 60


def test_prices_follow_the_category():
    ads = {slug: writer().write(vocab, PLACE, POSTED) for slug, vocab in CATEGORIES.items()}
    assert ads["free-stuff"].price_kind is PriceKind.free and ads["free-stuff"].price_minor == 0
    assert ads["software-and-it"].price_kind is PriceKind.salary
    assert ads["software-and-it"].price_minor >= 60_000_00 * 0.99
    assert ads["cars-and-trucks"].price_minor >= 1_000_00
    assert ads["apartments-for-rent"].price_minor >= 850_00 * 0.7
    assert ads["apartments-for-rent"].condition is None
    assert ads["household-services"].price_minor <= 85_00


def test_the_same_seed_writes_the_same_ads():
    first = [writer(9).write(vocab, PLACE, POSTED) for vocab in CATEGORIES.values()]
    again = [writer(9).write(vocab, PLACE, POSTED) for vocab in CATEGORIES.values()]
    assert first == again


def test_nice_prices_look_like_asking_prices():
    assert [nice_price(x) for x in (7.4, 43, 123, 1234, 14_321, 387_654)] == [
        7,
        45,
        120,
        1250,
        14_300,
        390_000,
    ]


def test_homes_are_real_zip_codes_mostly_in_big_metros():
    sampler = PlaceSampler(random.Random(3))
    metro_zips = {p.zip_code for places in sampler.metro_places for p in places}
    homes = [sampler.home() for _ in range(2000)]
    assert all(h.state in STATES and (h.latitude, h.longitude) != (0, 0) for h in homes)
    assert sum(h.zip_code in metro_zips for h in homes) / len(homes) > 0.8
    assert all(sampler.metro_places), [
        m.name for m, p in zip(METROS, sampler.metro_places, strict=True) if not p
    ]
    new_york = sum(h.zip_code in {p.zip_code for p in sampler.metro_places[0]} for h in homes)
    anchorage = sum(h.zip_code in {p.zip_code for p in sampler.metro_places[-1]} for h in homes)
    assert new_york > anchorage


def test_a_pin_stays_within_a_kilometre_or_so_of_its_zip_code():
    sampler = PlaceSampler(random.Random(3), places=[PLACE])
    pin = sampler.near(PLACE)
    assert (
        abs(pin.latitude - PLACE.latitude) <= 0.01 and abs(pin.longitude - PLACE.longitude) <= 0.01
    )
    assert pin.zip_code == PLACE.zip_code
