"""English text analysis done in Python, the same for the index, the queries and both backends.

The Elasticsearch server here has no stemmer or ASCII-folding filter (docs/ARCHITECTURE.md), so
the words of a listing are folded and stemmed here and stored as ready-made terms: the index
splits them on spaces, the embedded backend stores them in its full-text table. A query's words
go through the same steps, so "bikes" finds "bike", "running" "run", "café" "cafe" and
"iphone 13" "iPhone-13", on every backend alike.

Steps: Unicode compatibility decomposition with the accents dropped, case folding, splitting on
anything that is not a letter or digit, then the Snowball English (Porter2) stemmer.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache

import Stemmer

_stemmer = Stemmer.Stemmer("english")
_WORD = re.compile(r"[^\W_]+")
# ASCII text's words without a regular expression: letters lower-cased, digits kept, every
# other byte a space, then split. The same words as _WORD on folded text, in a fifth of the
# time (the split is most of the Python time a reindex spends per listing).
_ALNUM = string.ascii_letters + string.digits
_ASCII_SPACES = bytes(
    ord(chr(code).lower()) if chr(code) in _ALNUM else ord(" ") for code in range(256)
)

# Longer "words" are noise (serial numbers, pasted URLs): no index keeps them, which also keeps
# them under PostgreSQL's limits for btree and tsvector entries (the embedded backend).
MAX_TERM_LENGTH = 100

# Dropped from queries (not from documents) when other words remain, so "bike for kids" asks
# for "bike" and "kids" only; a query of nothing but these keeps them.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "with",
    ]
)

# Typo tolerance: a term of at least 5 characters may be one edit away, one of 8 or more two.
# Elasticsearch spells this fuzziness "AUTO:5,8"; the embedded backend applies the same limits.
FUZZY_LENGTHS = (5, 8)
ES_FUZZINESS = f"AUTO:{FUZZY_LENGTHS[0]},{FUZZY_LENGTHS[1]}"
# The first character of a term must match exactly (as `prefix_length=1` in Elasticsearch).
FUZZY_PREFIX = 1


def fold(text: str) -> str:
    """Lower-case, accent-free text: "Café Crème" -> "cafe creme"."""
    if text.isascii():
        # Nothing to decompose or strip, and ASCII case folding is lower-casing: the common
        # case, and a tenth of the cost (it is most of the Python time of a reindex).
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def words(text: str) -> list[str]:
    """The folded words of `text`, unstemmed (what highlighting compares)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_SPACES).decode("ascii").split()
    return _WORD.findall(fold(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """The index terms of a document's text, in order, repeats kept."""
    return list(map(stem, words(text)))


def listing_terms(title: str, description: str) -> tuple[str, str]:
    """A listing's index terms as both backends store them: the title's, and the title's and
    description's together, each space-joined, words longer than MAX_TERM_LENGTH left out."""
    title_terms = _joined(terms(title))
    return title_terms, f"{title_terms} {_joined(terms(description))}".strip()


def _joined(found: list[str]) -> str:
    return " ".join(term for term in found if len(term) <= MAX_TERM_LENGTH)


def query_terms(text: str) -> list[str]:
    """The distinct terms a query requires, in the order typed, stop words dropped if others
    remain."""
    typed = words(text)
    meaningful = [word for word in typed if word not in STOP_WORDS] or typed
    return list(dict.fromkeys(stem(word) for word in meaningful))


def max_edits(term: str) -> int:
    """How many edits a term may be from a document's term and still match it."""
    short, long = FUZZY_LENGTHS
    return 2 if len(term) >= long else 1 if len(term) >= short else 0
