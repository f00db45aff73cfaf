"""Where demo people live: real ZIP codes, most of them in big metros, weighted by population.

Metro centres are written down here rather than looked up by city name because a city's
centroid in the gazetteer averages all its ZIP codes, and a few of those carry no coordinates.
"""

from __future__ import annotations

import copy
import itertools
import math
import random
from collections import defaultdict
from dataclasses import dataclass

from scripts.seed_random import pick
from search.geo import Place, all_zip_places

# The 50 states and DC: territories and military post offices make odd demo neighbours.
# fmt: off
STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY",
})
# fmt: on
METRO_SHARE = 0.85  # the rest is spread uniformly over every ZIP code, small towns included
JITTER_DEGREES = 0.01  # about a kilometre, so listings of one ZIP code do not sit on one point


@dataclass(frozen=True)
class Metro:
    name: str
    latitude: float
    longitude: float
    population: float  # millions, metropolitan area, rounded


METROS = (
    Metro("New York", 40.7128, -74.0060, 19.8),
    Metro("Los Angeles", 34.0522, -118.2437, 13.2),
    Metro("Chicago", 41.8781, -87.6298, 9.5),
    Metro("Dallas", 32.7767, -96.7970, 7.6),
    Metro("Houston", 29.7604, -95.3698, 7.1),
    Metro("Washington", 38.9072, -77.0369, 6.3),
    Metro("Philadelphia", 39.9526, -75.1652, 6.2),
    Metro("Miami", 25.7617, -80.1918, 6.1),
    Metro("Atlanta", 33.7490, -84.3880, 6.1),
    Metro("Boston", 42.3601, -71.0589, 4.9),
    Metro("Phoenix", 33.4484, -112.0740, 4.8),
    Metro("San Francisco", 37.7749, -122.4194, 4.7),
    Metro("Riverside", 33.9806, -117.3755, 4.6),
    Metro("Detroit", 42.3314, -83.0458, 4.4),
    Metro("Seattle", 47.6062, -122.3321, 4.0),
    Metro("Minneapolis", 44.9778, -93.2650, 3.7),
    Metro("San Diego", 32.7157, -117.1611, 3.3),
    Metro("Tampa", 27.9506, -82.4572, 3.2),
    Metro("Denver", 39.7392, -104.9903, 3.0),
    Metro("Baltimore", 39.2904, -76.6122, 2.8),
    Metro("St. Louis", 38.6270, -90.1994, 2.8),
    Metro("Orlando", 28.5383, -81.3792, 2.7),
    Metro("Charlotte", 35.2271, -80.8431, 2.7),
    Metro("San Antonio", 29.4241, -98.4936, 2.6),
    Metro("Portland", 45.5152, -122.6784, 2.5),
    Metro("Sacramento", 38.5816, -121.4944, 2.4),
    Metro("Pittsburgh", 40.4406, -79.9959, 2.4),
    Metro("Austin", 30.2672, -97.7431, 2.3),
    Metro("Las Vegas", 36.1699, -115.1398, 2.3),
    Metro("Cincinnati", 39.1031, -84.5120, 2.3),
    Metro("Kansas City", 39.0997, -94.5786, 2.2),
    Metro("Columbus", 39.9612, -82.9988, 2.1),
    Metro("Indianapolis", 39.7684, -86.1581, 2.1),
    Metro("Cleveland", 41.4993, -81.6944, 2.1),
    Metro("San Jose", 37.3382, -121.8863, 2.0),
    Metro("Nashville", 36.1627, -86.7816, 2.0),
    Metro("Virginia Beach", 36.8529, -75.9780, 1.8),
    Metro("Providence", 41.8240, -71.4128, 1.7),
    Metro("Jacksonville", 30.3322, -81.6557, 1.6),
    Metro("Milwaukee", 43.0389, -87.9065, 1.6),
    Metro("Raleigh", 35.7796, -78.6382, 1.4),
    Metro("Oklahoma City", 35.4676, -97.5164, 1.4),
    Metro("Memphis", 35.1495, -90.0490, 1.3),
    Metro("Richmond", 37.5407, -77.4360, 1.3),
    Metro("Louisville", 38.2527, -85.7585, 1.3),
    Metro("New Orleans", 29.9511, -90.0715, 1.3),
    Metro("Salt Lake City", 40.7608, -111.8910, 1.3),
    Metro("Hartford", 41.7658, -72.6734, 1.2),
    Metro("Buffalo", 42.8864, -78.8784, 1.2),
    Metro("Birmingham", 33.5186, -86.8104, 1.1),
    Metro("Honolulu", 21.3069, -157.8583, 1.0),
    Metro("Albuquerque", 35.0844, -106.6504, 0.9),
    Metro("Boise", 43.6150, -116.2023, 0.8),
    Metro("Anchorage", 61.2181, -149.9003, 0.4),
)


class PlaceSampler:
    """Draws ZIP codes: a metro by population, then one of its ZIP codes; sometimes anywhere."""

    def __init__(self, rng: random.Random, places: list[Place] | None = None):
        self.rng = rng
        self.places = [p for p in (places or all_zip_places()) if _usable(p)]
        grid = _grid(self.places)
        self.metro_places = [_near(grid, metro) for metro in METROS]
        self.metro_weights = [
            m.population if near else 0 for m, near in zip(METROS, self.metro_places, strict=True)
        ]
        # Running totals: random.choices would add the weights up again on every draw.
        self.metro_cum_weights = list(itertools.accumulate(self.metro_weights))

    def reseeded(self, rng: random.Random) -> PlaceSampler:
        """The same places drawn with another generator (the tables are shared, not rebuilt)."""
        sampler = copy.copy(self)
        sampler.rng = rng
        return sampler

    def home(self) -> Place:
        """A ZIP code centre where someone might live."""
        if self.rng.random() < METRO_SHARE:
            metro = self.rng.choices(self.metro_places, cum_weights=self.metro_cum_weights)[0]
            return pick(self.rng, metro)
        return pick(self.rng, self.places)

    def near(self, place: Place) -> Place:
        """The place, moved by up to a kilometre or so, as a listing's pin."""
        return Place(place.zip_code, place.city, place.state, *self.jitter(place))

    def jitter(self, place: Place) -> tuple[float, float]:
        """The latitude and longitude of `near`, without building a Place."""
        random = self.rng.random
        return (
            round(place.latitude + (2 * random() - 1) * JITTER_DEGREES, 5),
            round(place.longitude + (2 * random() - 1) * JITTER_DEGREES, 5),
        )


def _usable(place: Place) -> bool:
    # A handful of gazetteer rows carry 0.0/0.0, a point in the Gulf of Guinea.
    return place.state in STATES and not (place.latitude == 0 and place.longitude == 0)


def _grid(places: list[Place]) -> dict[tuple[int, int], list[Place]]:
    """Places by whole-degree cell, so a metro looks at nine cells instead of every ZIP code."""
    cells: dict[tuple[int, int], list[Place]] = defaultdict(list)
    for place in places:
        cells[math.floor(place.latitude), math.floor(place.longitude)].append(place)
    return cells


def _near(grid: dict[tuple[int, int], list[Place]], metro: Metro) -> list[Place]:
    """ZIP codes within the metro's radius; bigger metros reach further (20 km + 8 km per √M)."""
    radius_km = 20 + 8 * math.sqrt(metro.population)
    km_per_lon_degree = 111.32 * math.cos(math.radians(metro.latitude))
    cell_lat, cell_lon = math.floor(metro.latitude), math.floor(metro.longitude)
    found = []
    for dlat in (-1, 0, 1):
        for dlon in (-1, 0, 1):
            for place in grid.get((cell_lat + dlat, cell_lon + dlon), ()):
                dy = (place.latitude - metro.latitude) * 110.57
                dx = (place.longitude - metro.longitude) * km_per_lon_degree
                if dx * dx + dy * dy <= radius_km * radius_km:
                    found.append(place)
    return found
