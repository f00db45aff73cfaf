"""Map clusters when the matches fill more cells than an answer may hold: the grid gets
coarser until they fit, so the counts still add up to the total (both backends)."""

from __future__ import annotations

import pytest

from search.clusters import database, elasticsearch
from search.clusters.cells import precision_for
from tests.search_page_data import stock


@pytest.fixture(params=["elasticsearch", "database"])
def settings_overrides(request) -> dict:
    return {} if request.param == "elasticsearch" else {"ELASTICSEARCH_URL": None}


def test_too_many_cells_make_the_grid_coarser_until_the_counts_fit(
    app, client, make_listing, categories, monkeypatch
):
    stock(make_listing, categories, app.extensions["settings"].MEDIA_ROOT)
    for backend in (database, elasticsearch):
        monkeypatch.setattr(backend, "MAX_CLUSTERS", 2)
    body = client.get("/api/v1/search/clusters?zoom=12").get_json()
    # San Francisco, Oakland and Los Angeles: three cells at street level, two (the Bay Area
    # and Los Angeles) once the cells are coarse enough, several levels up.
    assert body["total"] == 7
    assert [cell["count"] for cell in body["clusters"]] == [5, 2]
    assert body["precision"] < precision_for(12) - 3
    monkeypatch.setattr(database, "MAX_CLUSTERS", 3)
    monkeypatch.setattr(elasticsearch, "MAX_CLUSTERS", 3)
    body = client.get("/api/v1/search/clusters?zoom=12").get_json()
    assert [cell["count"] for cell in body["clusters"]] == [3, 2, 2]
    assert body["precision"] == precision_for(12)
