"""Map cells: the web-map grid the clusters use, the same as Elasticsearch's geotile_grid."""

from __future__ import annotations

import pytest

from search.clusters.cells import MAX_CLUSTERS, Cluster, ordered, precision_for
from search.clusters.tiles import MAX_LATITUDE, MAX_PRECISION, Tile

SAN_FRANCISCO = (37.7725, -122.4147)


def test_a_point_falls_in_the_tile_a_web_map_draws_it_on():
    # The slippy-map formula by hand: x = (lon + 180) / 360 * 2^z, y from the Mercator latitude.
    assert Tile.containing(*SAN_FRANCISCO, 10) == Tile(10, 163, 395)
    assert Tile.containing(*SAN_FRANCISCO, 10).key == "10/163/395"


def test_at_precision_zero_the_world_is_one_cell():
    assert Tile.containing(-33.9, 151.2, 0) == Tile(0, 0, 0)


@pytest.mark.parametrize(
    ("lat", "lon", "x", "y"),
    [(90, 0, 128, 0), (-90, 0, 128, 255), (89.9, 180, 255, 0), (0, -180, 0, 128)],
)
def test_edges_and_poles_fall_into_the_outermost_cells(lat, lon, x, y):
    assert Tile.containing(lat, lon, 8) == Tile(8, x, y)


def test_a_cell_s_bounds_hold_its_points_and_nest_in_its_parent():
    tile = Tile.containing(*SAN_FRANCISCO, 12)
    west, south, east, north = tile.bounds()
    assert west <= SAN_FRANCISCO[1] < east and south < SAN_FRANCISCO[0] <= north
    p_west, p_south, p_east, p_north = tile.parent().bounds()
    assert p_west <= west and east <= p_east and p_south <= south and north <= p_north
    assert tile.parent() == Tile.containing(*SAN_FRANCISCO, 11)


def test_the_grid_stops_where_web_mercator_does():
    assert Tile(0, 0, 0).bounds() == pytest.approx((-180, -MAX_LATITUDE, 180, MAX_LATITUDE))


def test_keys_read_back():
    assert Tile.from_key("7/20/49") == Tile(7, 20, 49)


def test_cells_are_a_quarter_tile_at_the_map_s_zoom_within_the_server_s_limit():
    assert precision_for(0) == 2
    assert precision_for(10) == 12
    assert precision_for(40) == MAX_PRECISION


def test_cells_come_largest_first_then_by_cell():
    cells = [
        Cluster(Tile(4, 2, 1), 3, 0, 0),
        Cluster(Tile(4, 1, 1), 3, 0, 0),
        Cluster(Tile(4, 0, 0), 9, 0, 0),
    ]
    assert [c.tile.key for c in ordered(cells)] == ["4/0/0", "4/1/1", "4/2/1"]


def test_the_cluster_limit_leaves_room_for_a_map_s_worth_of_bubbles():
    # A 1920x1080 map at 64-pixel cells shows 30 x 17 of them.
    assert MAX_CLUSTERS >= 30 * 17
