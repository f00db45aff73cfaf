"""Typo tolerance and highlighting, as both search backends apply them."""

from __future__ import annotations

import pytest

from search import analysis
from search.fuzzy import edit_distance, matches
from search.highlight import highlight


@pytest.mark.parametrize(
    ("document_term", "query_term", "expected"),
    [
        ("bike", "bike", True),
        ("bike", "bikr", False),  # under five letters: exact only
        ("sofa", "sofs", False),
        ("chair", "chiar", True),  # five letters: one edit, a swap counts as one
        ("chair", "chiars", False),  # two edits
        ("mountain", "mountian", True),  # eight letters: two edits
        ("mountain", "muontian", True),
        ("mountain", "nountain", False),  # the first letter must match
        ("refriger", "refridger", True),
        ("espresso", "espreso", True),
        ("table", "tablet", True),
        ("tables", "tablets", True),
    ],
)
def test_matches_follows_elasticsearch_fuzziness(document_term, query_term, expected):
    assert matches(document_term, query_term) is expected


def test_edit_distance_counts_a_swap_as_one_edit_and_stops_at_the_limit():
    assert edit_distance("ab", "ba", 2) == 1
    assert edit_distance("kitten", "sitting", 3) == 3
    assert edit_distance("kitten", "sitting", 1) == 2  # anything above the limit: limit + 1


def test_highlight_marks_inflections_and_typos_and_escapes_the_rest():
    terms = analysis.query_terms("mountian BIKES <b>")
    html = highlight("Mountain bikes & <b>biking</b> gear", terms)
    assert str(html) == (
        "<mark>Mountain</mark> <mark>bikes</mark> &amp; &lt;<mark>b</mark>&gt;"
        "<mark>biking</mark>&lt;/<mark>b</mark>&gt; gear"
    )
    assert str(highlight("A <i>plain</i> title", [])) == "A &lt;i&gt;plain&lt;/i&gt; title"
