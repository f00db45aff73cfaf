"""Helpers for the index tests: what the index holds, what PostgreSQL holds, the index commands.

Every test run has its own index alias (conftest.TEST_INDEX); `clean_indices` deletes what an
earlier test of the run left under it, so a test can start with no index at all.
"""

from __future__ import annotations

from elasticsearch import Elasticsearch, helpers
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer import compare
from models import Listing, OutboxEntry, db
from models.outbox import pending
from scripts.seed import seed
from search.document import searchable_filter
from search.index import building_alias, indices_behind, read_alias, write_alias
from tests.conftest import TEST_INDEX


def index_state(es: Elasticsearch, alias: str) -> dict[int, tuple[int, str]]:
    """{listing id: (document version, status)} of every document behind `alias`."""
    es.indices.refresh(index=alias)
    hits = helpers.scan(es, index=alias, query={"query": {"match_all": {}}}, version=True)
    return {int(hit["_id"]): (hit["_version"], hit["_source"]["status"]) for hit in hits}


def database_state(session: Session) -> dict[int, tuple[int, str]]:
    """{listing id: (version, status)} of every listing row."""
    rows = session.execute(select(Listing.id, Listing.version, Listing.status))
    return {listing_id: (version, status.value) for listing_id, version, status in rows}


def pending_entries(session: Session) -> int:
    return len(session.scalars(select(OutboxEntry.id).where(pending())).all())


def searchable_ids(es: Elasticsearch, alias: str) -> set[int]:
    """Ids the public could find: the visibility rule, as index filters."""
    es.indices.refresh(index=alias)
    query = {"bool": {"filter": searchable_filter()}}
    hits = helpers.scan(es, index=alias, query={"query": query}, _source=False)
    return {int(hit["_id"]) for hit in hits}


def document(es: Elasticsearch, alias: str, listing_id: int) -> dict:
    """The stored document of one listing, with its version as `_version`."""
    found = es.get(index=alias, id=str(listing_id))
    return {**found["_source"], "_version": found["_version"]}


def client_for(app) -> Elasticsearch:
    return Elasticsearch(app.extensions["settings"].elasticsearch_nodes, request_timeout=60)


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
