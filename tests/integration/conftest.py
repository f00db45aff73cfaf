"""Fixtures shared by the integration tests."""

from __future__ import annotations

import pytest

from tests.index_helpers import clean_indices, client_for


@pytest.fixture
def es(app):
    """A client of the test Elasticsearch, with this test run's indices dropped before and
    after the test (modules that let the pipeline keep the index define their own)."""
    client = client_for(app)
    clean_indices(client)
    yield client
    clean_indices(client)
    client.close()
