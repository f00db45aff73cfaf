"""English matching measured on the judged query set (tests/data/judged_search.json), on the
real index: the ads are posted as listings, reach Elasticsearch through the index pipeline, and
each judged query runs against them. The chosen analysis (folding and stemming in Python into
`text_terms`) must find what the issue asks for and beat the server's standard analyzer."""

from __future__ import annotations

import pytest

from models import db
from search.index import get_client
from tests.conftest import TEST_INDEX
from tests.judged import analyzed_field_query, load, python_terms_query, score

JUDGED = load()


@pytest.fixture
def judged_index(app, make_user, make_listing, listing_index):
    """The judged ads as listings in the index; returns (client, listing id -> judged id)."""
    owner = make_user()
    judged_ids = {}
    for ad in JUDGED["documents"]:
        listing = make_listing(owner=owner, title=ad["title"], description=ad["description"])
        judged_ids[listing.id] = ad["id"]
    es = get_client(app.extensions["settings"])
    es.indices.refresh(index=TEST_INDEX)
    db.session.rollback()
    return es, judged_ids


def _searcher(es, judged_ids, build):
    def search(text: str) -> set[int]:
        found = es.search(index=TEST_INDEX, query=build(text), size=100, _source=False)
        return {judged_ids[int(hit["_id"])] for hit in found["hits"]["hits"]}

    return search


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bike", {1, 2, 3, 26}),
        ("running", {4, 5, 33}),  # a "running board" too: words, not meanings
        ("cafe", {6, 7}),  # not "cafeteria"
        ("iphone 13", {9, 10}),  # not the iPhone 12
    ],
)
def test_the_examples_of_the_issue(judged_index, query, expected):
    es, judged_ids = judged_index
    search = _searcher(es, judged_ids, python_terms_query)
    assert search(query) == expected
    # and the other way round: "bikes", "run", "café", "iPhone-13"
    other = {"bike": "bikes", "running": "run", "cafe": "café", "iphone 13": "iPhone-13"}[query]
    assert search(other) == expected


def test_python_analysis_beats_the_standard_analyzer_on_the_judged_set(judged_index):
    es, judged_ids = judged_index
    queries = JUDGED["queries"]
    chosen = score(_searcher(es, judged_ids, python_terms_query), queries)
    standard = score(
        _searcher(es, judged_ids, lambda q: analyzed_field_query(q, ["title", "description"])),
        queries,
    )
    print(f"\npython terms: {chosen.line()}\nstandard:     {standard.line()}")
    # Measured 2026-11-27 (docs/BENCHMARKS.md); the misses left need synonyms.
    assert chosen.recall >= 0.85 and chosen.precision >= 0.9, chosen.misses
    assert chosen.recall > standard.recall + 0.1
    assert chosen.exact > standard.exact
