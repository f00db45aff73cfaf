"""Helpers for tests of the index commands: a clean index prefix, the CLI, and a full comparison.

Every test run has its own index alias (conftest.TEST_INDEX); `clean_indices` deletes what an
earlier test of the run left under it, so each test starts with no index at all.
"""

from __future__ import annotations

from elasticsearch import Elasticsearch
from sqlalchemy import select

from indexer import compare
from models import Listing, db
from scripts.seed import seed
from search.index import building_alias, indices_behind, read_alias, write_alias
from tests.conftest import TEST_INDEX


def client_for(app) -> Elasticsearch:
    return Elasticsearch(str(app.extensions["settings"].ELASTICSEARCH_URL), request_timeout=60)


def clean_indices(es: Elasticsearch) -> None:
    names = es.indices.get(index=f"{TEST_INDEX}*", expand_wildcards="all")
    if names:
        es.indices.delete(index=",".join(names))


def run(app, *args: str, exit_code: int = 0):
    """Run a manage.py command in the test app; check its exit code."""
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == exit_code, result.output + repr(result.exception)
    return result


def seed_listings(app, count: int, random_seed: int = 7) -> None:
    args = ["--listings", str(count), "--seed", str(random_seed)]
    result = app.test_cli_runner().invoke(seed, args)
    assert result.exit_code == 0, result.output


def aliases(es: Elasticsearch, settings) -> dict[str, list[str]]:
    """Which indices the read, write and building aliases name."""
    return {
        "read": indices_behind(es, read_alias(settings)),
        "write": indices_behind(es, write_alias(settings)),
        "building": indices_behind(es, building_alias(settings)),
    }


def index_differences(es: Elasticsearch, index: str) -> list[compare.Difference]:
    """Every listing whose document in `index` differs from its row, and every stray document."""
    es.indices.refresh(index=index)
    db.session.rollback()
    with db.session.no_autoflush:
        rows = compare.database_entries(db.session)
        return list(compare.differences(rows, compare.index_entries(es, index)))


def listing_ids() -> list[int]:
    db.session.rollback()
    return list(db.session.scalars(select(Listing.id).order_by(Listing.id)))
