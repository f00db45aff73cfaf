"""`manage.py index-status`: where the aliases point, how full the indices are, how far behind
the pipeline is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from elasticsearch import Elasticsearch
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from indexer.reindex_lock import is_locked
from models import OutboxEntry, utcnow
from search.index import building_alias, indices_behind, read_alias, write_alias
from settings import Settings


@dataclass(frozen=True)
class IndexInfo:
    name: str
    documents: int  # searchable (refreshed) documents
    written: int  # index operations since the index was opened (counts a refresh-less build)


@dataclass
class IndexStatus:
    alias: str
    live: list[IndexInfo] = field(default_factory=list)
    write_alias: str = ""
    writes_to: list[str] = field(default_factory=list)
    building: list[IndexInfo] = field(default_factory=list)
    reindex_running: bool = False
    unaliased: list[IndexInfo] = field(default_factory=list)  # named like ours, no alias
    pending: int = 0
    failing: int = 0  # pending entries that failed at least once
    oldest_pending_age: timedelta | None = None


def index_status(es: Elasticsearch, engine: Engine, settings: Settings) -> IndexStatus:
    alias = read_alias(settings)
    status = IndexStatus(alias=alias, write_alias=write_alias(settings))
    infos = _index_infos(es, f"{alias}-*")
    live = indices_behind(es, alias)
    building = indices_behind(es, building_alias(settings))
    status.writes_to = indices_behind(es, status.write_alias)
    status.live = [infos[name] for name in live if name in infos]
    status.building = [infos[name] for name in building if name in infos]
    aliased = set(live) | set(building) | set(status.writes_to)
    status.unaliased = [info for name, info in sorted(infos.items()) if name not in aliased]
    status.reindex_running = is_locked(engine, alias)
    with Session(engine) as session:
        pending = select(OutboxEntry).where(OutboxEntry.processed_at.is_(None)).subquery()
        count, failing, oldest = session.execute(
            select(
                func.count(),
                func.count(pending.c.last_error),
                func.min(pending.c.created_at),
            ).select_from(pending)
        ).one()
    status.pending, status.failing = count, failing
    status.oldest_pending_age = utcnow() - oldest if oldest else None
    return status


def _index_infos(es: Elasticsearch, pattern: str) -> dict[str, IndexInfo]:
    stats = es.indices.stats(index=pattern, metric=["docs", "indexing"])
    return {
        name: IndexInfo(
            name,
            index["primaries"].get("docs", {}).get("count", 0),
            index["primaries"].get("indexing", {}).get("index_total", 0),
        )
        for name, index in stats.get("indices", {}).items()
    }
