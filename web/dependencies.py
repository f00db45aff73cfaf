"""Probes of the services the site depends on, used by /healthz.

PostgreSQL (or SQLite) and Elasticsearch are required: without them the site can neither save
nor search. Redis is not: without it tasks wait in the outbox and rate limits fall back to
memory, so its failure degrades the site rather than stopping it. Tasks run in-process report
the failures of the last hour (indexer.failures): a degraded site, not a stopped one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import text

from indexer.failures import TaskFailures
from models import db
from settings import Settings

TIMEOUT_SECONDS = 2.0


@dataclass
class Check:
    name: str
    required: bool
    ok: bool = False
    detail: str = ""
    latency_ms: float = 0.0

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "required": self.required,
            "detail": self.detail,
            "latency_ms": round(self.latency_ms, 1),
        }


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


def _elasticsearch(url: str) -> str:
    from elasticsearch import Elasticsearch

    client = Elasticsearch(url, request_timeout=TIMEOUT_SECONDS, max_retries=0)
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


def check_all(settings: Settings, task_failures: TaskFailures) -> list[Check]:
    checks = [_timed(Check("database", required=True), _database)]
    if settings.ELASTICSEARCH_URL:
        url = str(settings.ELASTICSEARCH_URL)
        checks.append(_timed(Check("elasticsearch", required=True), lambda: _elasticsearch(url)))
    else:
        checks.append(Check("search", required=True, ok=True, detail="embedded backend"))
    if settings.REDIS_URL:
        url = str(settings.REDIS_URL)
        checks.append(_timed(Check("redis", required=False), lambda: _redis(url)))
    if settings.tasks_in_process:
        checks.append(_tasks(task_failures))
    return checks
