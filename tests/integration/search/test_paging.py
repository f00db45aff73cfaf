"""Deep paging: following `next_cursor` from the first page to the last yields every match
exactly once, in order, on every backend and in every sort."""

from __future__ import annotations

import pytest

from tests.integration.search.conftest import BACKENDS

WALKS = [
    "sort=newest",
    "sort=price_asc",
    "sort=price_desc",
    "near=94103&radius=500&sort=distance",
    "q=bike",
    "q=lamp+OR+light",
    "category=for-sale&photo=1",
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", WALKS)
def test_walking_the_cursor_yields_each_match_once(catalogue, backend, case):
    _, whole = catalogue.get(backend, f"{case}&per_page=100")
    expected = [hit["id"] for hit in whole["hits"]]
    assert expected, "the walk needs matches"
    seen, cursor, pages = [], None, 0
    while True:
        args = f"{case}&per_page=3" + (f"&cursor={cursor}" if cursor else "")
        status, body = catalogue.get(backend, args)
        assert status == 200, body
        assert body["total"] == len(expected)
        seen += [hit["id"] for hit in body["hits"]]
        cursor, pages = body["next_cursor"], pages + 1
        if cursor is None:
            break
        assert pages < 50
    assert seen == expected
    assert pages == -(-len(expected) // 3)  # no empty page at the end


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cursor_from_another_search_is_refused(catalogue, backend):
    _, first = catalogue.get(backend, "sort=newest&per_page=2")
    cursor = first["next_cursor"]
    status, body = catalogue.get(backend, f"sort=price_asc&per_page=2&cursor={cursor}")
    assert status == 400
    assert "another search" in body["errors"]["cursor"]
    status, _ = catalogue.get(backend, f"sort=newest&per_page=2&cursor={cursor}")
    assert status == 200


@pytest.mark.parametrize("backend", BACKENDS)
def test_page_numbers_also_give_a_cursor_onwards(catalogue, backend):
    _, whole = catalogue.get(backend, "sort=price_desc&per_page=100")
    expected = [hit["id"] for hit in whole["hits"]]
    _, second = catalogue.get(backend, "sort=price_desc&per_page=4&page=2")
    _, third = catalogue.get(backend, f"sort=price_desc&per_page=4&cursor={second['next_cursor']}")
    assert [hit["id"] for hit in third["hits"]] == expected[8:12]
