"""Map clusters: the matches of a ListingQuery grouped into cells of the map's grid.

The map shows one bubble per cell with how many listings it holds, placed at the centroid of
those listings. Cells are map tiles (search.clusters.tiles) a quarter of a 256-pixel tile wide
at the map's zoom (tile precision = zoom + 2), so bubbles sit about 64 pixels apart.

Both backends group the same way, with the query's every filter: `geotile_grid` with a
`geo_centroid` on Elasticsearch (search.clusters.elasticsearch), the same tiles computed from
coordinates grouped in SQL on the embedded backend (search.clusters.database). The counts of
the cells always add up to the query's `total`: when the matches fill more than MAX_CLUSTERS
cells, the grid is made coarser, one level at a time, until they fit (`precision` says which
level answered).
"""

from __future__ import annotations

from search import engine
from search.clusters import database, elasticsearch
from search.clusters.cells import Cluster, Clusters
from search.query import ListingQuery

__all__ = ["Cluster", "Clusters", "MAX_ZOOM", "MIN_ZOOM", "clusters"]

MIN_ZOOM, MAX_ZOOM = 0, 24  # Leaflet's and the tile servers' range, with room


def clusters(query: ListingQuery, zoom: int) -> Clusters:
    """The matches of a valid `query` in cells for a map at `zoom` (raises
    engine.SearchUnavailable when the backend cannot answer)."""
    if query.errors:
        raise ValueError(f"an invalid query cannot run: {query.errors}")
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise ValueError(f"zoom must be from {MIN_ZOOM} to {MAX_ZOOM}")
    backend = elasticsearch if engine.backend_name() == "elasticsearch" else database
    return backend.clusters(query, zoom)
