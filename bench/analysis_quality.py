"""Precision and recall of English matching on the judged query set, for each way this server
can do it (docs/BENCHMARKS.md, "English matching").

    .venv/bin/python bench/analysis_quality.py

Starts a private Elasticsearch node (tests/servers.py) with Debian's hunspell-en-us dictionary
in its config (`apt-get install hunspell-en-us`), indexes the judged ads once with a field per
approach, runs every judged query against each field and prints micro-averaged precision and
recall, the queries answered exactly, and the misses:

- python terms: folding and Snowball stemming in Python (search.analysis) into `text_terms`,
  split on whitespace by the server; the approach the site uses;
- hunspell, folded in Python: the server's `hunspell` filter (en_US) on text that Python has
  folded first, the query words folded the same way;
- hunspell: the server alone (standard tokenizer, lowercase, hunspell), no folding;
- standard: the server's standard analyzer (what `title`/`description` use for display).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elasticsearch import Elasticsearch  # noqa: E402

from search.analysis import fold, terms  # noqa: E402
from tests.judged import analyzed_field_query, load, python_terms_query, score  # noqa: E402
from tests.servers import PrivateElasticsearch, private_root  # noqa: E402

DICTIONARIES = Path("/usr/share/hunspell")
INDEX = "judged"

SETTINGS = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "analysis": {
        "filter": {"en_us": {"type": "hunspell", "locale": "en_US", "dedup": True}},
        "analyzer": {
            "hunspell_en": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "en_us"],
            }
        },
    },
}
MAPPINGS = {
    "properties": {
        "text_terms": {"type": "text", "analyzer": "whitespace"},
        "text_hunspell_folded": {"type": "text", "analyzer": "hunspell_en"},
        "text_hunspell": {"type": "text", "analyzer": "hunspell_en"},
        "text_standard": {"type": "text", "analyzer": "standard"},
    }
}
APPROACHES = {
    "python terms (chosen)": python_terms_query,
    "hunspell, folded in Python": lambda q: analyzed_field_query(
        q, ["text_hunspell_folded"], folded=True
    ),
    "hunspell (server only)": lambda q: analyzed_field_query(q, ["text_hunspell"]),
    "standard analyzer": lambda q: analyzed_field_query(q, ["text_standard"]),
}


def index_judged(es: Elasticsearch, documents: list[dict]) -> None:
    es.indices.create(index=INDEX, settings=SETTINGS, mappings=MAPPINGS)
    for ad in documents:
        text = f"{ad['title']}\n{ad['description']}"
        body = {
            "text_terms": " ".join(terms(text)),
            "text_hunspell_folded": fold(text),
            "text_hunspell": text,
            "text_standard": text,
        }
        es.index(index=INDEX, id=str(ad["id"]), document=body)
    es.indices.refresh(index=INDEX)


def main() -> None:
    if not (DICTIONARIES / "en_US.dic").exists():
        sys.exit("Needs Debian's hunspell-en-us: apt-get install hunspell-en-us")
    judged = load()
    root = private_root()
    node = PrivateElasticsearch(root, hunspell={"en_US": DICTIONARIES})
    try:
        started = time.monotonic()
        node.up()
        print(f"private node up in {time.monotonic() - started:.0f} s", file=sys.stderr)
        es = Elasticsearch(node.url, request_timeout=60)
        index_judged(es, judged["documents"])

        def searcher(build):
            def search(text: str) -> set[int]:
                found = es.search(index=INDEX, query=build(text), size=100, _source=False)
                return {int(hit["_id"]) for hit in found["hits"]["hits"]}

            return search

        print(f"{len(judged['documents'])} ads, {len(judged['queries'])} judged queries\n")
        for name, build in APPROACHES.items():
            scores = score(searcher(build), judged["queries"])
            print(f"{name}: {scores.line()}")
            for miss in scores.misses:
                print(f"    {miss}")
        es.close()
    finally:
        node.down()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
