"""Map clusters (`GET /api/v1/search/clusters`) on every backend: the same cells with the same
counts from Elasticsearch's geotile_grid and from the embedded backend's grouping, adding up to
the search's total, for filtered searches, places, boxes across the antimeridian and zooms from
the whole world to a street."""

from __future__ import annotations

import pytest

from search.clusters.cells import precision_for
from search.clusters.tiles import Tile
from tests.integration.search.conftest import BACKENDS

CASES = [
    "",
    "q=bike",
    "category=for-sale&condition=good&condition=like_new",
    "near=94103&radius=50",
    "near=94103&radius=50&sort=distance&page=2",  # order and page change nothing here
    "bbox=170,40,-170,60",
    "min_price=100&posted=7d&photo=1",
    "max_price=0",
]
ZOOMS = (0, 3, 8, 14)


def clusters(catalogue, backend: str, args: str, zoom: int) -> dict:
    status, body = catalogue.get(backend, f"{args}&zoom={zoom}", path="/api/v1/search/clusters")
    assert status == 200, body
    return body


@pytest.mark.parametrize("args", CASES)
@pytest.mark.parametrize("zoom", ZOOMS)
def test_every_backend_makes_the_same_cells_adding_up_to_the_total(catalogue, args, zoom):
    answers = {backend: clusters(catalogue, backend, args, zoom) for backend in BACKENDS}
    search_args = "&".join(a for a in args.split("&") if not a.startswith(("sort=", "page=")))
    _, search = catalogue.get("elasticsearch", search_args)
    for backend, answer in answers.items():
        assert answer["total"] == search["total"], backend
        assert sum(cell["count"] for cell in answer["clusters"]) == answer["total"], backend
        assert answer["precision"] == precision_for(zoom)
    reference = answers["elasticsearch"]
    for backend in BACKENDS[1:]:
        answer = answers[backend]
        assert [(c["key"], c["count"]) for c in answer["clusters"]] == [
            (c["key"], c["count"]) for c in reference["clusters"]
        ], backend
        for mine, theirs in zip(answer["clusters"], reference["clusters"], strict=True):
            # Elasticsearch stores points to about 1e-7 degrees before averaging them.
            assert mine["lat"] == pytest.approx(theirs["lat"], abs=1e-5)
            assert mine["lon"] == pytest.approx(theirs["lon"], abs=1e-5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_cell_holds_its_centroid_and_says_its_bounds(catalogue, backend):
    for cell in clusters(catalogue, backend, "", 6)["clusters"]:
        tile = Tile.from_key(cell["key"])
        assert Tile.containing(cell["lat"], cell["lon"], tile.precision) == tile
        bounds = cell["bounds"]
        assert (bounds["west"], bounds["south"], bounds["east"], bounds["north"]) == pytest.approx(
            tile.bounds(), abs=1e-6
        )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("args", "argument"),
    [
        ("", "zoom"),
        ("zoom=", "zoom"),
        ("zoom=ten", "zoom"),
        ("zoom=-1", "zoom"),
        ("zoom=25", "zoom"),
        ("zoom=3&near=00000", "near"),
        ("zoom=3&category=no-such", "category"),
        ("zoom=3&bbox=10,50,20,40", "bbox"),
    ],
)
def test_bad_arguments_get_a_400_with_a_reason(catalogue, backend, args, argument):
    status, body = catalogue.get(backend, args, path="/api/v1/search/clusters")
    assert status == 400
    assert body["errors"][argument]
