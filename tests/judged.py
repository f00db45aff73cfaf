"""The judged query set for English matching (tests/data/judged_search.json) and its scoring.

Used by tests/integration/test_judged_search.py (the chosen analysis, on the real index built
by the pipeline) and bench/analysis_quality.py (the chosen analysis against the alternatives).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from search.analysis import ES_FUZZINESS, FUZZY_PREFIX, fold, query_terms

JUDGED_SET = Path(__file__).parent / "data" / "judged_search.json"


def load() -> dict:
    return json.loads(JUDGED_SET.read_text())


def python_terms_query(text: str) -> dict:
    """The chosen approach: the query's folded, stemmed terms (search.analysis), all required,
    against the listing's ready-made terms, each allowed the site's typo tolerance."""
    return {
        "match": {
            "text_terms": {
                "query": " ".join(query_terms(text)),
                "operator": "and",
                "fuzziness": ES_FUZZINESS,
                "prefix_length": FUZZY_PREFIX,
            }
        }
    }


def analyzed_field_query(text: str, fields: list[str], folded: bool = False) -> dict:
    """The other approaches: every word of the query in one of `fields`, which the server
    analyses itself (standard, or hunspell), with the same typo tolerance; `folded`: the words
    are folded in Python first (the server has no folding of its own)."""
    words = re.findall(r"[^\W_]+", fold(text) if folded else text)
    return {
        "bool": {
            "must": [
                {
                    "multi_match": {
                        "query": word,
                        "fields": fields,
                        "fuzziness": ES_FUZZINESS,
                        "prefix_length": FUZZY_PREFIX,
                    }
                }
                for word in words
            ]
        }
    }


@dataclass
class Scores:
    """Micro-averaged over the queries: every returned and every relevant id counts once."""

    returned: int = 0
    relevant: int = 0
    hits: int = 0
    exact: int = 0
    queries: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hits / self.returned if self.returned else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.relevant if self.relevant else 1.0

    def line(self) -> str:
        return (
            f"precision {self.precision:.3f}, recall {self.recall:.3f}, "
            f"{self.exact}/{self.queries} queries answered exactly"
        )


def score(search: Callable[[str], set[int]], queries: list[dict]) -> Scores:
    """Run every judged query through `search` (query text -> judged document ids)."""
    scores = Scores()
    for query in queries:
        found, wanted = search(query["q"]), set(query["relevant"])
        scores.queries += 1
        scores.returned += len(found)
        scores.relevant += len(wanted)
        scores.hits += len(found & wanted)
        if found == wanted:
            scores.exact += 1
        else:
            extra, missing = sorted(found - wanted), sorted(wanted - found)
            scores.misses.append(f"{query['q']!r}: missing {missing}, extra {extra}")
    return scores
