"""Probes of the services the site depends on, used by /healthz.

PostgreSQL (or SQLite) and Elasticsearch are required: without them the site can neither save
nor search. Redis is not: without it tasks wait in the outbox and rate limits fall back to
memory, so its failure degrades the site rather than stopping it. Neither does the index lag
(how far the index is behind the database), nor in-process task failures of the last hour
(indexer.failures): they degrade search freshness or the site, they do not stop it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import text

from indexer.failures import TaskFailures
from models import db
from models.outbox import outbox_lag
from settings import Settings

TIMEOUT_SECONDS = 2.0
# The relay runs every 2 s: an entry older than this means the pipeline is stuck or far behind.
INDEX_LAG_WARNING_SECONDS = 60.0


@dataclass
class Check:
    name: str
    required: bool
    ok: bool = False
    detail: str = ""
    latency_ms: float = 0.0
    data: dict | None = None  # figures a monitor can read, beside the human-readable detail

    def as_dict(self) -> dict:
        body = {
            "ok": self.ok,
            "required": self.required,
            "detail": self.detail,
            "latency_ms": round(self.latency_ms, 1),
        }
        if self.data is not None:
            body.update(self.data)
        return body


def _timed(check: Check, probe) -> Check:
    started = time.perf_counter()
    try:
        check.detail = probe()
        check.ok = True
    except Exception as exc:  # a probe reports any failure; it never raises
        check.detail = f"{type(exc).__name__}: {exc}"[:300]
    check.latency_ms = (time.perf_counter() - started) * 1000
    return check


def _database() -> str:
    db.session.execute(text("SELECT 1"))
    db.session.rollback()
    return db.engine.dialect.name


def _redis(url: str) -> str:
    import redis

    client = redis.Redis.from_url(
        url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
        return "redis " + client.info("server")["redis_version"]
    finally:
        client.close()


def _elasticsearch(nodes: list[str]) -> str:
    from elasticsearch import Elasticsearch

    from search.index import failover

    client = Elasticsearch(nodes, request_timeout=TIMEOUT_SECONDS, **failover(nodes))
    try:
        health = client.cluster.health()
        if health["status"] == "red":
            raise RuntimeError("cluster health is red")
        # The server's root endpoint (`GET /`, client.info()) comes from the rest-root module,
        # which the Maven Central distribution leaves out; the nodes API has the version too.
        nodes = client.nodes.info(node_id="_local", metric="_none", filter_path="nodes.*.version")
        version = next(iter(nodes["nodes"].values()))["version"]
        return f"elasticsearch {version}, {health['status']}"
    finally:
        client.close()


def _tasks(failures: TaskFailures) -> Check:
    """Tasks run in this process: degraded while one failed within the last hour."""
    recent = failures.recent()
    if not recent:
        return Check("tasks", required=False, ok=True, detail="run in-process")
    detail = (
        f"run in-process; {len(recent)} failed in the last hour "
        f"({failures.total} since start), the last: {recent[-1].describe()}"
    )
    return Check("tasks", required=False, ok=False, detail=detail[:500])


def _index_lag(check: Check) -> str:
    """Outbox entries not yet in the index: counted up to a cap, oldest by the pending index."""
    lag = outbox_lag(db.session)
    db.session.rollback()
    check.data = lag.as_dict()
    count = f"{lag.pending}+" if lag.capped else str(lag.pending)
    oldest = lag.oldest_age_seconds
    detail = f"{count} pending" + (f", oldest {oldest:.1f} s" if oldest is not None else "")
    detail += f", {lag.parked} parked" if lag.parked else ""
    if lag.parked or (oldest is not None and oldest > INDEX_LAG_WARNING_SECONDS):
        raise RuntimeError(detail)
    return detail


def check_all(settings: Settings, task_failures: TaskFailures) -> list[Check]:
    checks = [_timed(Check("database", required=True), _database)]
    if settings.ELASTICSEARCH_URL:
        nodes = settings.elasticsearch_nodes
        checks.append(_timed(Check("elasticsearch", required=True), lambda: _elasticsearch(nodes)))
        lag = Check("index_lag", required=False)
        checks.append(_timed(lag, lambda: _index_lag(lag)))
    else:
        checks.append(Check("search", required=True, ok=True, detail="embedded backend"))
    if settings.REDIS_URL:
        url = str(settings.REDIS_URL)
        checks.append(_timed(Check("redis", required=False), lambda: _redis(url)))
    if settings.tasks_in_process:
        checks.append(_tasks(task_failures))
    return checks
