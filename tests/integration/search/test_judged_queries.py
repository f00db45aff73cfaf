"""The judged query set: what people type, and what they must (and must not) find, on every
backend. Plurals, inflections, accents, case, typos in longer words, stop words."""

from __future__ import annotations

import pytest

from tests.integration.search.conftest import BACKENDS

# (query, ids that must be found, ids that must not be)
JUDGED = [
    ("bike", {1, 2, 15, 16, 19, 22}, {30, 31, 32, 33, 34, 35}),  # never the invisible ones
    ("bikes", {1, 2, 15, 16, 22}, set()),  # plural finds singular
    ("Bicycles", {1, 2}, set()),  # plural of a word only in singular form
    ("running", {3}, set()),
    ("runs", {11}, set()),  # "Runs well" in a description
    ("cafe", {4}, set()),  # accent typed without
    ("café", {4}, set()),
    ("CRÈME brulee", {4}, set()),  # accents and case either way
    ("mountian bikes", {1}, set()),  # one transposition in a 8-letter word
    ("refridgerator", {7}, set()),  # one letter too many in a long word
    ("espreso", {4}, set()),  # one letter missing
    ("sofs", set(), {6}),  # a typo in a short word is not forgiven
    ("iphone 13", {5}, set()),  # "iPhone-13"
    ("lamps", {8, 9, 21}, set()),
    ("table and chairs", {14}, set()),  # stop words do not have to match
    ("the", {12, 24}, {1, 6}),  # nothing but a stop word: then it must match itself
    ("bike sofa", set(), {1, 6}),  # every word is required
    ("xyzzy", set(), set(range(1, 40))),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("text", "found", "not_found"), JUDGED)
def test_judged_queries(catalogue, backend, text, found, not_found):
    status, body = catalogue.get(backend, {"q": text, "per_page": 100})
    assert status == 200, body
    ids = {hit["id"] for hit in body["hits"]}
    assert found <= ids, f"{text!r} missed {found - ids}"
    assert not (ids & not_found), f"{text!r} found {ids & not_found}"


@pytest.mark.parametrize("backend", BACKENDS)
def test_matched_words_are_highlighted_in_titles(catalogue, backend):
    _, body = catalogue.get(backend, {"q": "mountian bike kids"})
    (hit,) = body["hits"]
    assert hit["title_html"] == "<mark>Mountain</mark> <mark>bikes</mark> for <mark>kids</mark>"
