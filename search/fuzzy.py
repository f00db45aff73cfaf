"""Typo tolerance: whether a document's term matches a query's term, as Elasticsearch decides.

A query term of 5 to 7 characters may be one edit away from a document's term, one of 8 or more
two (search.analysis.max_edits, Elasticsearch's `fuzziness: AUTO:5,8`); the first character
must be the same (`prefix_length: 1`); swapping two neighbouring letters is one edit
(`fuzzy_transpositions`). The embedded backend expands query terms with this; the highlighter
marks words with it.
"""

from __future__ import annotations

from search import analysis


def matches(candidate: str, term: str) -> bool:
    """Whether a document term matches a query term (equal, or a typo within the allowance)."""
    if candidate == term:
        return True
    edits = analysis.max_edits(term)
    prefix = analysis.FUZZY_PREFIX
    if not edits or candidate[:prefix] != term[:prefix]:
        return False
    if abs(len(candidate) - len(term)) > edits:
        return False
    return edit_distance(candidate[prefix:], term[prefix:], edits) <= edits


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`, as Lucene's
    fuzzy queries count them; anything above `limit` is reported as `limit + 1`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)
