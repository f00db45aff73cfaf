"""The answer of a cluster search: cells with counts and centroids, in one order."""

from __future__ import annotations

from dataclasses import dataclass

from search.clusters.tiles import MAX_PRECISION, Tile

CELL_LEVELS = 2  # cells are 2^-2 of a tile: 64 pixels at the map's zoom
MAX_CLUSTERS = 2_000  # more bubbles than a map can show; keeps the answer small


@dataclass(frozen=True)
class Cluster:
    """The matches in one cell: how many, and their centroid."""

    tile: Tile
    count: int
    lat: float
    lon: float

    def to_json(self) -> dict:
        west, south, east, north = self.tile.bounds()
        return {
            "key": self.tile.key,
            "count": self.count,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "bounds": {
                "west": round(west, 6),
                "south": round(south, 6),
                "east": round(east, 6),
                "north": round(north, 6),
            },
        }


@dataclass
class Clusters:
    """Every cell with matches, largest first; their counts add up to `total`."""

    total: int
    zoom: int
    precision: int
    cells: list[Cluster]

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "zoom": self.zoom,
            "precision": self.precision,
            "clusters": [cell.to_json() for cell in self.cells],
        }


def precision_for(zoom: int) -> int:
    """The grid precision of a map zoom level."""
    return min(zoom + CELL_LEVELS, MAX_PRECISION)


def ordered(cells: list[Cluster]) -> list[Cluster]:
    """The one order of both backends: most listings first, then by cell."""
    return sorted(cells, key=lambda cell: (-cell.count, cell.tile))
