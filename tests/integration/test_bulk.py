"""indexer.bulk against the real Elasticsearch: finished bulk lines in, and the outcome counted
the way the rebuild and reconcile rely on. A 409 (the index holds this version or a newer one)
is done, a delete of a missing document is done, and any other refusal is a failure that
keeps its reason."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer import bulk, listing_source
from models import Listing, db
from search.index import create_index
from tests.conftest import TEST_INDEX
from tests.index_helpers import seed_listings

# The pipeline manages this module's index (see conftest.index_follows_commits).
OWN_INDEX = True


@pytest.fixture
def index(es):
    name = f"{TEST_INDEX}-bulk"
    create_index(es, name)
    return name


@pytest.fixture
def listings(app):
    """Three listings as the rebuild reads them (records, so nothing loads lazily in the bulk
    helper's threads)."""
    seed_listings(app, 3)
    with app.app_context(), Session(db.engine) as session:
        ids = session.scalars(select(Listing.id).order_by(Listing.id)).all()
        yield list(listing_source.by_ids(session, ids))


def test_a_listing_is_written_once_and_an_older_version_counts_as_done(es, index, listings):
    first = bulk.send(es, bulk.index_actions(listings, [index]))
    again = bulk.send(es, bulk.index_actions(listings, [index]))
    written = listings[0].version
    listings[0].version = written - 1  # an older version, as a late write would carry it
    older = bulk.send(es, bulk.index_actions(listings[:1], [index]))

    assert (first.written, first.outdated, first.failed) == (3, 0, 0)
    assert (again.written, again.outdated, again.done) == (0, 3, 3)
    assert (older.written, older.outdated, older.failed) == (0, 1, 0)
    es.indices.refresh(index=index)
    stored = es.get(index=index, id=str(listings[0].id))
    assert stored["_version"] == written
    assert stored["_source"]["listing_id"] == listings[0].id


def test_deletes_count_a_missing_document_as_done(es, index, listings):
    bulk.send(es, bulk.index_actions(listings[:1], [index]))

    outcome = bulk.send(es, bulk.delete_actions([listing.id for listing in listings], [index]))

    assert (outcome.written, outcome.failed) == (3, 0)
    es.indices.refresh(index=index)
    assert es.count(index=index)["count"] == 0


def test_a_refused_document_is_a_failure_with_its_reason_and_the_rest_go_in(es, index, listings):
    header = orjson.dumps(
        {"index": {"_index": index, "_id": "999999", "version": 1, "version_type": "external"}}
    )
    refused = (header, orjson.dumps({"no_such_field": 1}))  # the mapping is strict

    outcome = bulk.send(es, [refused, *bulk.index_actions(listings, [index])])

    assert (outcome.written, outcome.failed) == (3, 1)
    assert outcome.reasons and outcome.reasons[0].startswith(f"{index}/999999: ")
    assert "no_such_field" in outcome.reasons[0]
