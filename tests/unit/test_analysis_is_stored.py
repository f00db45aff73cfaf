"""The analysis of listings is stored, so a change to it is a data migration.

Every listing's terms are written once, when its text changes: into `listing_terms`, which the
embedded backend searches and `manage.py reindex` copies into the index. Queries are analysed
afresh at every search. So if search.analysis (or the stemmer it uses, on an upgrade) turned
the same text into other terms, queries would look for words that stored listings do not
have, and nothing would say so. These tests pin what the analysis writes. When one fails on
purpose, the change must come with a migration that rewrites `listing_terms` and
`search_vocabulary` for every listing (as migration 0004 first wrote them), and the release
notes must ask for `manage.py reindex`; then update the expected values here.
"""

from __future__ import annotations

import hashlib
import random

import pytest

from search.analysis import listing_terms, query_terms

MIGRATION_NEEDED = (
    "search.analysis now writes other terms for the same text: stored listings keep the old "
    "ones. Add a migration that rewrites listing_terms and search_vocabulary, ask for a "
    "reindex, then update this test (see its module docstring)."
)


@pytest.mark.parametrize(
    ("title", "description", "stored"),
    [
        (
            "Road bikes",
            "Two bikes, barely ridden.",
            ("road bike", "road bike two bike bare ridden"),
        ),
        ("Café Crème machine", "", ("cafe creme machin", "cafe creme machin")),
        ("iPhone-13 Pro", "128GB, 2 cases", ("iphon 13 pro", "iphon 13 pro 128gb 2 case")),
        ("STRASSE ß", "naïve façade", ("strass ss", "strass ss naiv facad")),
        ("Running shoes", "size_10", ("run shoe", "run shoe size 10")),
        ("Sofa", "x" * 101 + " long", ("sofa", "sofa long")),  # over 100 characters: left out
        ("猫 for sale 🚲", "", ("猫 for sale", "猫 for sale")),
    ],
)
def test_a_listings_stored_terms_are_what_they_were(title, description, stored):
    assert listing_terms(title, description) == stored, MIGRATION_NEEDED


def test_queries_are_analysed_as_the_stored_terms_were():
    # A query finds a listing only if its terms are the stored ones (the pairs above).
    assert query_terms("road BIKES for kids") == ["road", "bike", "kid"]
    assert query_terms("cafés") == ["cafe"]


def test_the_analysis_of_a_broad_sample_is_unchanged():
    """A fingerprint of many texts: letters of several scripts, accents, digits, punctuation,
    mixed case, words of every length. Any change to what gets stored changes it."""
    chooser = random.Random(20261206)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,'éèçñüÅßæœı猫д"
    pieces = ["ing ", "ies ", "ed ", "s ", "ly ", "ation ", "ness ", " the ", " bike", " sofa"]
    digest = hashlib.sha256()
    for _ in range(3_000):
        text = "".join(
            chooser.choice(pieces) if chooser.random() < 0.2 else chooser.choice(alphabet)
            for _ in range(chooser.randrange(1, 60))
        )
        title, description = text[: len(text) // 3], text
        digest.update("\t".join(listing_terms(title, description)).encode() + b"\n")
    assert digest.hexdigest() == EXPECTED_FINGERPRINT, MIGRATION_NEEDED


EXPECTED_FINGERPRINT = "027aa2067addb45c90f4708766527015670557cd8dc5cb3de23a29e13c31710c"
