"""The yardstick for `manage.py reindex`: a bare bulk load of the same listings from PostgreSQL
into an index with a plain mapping (no derived fields, no Python analysis, no ORM).

    python bench/bare_bulk.py            (DATABASE_URL and ELASTICSEARCH_URL from the environment)

Prints `documents/s` like reindex does; the index it writes is deleted at the end. Run next to
reindex under the same conditions (bench/reindex.sh alternates them), the ratio of the two says
what the project's own work costs, whatever else the machine is doing.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from elasticsearch import Elasticsearch  # noqa: E402
from elasticsearch.helpers import parallel_bulk  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from settings import load_settings  # noqa: E402

INDEX = "bench-bare-bulk"
MAPPING = {
    "properties": {
        "title": {"type": "text"},
        "description": {"type": "text"},
        "price_minor": {"type": "long"},
        "city": {"type": "keyword"},
        "state": {"type": "keyword"},
        "zip_code": {"type": "keyword"},
        "status": {"type": "keyword"},
        "created_at": {"type": "date"},
    }
}
COLUMNS = "id, version, title, description, price_minor, city, state, zip_code, status, created_at"


def actions(connection):
    rows = connection.execution_options(yield_per=2000).execute(
        text(f"SELECT {COLUMNS} FROM listings ORDER BY id")
    )
    for row in rows.mappings():
        source = dict(row)
        source["created_at"] = source["created_at"].isoformat()
        yield {
            "_index": INDEX,
            "_id": source.pop("id"),
            "version": source.pop("version"),
            "version_type": "external",
            "_source": source,
        }


def main() -> None:
    settings = load_settings()
    es = Elasticsearch(str(settings.ELASTICSEARCH_URL), request_timeout=120)
    es.indices.delete(index=INDEX, ignore_unavailable=True)
    es.indices.create(
        index=INDEX,
        settings={"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"},
        mappings=MAPPING,
    )
    engine = create_engine(settings.DATABASE_URL)
    try:
        started = time.perf_counter()
        with engine.connect() as connection:
            done = sum(
                1
                for ok, _ in parallel_bulk(es, actions(connection), thread_count=2, chunk_size=1000)
                if ok
            )
        seconds = time.perf_counter() - started
        print(f"Loaded {done:,} documents in {seconds:.1f} s: {done / seconds:,.0f} documents/s.")
    finally:
        es.indices.delete(index=INDEX, ignore_unavailable=True)
        engine.dispose()


if __name__ == "__main__":
    os.environ.setdefault("CLASSIFIEDS_ENV", "development")
    main()
