"""The index pipeline and search on a two-node Elasticsearch cluster on loopback: the index has
one replica, so with the node that holds the primary stopped, searches still answer and new
writes still become searchable, and once the node is back nothing has been lost.

The cluster is private (tests/servers.py): a master-eligible node that also holds data, and a
data-only node. Only the data-only node is ever stopped: with two master-eligible nodes,
Elasticsearch 8's voting configuration holds just one of them, and stopping that one leaves the
cluster without a master, so nothing could be written and no replica promoted (see
TwoNodeCluster and docs/SCALING.md). To make the stop the hard case, the index's primary is
placed on the data-only node: stopping it forces the replica on the master to take over.

The node is killed (SIGKILL), as a crash would. ELASTICSEARCH_URL names both nodes, the one
that is killed first, so the site's client takes turns with them and every request that meets
the dead node is retried on the other (search.index.failover). Tasks run in-process after each
commit (TASKS_EAGER), through the real pipeline tasks.
"""

from __future__ import annotations

import shutil

import pytest
from elasticsearch import Elasticsearch, helpers
from sqlalchemy import select

from models import Listing, db, lifecycle
from search import engine
from search.index import ensure_index, get_client, indices_behind
from tests.conftest import TEST_INDEX
from tests.helpers import submit
from tests.index_helpers import (
    clean_indices,
    database_state,
    index_state,
    pending_entries,
    run,
)
from tests.listing_helpers import listing_form
from tests.servers import ClusterNode, TwoNodeCluster, private_root

# The pipeline manages this module's index (see conftest.index_follows_commits).
OWN_INDEX = True
GREEN_TIMEOUT = "60s"


@pytest.fixture(scope="module")
def cluster():
    """Both nodes, started at once and shared by the module; stopped even if a start fails."""
    root = private_root()
    nodes = TwoNodeCluster(root)
    try:
        nodes.up()
        yield nodes
    finally:
        nodes.down()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def settings_overrides(cluster):
    return {
        "ELASTICSEARCH_URL": f"{cluster.data.url},{cluster.master.url}",
        "ELASTICSEARCH_REPLICAS": 1,
        "TASKS_EAGER": True,
    }


@pytest.fixture
def es(app, cluster):
    client = get_client(app.extensions["settings"])
    yield client
    cluster.data.up()  # a test that failed with the node down leaves a whole cluster behind
    client.cluster.put_settings(persistent={"cluster.routing.allocation.exclude._name": None})
    clean_indices(client)


def test_reindex_on_the_cluster_goes_live_only_with_a_copy_of_the_index_on_each_node(
    app, make_user, make_listing, es
):
    ensure_index(es, app.extensions["settings"])
    owner = make_user()
    for n in range(5):
        make_listing(owner=owner, title=f"Cluster bike {n}")
    (old,) = indices_behind(es, TEST_INDEX)

    run(app, "reindex")  # builds without replicas, then asks for ELASTICSEARCH_REPLICAS

    (new,) = indices_behind(es, TEST_INDEX)
    assert new != old
    assert es.indices.get_settings(index=new)[new]["settings"]["index"]["number_of_replicas"] == "1"
    assert es.cluster.health(index=new)["status"] == "green"  # the rebuild waited for it
    assert sorted(copies(es, new).values()) == ["node-data", "node-master"]
    make_listing(owner=owner, title="Cluster bike after the rebuild")
    assert index_state(es, TEST_INDEX) == database_state(db.session)
    run(app, "reconcile", "--dry-run")


def test_with_the_node_holding_the_primary_stopped_searches_and_writes_go_on_and_nothing_is_lost(
    app, client, cluster, make_user, login_as, make_listing, categories, es
):
    index = index_with_primary_on(es, app, cluster.data, away_from=cluster.master)
    owner = login_as(make_user())
    before = [make_listing(owner=owner, title=f"Cluster bike {n}") for n in range(6)]
    assert pending_entries(db.session) == 0  # the pipeline carried every write at once
    assert_green(es, index)
    assert copies(es, index) == {"p": "node-data", "r": "node-master"}
    assert index_state(es, TEST_INDEX) == database_state(db.session)

    cluster.data.kill()  # a crash, not a clean stop
    try:
        health = es.cluster.health(index=index, wait_for_nodes="1", timeout="30s")
        assert not health["timed_out"], health
        # The replica on the master was promoted: every document is still there, one copy.
        assert (health["status"], health["unassigned_shards"]) == ("yellow", 1)
        assert copies(es, index) == {"p": "node-master"}
        assert found_ids("cluster bike") == {listing.id for listing in before}
        response = client.get("/api/v1/search", query_string={"q": "cluster bike"})
        assert (response.status_code, response.get_json()["total"]) == (200, len(before))

        form = listing_form(categories["bikes"].id, title="Cluster tandem posted meanwhile")
        response = submit(client, "/listings/new", form, content_type="multipart/form-data")
        assert response.status_code == 302
        later = [make_listing(owner=owner, title=f"Cluster trike {n}") for n in range(3)]
        before[0].title = "Cluster bike edited meanwhile"
        db.session.commit()
        lifecycle.mark_sold(before[1])
        lifecycle.delete(later[0])
        db.session.commit()
        assert pending_entries(db.session) == 0  # written to the promoted primary at once
        assert index_state(es, TEST_INDEX) == database_state(db.session)
        posted = db.session.scalar(select(Listing.id).where(Listing.title.like("%tandem%")))
        assert found_ids("cluster tandem") == {posted}
        assert found_ids("cluster trike") == {listing.id for listing in later[1:]}
        assert found_ids("edited meanwhile") == {before[0].id}
    finally:
        cluster.data.up()

    assert_green(es, index)  # the returning node's stale copy caught up as the replica
    assert copies(es, index) == {"p": "node-master", "r": "node-data"}
    wanted = database_state(db.session)
    assert copy_state(es, index, "node-data") == copy_state(es, index, "node-master") == wanted
    run(app, "reconcile", "--dry-run")  # exits 1 on any difference


def index_with_primary_on(es: Elasticsearch, app, node: ClusterNode, away_from: ClusterNode):
    """The site's index, created by its own code (ensure_index, one replica), with the primary
    on `node`: `away_from` may take no copy until the primary has started, then the replica."""
    exclude = "cluster.routing.allocation.exclude._name"
    es.cluster.put_settings(persistent={exclude: away_from.node_name})
    try:
        name = ensure_index(es, app.extensions["settings"])  # returns once the primary started
    finally:
        es.cluster.put_settings(persistent={exclude: None})
    assert copies(es, name)["p"] == node.node_name
    return name


def assert_green(es: Elasticsearch, index: str) -> None:
    health = es.cluster.health(index=index, wait_for_status="green", timeout=GREEN_TIMEOUT)
    assert not health["timed_out"], health


def copies(es: Elasticsearch, index: str) -> dict[str, str]:
    """{"p": node, "r": node} of the index's one shard: where its started copies are."""
    rows = es.cat.shards(index=index, format="json", h="prirep,state,node")
    return {row["prirep"]: row["node"] for row in rows if row["state"] == "STARTED"}


def copy_state(es: Elasticsearch, index: str, node: str) -> dict[int, tuple[int, str]]:
    """{listing id: (version, status)} as the shard copy on `node` alone has them."""
    es.indices.refresh(index=index)
    hits = helpers.scan(
        es,
        index=index,
        query={"query": {"match_all": {}}},
        version=True,
        preference=f"_only_nodes:{node}",
    )
    return {int(hit["_id"]): (hit["_version"], hit["_source"]["status"]) for hit in hits}


def found_ids(text: str) -> set[int]:
    """The ids a search for `text` finds, through the search engine the site uses."""
    result = engine.run(engine.parse({"q": text, "per_page": "100"}))
    assert result.total == len(result.hits)
    return {hit.id for hit in result.hits}
