"""Places: US ZIP codes and cities resolved offline to coordinates, and distances between them.

The gazetteer is the `zipcodes` package (42,789 ZIP codes with city, state and coordinates),
read once into memory; no lookup ever leaves the machine. A city resolves to the centroid of
its ZIP codes' coordinates.

Distances are great-circle distances on a sphere of radius 6,371.0088 km, Elasticsearch's
`arc` distance, so both search backends and the pages agree on what "within 25 miles" means.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from statistics import fmean

import zipcodes

EARTH_RADIUS_KM = 6371.0088  # the mean radius; Elasticsearch's GeoUtils.EARTH_MEAN_RADIUS
KM_PER_MILE = 1.609344
MAX_SUGGESTIONS = 10

ZIP_PATTERN = re.compile(r"^\d{5}(-\d{4})?$")
CITY_STATE_PATTERN = re.compile(r"^\s*(?P<city>[^,]+?)\s*(?:,\s*(?P<state>[A-Za-z]{2}))?\s*$")


@dataclass(frozen=True)
class Place:
    zip_code: str | None
    city: str
    state: str
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        suffix = f" {self.zip_code}" if self.zip_code else ""
        return f"{self.city}, {self.state}{suffix}"


class UnknownPlace(ValueError):
    """The text names no ZIP code or city in the gazetteer (the message says why)."""


@cache
def _zip_index() -> dict[str, Place]:
    places = {}
    for row in zipcodes.list_all():
        latitude, longitude = float(row["lat"] or 0), float(row["long"] or 0)
        if latitude == 0 and longitude == 0:
            continue  # the gazetteer writes "0.0" for places it has no coordinates for
        places[row["zip_code"]] = Place(
            zip_code=row["zip_code"],
            city=row["city"].title(),
            state=row["state"],
            latitude=latitude,
            longitude=longitude,
        )
    return places


@cache
def _city_index() -> dict[tuple[str, str], Place]:
    """(lower-case city, state) -> the centroid of that city's ZIP codes."""
    groups: dict[tuple[str, str], list[Place]] = {}
    for place in _zip_index().values():
        groups.setdefault((place.city.lower(), place.state), []).append(place)
    return {
        key: Place(
            zip_code=None,
            city=members[0].city,
            state=members[0].state,
            latitude=round(fmean(p.latitude for p in members), 4),
            longitude=round(fmean(p.longitude for p in members), 4),
        )
        for key, members in groups.items()
    }


def lookup_zip(zip_code: str) -> Place:
    zip_code = zip_code.strip()
    if not ZIP_PATTERN.match(zip_code):
        raise UnknownPlace("A ZIP code has five digits, like 94103.")
    place = _zip_index().get(zip_code[:5])
    if place is None:
        raise UnknownPlace(f"We don't know the ZIP code {zip_code[:5]}.")
    return place


def lookup_city(text: str) -> Place:
    """'Springfield, IL' or 'Boise'; a city name found in several states needs its state."""
    match = CITY_STATE_PATTERN.match(text)
    if not match:
        raise UnknownPlace("Enter a city as 'City, ST', like 'Austin, TX'.")
    city = " ".join(match["city"].split()).lower()
    state = (match["state"] or "").upper()
    index = _city_index()
    if state:
        place = index.get((city, state))
        if place is None:
            raise UnknownPlace(f"We don't know a city called {match['city'].strip()!r} in {state}.")
        return place
    candidates = [place for (name, _), place in index.items() if name == city]
    if not candidates:
        raise UnknownPlace(f"We don't know a city called {match['city'].strip()!r}.")
    if len(candidates) > 1:
        states = ", ".join(sorted(p.state for p in candidates)[:8])
        raise UnknownPlace(
            f"Several places are called {candidates[0].city}; add the state ({states})."
        )
    return candidates[0]


def resolve(text: str) -> Place:
    """A ZIP code or a city, whichever the text is."""
    text = (text or "").strip()
    if not text:
        raise UnknownPlace("Enter a ZIP code or a city.")
    if text[:1].isdigit():
        return lookup_zip(text)
    return lookup_city(text)


def all_zip_places() -> list[Place]:
    """Every known ZIP code as a Place (for demo data and tests)."""
    return list(_zip_index().values())


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in kilometres.

    The haversine formula, written out: geopy's `great_circle` gives the same figures
    (tests/unit/test_geo.py holds them to it) at some fifteen times the cost, mostly in
    building its Point objects, and this runs for every hit of a search near a place and for
    every saved search an alert checks."""
    phi1, phi2 = math.radians(a[0]), math.radians(b[0])
    half_lat = math.sin((phi2 - phi1) / 2)
    half_lon = math.sin(math.radians(b[1] - a[1]) / 2)
    h = half_lat * half_lat + math.cos(phi1) * math.cos(phi2) * half_lon * half_lon
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def distance_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    return distance_km(a, b) / KM_PER_MILE


@cache
def _suggestion_index() -> tuple[list[str], list[Place]]:
    """Every city and ZIP code, sorted by the lower-case text a person starts typing."""
    entries = [(f"{p.city.lower()}, {p.state.lower()}", p) for p in _city_index().values()]
    entries += [(place.zip_code, place) for place in _zip_index().values()]
    entries.sort(key=lambda entry: entry[0])
    return [key for key, _ in entries], [place for _, place in entries]


def suggest(text: str, limit: int = MAX_SUGGESTIONS) -> list[Place]:
    """Places whose ZIP code or "city, ST" starts with `text` (case and spacing ignored)."""
    prefix = " ".join(text.lower().split())
    if not prefix:
        return []
    keys, places = _suggestion_index()
    start = bisect_left(keys, prefix)
    found = []
    for key, place in zip(keys[start:], places[start:], strict=False):
        if not key.startswith(prefix) or len(found) == limit:
            break
        found.append(place)
    return found
