"""Clusters on the embedded backend: matches grouped by coordinates in SQL, into tiles here.

Listings sit on ZIP-code or city centres, so grouping the matches by their exact coordinates
first leaves at most a few tens of thousands of rows, whatever the number of listings; the
tiles and centroids are then computed in Python with the same grid as Elasticsearch's
`geotile_grid` (search.clusters.tiles).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func

from models import Listing, db
from search.backends.common import Clock

# The embedded backend's conditions for a query (every filter, the text included). Reused
# rather than restated, so clusters can never disagree with the backend's own hits and total.
from search.backends.database import _Plan
from search.clusters.cells import MAX_CLUSTERS, Cluster, Clusters, ordered, precision_for
from search.clusters.tiles import Tile
from search.query import ListingQuery

Point = tuple[float, float, int]  # latitude, longitude, listings there


def clusters(query: ListingQuery, zoom: int) -> Clusters:
    points = _points(query)
    total = sum(count for _, _, count in points)
    precision = precision_for(zoom)
    cells = group(points, precision)
    while len(cells) > MAX_CLUSTERS:
        precision -= 1
        cells = group(points, precision)
    return Clusters(total=total, zoom=zoom, precision=precision, cells=ordered(cells))


def group(points: Iterable[Point], precision: int) -> list[Cluster]:
    """The points in cells at `precision`, each at the mean of its listings' coordinates."""
    sums: dict[Tile, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for lat, lon, count in points:
        cell = sums[Tile.containing(lat, lon, precision)]
        cell[0] += count
        cell[1] += lat * count
        cell[2] += lon * count
    return [
        Cluster(tile=tile, count=int(count), lat=lat_sum / count, lon=lon_sum / count)
        for tile, (count, lat_sum, lon_sum) in sums.items()
    ]


def _points(query: ListingQuery) -> list[Point]:
    plan = _Plan(query, Clock.current())
    statement = plan._select(Listing.latitude, Listing.longitude, func.count()).group_by(
        Listing.latitude, Listing.longitude
    )
    return [
        (float(lat), float(lon), int(count)) for lat, lon, count in db.session.execute(statement)
    ]
