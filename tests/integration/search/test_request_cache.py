"""Popular searches are answered from Elasticsearch's shard request cache until the index
changes (search.backends.elasticsearch.execute, search.backends.common.Clock)."""

from __future__ import annotations

from datetime import timedelta

from models import utcnow
from search import index
from search.backends.common import Clock
from tests.integration.search.conftest import CATALOGUE_INDEX


def test_the_clock_of_a_search_is_the_next_whole_minute():
    before = utcnow()
    now = Clock.current().now
    assert (now.second, now.microsecond) == (0, 0)
    assert before < now <= before + timedelta(minutes=1)


def test_the_same_search_again_is_a_cache_hit_with_the_same_answer(catalogue):
    es = index.get_client(catalogue.apps["elasticsearch"].extensions["settings"])

    def hits() -> int:
        stats = es.indices.stats(index=CATALOGUE_INDEX, metric="request_cache")
        return stats["_all"]["total"]["request_cache"]["hit_count"]

    args = {"q": "bike", "near": "94103", "radius": 100, "category": "bikes"}
    for _ in range(2):  # once more if a minute turned between the two searches
        minute = Clock.current().now
        es.indices.clear_cache(index=CATALOGUE_INDEX, request=True)
        status, first = catalogue.get("elasticsearch", args)
        before = hits()
        status_again, again = catalogue.get("elasticsearch", args)
        if Clock.current().now == minute:
            break
    assert status == status_again == 200
    assert hits() == before + 1
    assert {k: v for k, v in again.items() if k != "took"} == {
        k: v for k, v in first.items() if k != "took"
    }
