"""Map tiles: which cell of the web-map grid a point falls in, and a cell's edges.

The grid is the one web maps draw (Web Mercator, "slippy map" tiles): at precision `p` the
world is 2^p x 2^p cells, x from the antimeridian eastwards, y from the north. It is the grid
of Elasticsearch's `geotile_grid` aggregation, computed here the way the server computes it
(GeoTileUtils: latitudes clipped to what the projection covers, edge values clipped into the
last cell), so the embedded backend groups listings into the same cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_PRECISION = 29  # Elasticsearch's limit for geotile_grid
# Web Mercator stops short of the poles: atan(sinh(pi)).
MAX_LATITUDE = math.degrees(math.atan(math.sinh(math.pi)))


@dataclass(frozen=True, order=True)
class Tile:
    """One cell of the grid at `precision`, written "precision/x/y" like Elasticsearch's keys."""

    precision: int
    x: int
    y: int

    @classmethod
    def containing(cls, lat: float, lon: float, precision: int) -> Tile:
        tiles = 1 << precision
        x = math.floor((lon + 180.0) / 360.0 * tiles)
        clipped = min(max(lat, -MAX_LATITUDE), MAX_LATITUDE)
        sin_lat = math.sin(math.radians(clipped))
        fraction = 0.5 - math.log((1 + sin_lat) / (1 - sin_lat)) / (4 * math.pi)
        y = math.floor(fraction * tiles)
        return cls(precision, _clip(x, tiles), _clip(y, tiles))

    @classmethod
    def from_key(cls, key: str) -> Tile:
        precision, x, y = (int(part) for part in key.split("/"))
        return cls(precision, x, y)

    @property
    def key(self) -> str:
        return f"{self.precision}/{self.x}/{self.y}"

    def parent(self) -> Tile:
        """The cell one precision coarser that holds this one."""
        return Tile(self.precision - 1, self.x >> 1, self.y >> 1)

    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees."""
        tiles = 1 << self.precision
        west = self.x / tiles * 360.0 - 180.0
        east = (self.x + 1) / tiles * 360.0 - 180.0
        return west, _latitude(self.y + 1, tiles), east, _latitude(self.y, tiles)


def _clip(index: int, tiles: int) -> int:
    return min(max(index, 0), tiles - 1)


def _latitude(y: int, tiles: int) -> float:
    """The latitude of the northern edge of row `y`."""
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / tiles))))
