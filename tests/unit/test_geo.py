"""Offline place lookup: ZIP codes and cities to coordinates, and distances."""

from __future__ import annotations

import random

import pytest
from geopy.distance import great_circle

from search import geo


def test_zip_code_resolves_to_its_place():
    place = geo.resolve("94103")
    assert (place.city, place.state, place.zip_code) == ("San Francisco", "CA", "94103")
    assert place.latitude == pytest.approx(37.77, abs=0.05)
    assert place.longitude == pytest.approx(-122.41, abs=0.05)


def test_zip_plus_four_uses_the_first_five_digits():
    assert geo.resolve("10001-1234").zip_code == "10001"


@pytest.mark.parametrize("text", ["Austin, TX", "austin,tx", "  AUSTIN ,  tx "])
def test_city_with_state_resolves_whatever_the_spelling(text):
    place = geo.resolve(text)
    assert (place.city, place.state, place.zip_code) == ("Austin", "TX", None)


def test_city_centre_is_near_the_city():
    place = geo.resolve("Los Angeles, CA")
    downtown = (34.05, -118.25)
    assert geo.distance_km((place.latitude, place.longitude), downtown) < 25


def test_places_without_coordinates_are_left_out():
    """The gazetteer writes 0.0 for unknown coordinates; no place may land off Africa."""
    assert all((p.latitude, p.longitude) != (0.0, 0.0) for p in geo.all_zip_places())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a ZIP code or a city."),
        ("9410", "A ZIP code has five digits"),
        ("00000", "We don't know the ZIP code 00000."),
        ("Nowhereville", "We don't know a city called 'Nowhereville'."),
        ("Austin, ZZ", "in ZZ"),
        ("Springfield", "Several places are called Springfield; add the state"),
    ],
)
def test_unknown_or_ambiguous_places_say_why(text, message):
    with pytest.raises(geo.UnknownPlace, match=message.replace("(", r"\(")):
        geo.resolve(text)


def test_distances():
    sf, la = (37.7749, -122.4194), (34.0522, -118.2437)
    assert geo.distance_km(sf, la) == pytest.approx(559, rel=0.01)
    assert geo.distance_miles(sf, la) == pytest.approx(347, rel=0.01)


def test_distances_are_geopys_great_circle_distances():
    chooser = random.Random(11)
    for _ in range(2_000):
        a = (chooser.uniform(-90, 90), chooser.uniform(-180, 180))
        b = (chooser.uniform(-90, 90), chooser.uniform(-180, 180))
        expected = great_circle(a, b, radius=geo.EARTH_RADIUS_KM).kilometers
        assert geo.distance_km(a, b) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert geo.distance_km((51.5, -0.12), (51.5, -0.12)) == 0
