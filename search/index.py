"""The Elasticsearch side of the index: the client, the aliases and the physical indices.

Searches read through the alias named by ELASTICSEARCH_INDEX. Writes go to every index behind
`<alias>-write` and, while `manage.py reindex` builds a replacement, `<alias>-building` too, so
a rebuild misses no change (Elasticsearch refuses writes through an alias that names several
indices, so the application writes to each itself). Physical indices are named
`<alias>-<UTC timestamp>` and never written to under their own name by the application.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.serializer import OrjsonSerializer

from search import answers
from search.document import INDEX_SETTINGS, ListingDocument
from settings import Settings

REQUEST_TIMEOUT = 10


@cache
def _client_for(nodes: tuple[str, ...]) -> Elasticsearch:
    # One client per process and set of nodes: it is thread-safe and keeps a pool of
    # connections. orjson reads a search response in a fraction of the standard library's
    # time, and the response is most of the JSON a search request handles.
    return Elasticsearch(
        list(nodes),
        request_timeout=REQUEST_TIMEOUT,
        serializer=OrjsonSerializer(),
        **failover(nodes),
    )


def failover(nodes: tuple[str, ...] | list[str]) -> dict:
    """The client's retry options for `nodes`. A request that cannot reach a node is tried
    once on each of the others (the client then leaves the unreachable node alone for a
    while); on a single node a retry would only double the wait. A timeout or an error answer
    is never retried: the node did get the request, and the callers (the outbox, a search
    page) have their own way of handling it."""
    return {"max_retries": len(nodes) - 1, "retry_on_timeout": False, "retry_on_status": ()}


def get_client(settings: Settings) -> Elasticsearch:
    if settings.ELASTICSEARCH_URL is None:
        raise RuntimeError("ELASTICSEARCH_URL is not set: the embedded backend has no index")
    return _client_for(tuple(settings.elasticsearch_nodes))


def read_alias(settings: Settings) -> str:
    return settings.ELASTICSEARCH_INDEX


def write_alias(settings: Settings) -> str:
    return f"{settings.ELASTICSEARCH_INDEX}-write"


def building_alias(settings: Settings) -> str:
    return f"{settings.ELASTICSEARCH_INDEX}-building"


def new_index_name(settings: Settings) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{settings.ELASTICSEARCH_INDEX}-{stamp}"


def create_index(es: Elasticsearch, name: str, **settings_overrides) -> None:
    """Create a physical index with the listing mapping (no aliases)."""
    mapping = ListingDocument._doc_type.mapping.to_dict()
    es.indices.create(
        index=name,
        settings={**INDEX_SETTINGS, **settings_overrides},
        mappings=mapping,
    )


def ensure_index(es: Elasticsearch, settings: Settings) -> str:
    """The index behind the read alias, creating an empty one (with both aliases) if there is
    none yet. Safe to call from several processes: only one alias set-up wins."""
    alias = read_alias(settings)
    existing = _indices_behind(es, alias)
    if existing:
        return existing[0]
    name = new_index_name(settings)
    create_index(es, name, number_of_replicas=settings.ELASTICSEARCH_REPLICAS)
    es.indices.update_aliases(
        actions=[
            {"add": {"index": name, "alias": alias}},
            {"add": {"index": name, "alias": write_alias(settings), "is_write_index": True}},
        ]
    )
    answers.index_changed(settings)
    # Two processes racing here both get their aliases added; both keep the same one (the
    # oldest name) and the other is dropped with its aliases.
    keep = _indices_behind(es, alias)[0]
    if keep != name:
        es.indices.delete(index=name, ignore_unavailable=True)
    return keep


def write_targets(es: Elasticsearch, settings: Settings) -> list[str]:
    """Every index a change must reach: the live write index and any index being built."""
    targets = _indices_behind(es, write_alias(settings))
    targets += [n for n in _indices_behind(es, building_alias(settings)) if n not in targets]
    return targets


def write_aliases(es: Elasticsearch, settings: Settings) -> list[str]:
    """The aliases a change must be written through: `<alias>-write`, and `<alias>-building`
    while a rebuild runs, those of them that exist (empty: no index yet).

    The indexer writes through these aliases with `require_alias`, never to a physical name:
    a write can then never create a stray index (Elasticsearch creates a missing index on the
    first write to its name), and it lands wherever the aliases point at that moment.
    """
    wanted = [write_alias(settings), building_alias(settings)]
    rows = es.cat.aliases(name=",".join(wanted), format="json", h="alias")
    present = {row["alias"] for row in rows}
    return [alias for alias in wanted if alias in present]


def _indices_behind(es: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(es.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def indices_behind(es: Elasticsearch, alias: str) -> list[str]:
    """The physical indices `alias` names, sorted (empty when the alias does not exist)."""
    return _indices_behind(es, alias)
