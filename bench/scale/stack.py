"""The benchmark's own corner of the local services, and the processes it starts.

Its own database, index alias and Redis database, so nothing it does touches the shared
`classifieds` database, another index or another developer's queue; and the site under
gunicorn on loopback, as production serves it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from settings import PROJECT_ROOT

REDIS_DB = 11
SECRET_KEY = "bench-scale-secret-key-not-for-production"


def database_name(listings: int) -> str:
    """A database per scale, so a small run never touches a loaded million."""
    return f"classifieds_bench_scale_{listings}"


def alias_name(listings: int) -> str:
    return f"bench-scale-{listings}"


def bench_env(urls: dict[str, str], listings: int) -> dict[str, str]:
    """The environment of every process of the run: the services' URLs, pointed at ours."""
    database = make_url(urls["DATABASE_URL"]).set(database=database_name(listings))
    return {
        "CLASSIFIEDS_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": database.render_as_string(hide_password=False),
        "REDIS_URL": f"{urls['REDIS_URL'].rsplit('/', 1)[0]}/{REDIS_DB}",
        "ELASTICSEARCH_URL": urls["ELASTICSEARCH_URL"],
        "ELASTICSEARCH_INDEX": alias_name(listings),
        "MAIL_ENABLED": "false",
        "TASKS_EAGER": "false",
    }


def _admin(database_url: str, statement: str, **params) -> object:
    engine = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as connection:
            result = connection.execute(text(statement), params)
            return result.scalar() if result.returns_rows else None
    finally:
        engine.dispose()


def _ours(database_url: str) -> str:
    name = make_url(database_url).database
    assert name.startswith("classifieds_bench_scale_")  # never the shared database
    return name


def create_database(database_url: str) -> None:
    drop_database(database_url)
    _admin(database_url, f'CREATE DATABASE "{_ours(database_url)}"')


def drop_database(database_url: str) -> None:
    _admin(database_url, f'DROP DATABASE IF EXISTS "{_ours(database_url)}" WITH (FORCE)')


def read_note(database_url: str) -> dict | None:
    """What the load step noted on the database (its figures), or None if there is none."""
    note = _admin(
        database_url,
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name",
        name=_ours(database_url),
    )
    return json.loads(note) if note else None


def write_note(database_url: str, note: dict) -> None:
    """Kept as the database's comment: the figures live and die with the data they describe,
    so a run with --skip-load reports the load that made its database."""
    quoted = json.dumps(note).replace("'", "''")
    _admin(database_url, f"COMMENT ON DATABASE \"{_ours(database_url)}\" IS '{quoted}'")


def drop_indices(es, alias: str) -> int:
    """Every physical index of our alias (`<alias>-*`); returns how many."""
    names = list(es.indices.get(index=f"{alias}-*", expand_wildcards="all"))
    if names:
        es.indices.delete(index=",".join(names))
    return len(names)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`gunicorn web.wsgi:app` on a loopback port, sync workers; stopped by `stop()`."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{self.port}",
            "--backlog=256",
            "web.wsgi:app",
        ]
        with log.open("w") as out:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env={**os.environ, **env, "SITE_URL": self.url},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.log = log

    def wait_ready(self, workers: int, timeout: float = 120) -> None:
        """Until every worker has booted (each imports and builds the app on its own)."""
        deadline = time.monotonic() + timeout
        while self.log.read_text(errors="replace").count("Booting worker") < workers:
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)
        time.sleep(2)  # the last worker builds its app after saying it boots

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)


def flush_redis(url: str) -> None:
    """Empty our Redis database (the Celery messages and results of this run), only that one."""
    import redis

    assert url.endswith(f"/{REDIS_DB}")
    redis.Redis.from_url(url).flushdb()
