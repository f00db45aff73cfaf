"""`scripts.services` against the real servers it starts: status, idempotent `up`, env URLs.

Nothing here stops the services: other tests use them (and other sessions may too).
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import psycopg
import pytest
import redis
from click.testing import CliRunner, Result

from scripts import services as svc

ENV_VARS = ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL")


@pytest.fixture(scope="module")
def urls() -> dict[str, str]:
    return svc.ensure_up()


@pytest.fixture
def managed(urls, monkeypatch) -> dict[str, str]:
    """The stack this script manages, whatever the environment names (tests set vars back)."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    svc.ensure_up()
    return svc.service_urls()


def invoke(*args: str) -> Result:
    return CliRunner().invoke(svc.services, list(args))


def status_lines(result: Result) -> dict[str, str]:
    """Status output keyed by service name (the first word of each line)."""
    return {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def managed_pids() -> dict[str, str]:
    root = svc.state_dir()
    return {
        "postgres": (root / "postgres/data/postmaster.pid").read_text().split()[0],
        "redis": (root / "redis/redis.pid").read_text().strip(),
        "elasticsearch": (root / "elasticsearch/elasticsearch.pid").read_text().strip(),
    }


def test_ensure_up_returns_working_urls(urls):
    assert set(urls) == set(ENV_VARS)
    assert urls == svc.service_urls()
    conninfo = urls["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert redis.Redis.from_url(urls["REDIS_URL"]).ping()


def test_default_urls_without_env(monkeypatch):
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    assert svc.service_urls() == {
        "DATABASE_URL": "postgresql+psycopg://classifieds:classifieds@127.0.0.1:55432/classifieds",
        "REDIS_URL": "redis://127.0.0.1:56379/0",
        "ELASTICSEARCH_URL": "http://127.0.0.1:59200",
    }


def test_status_reports_all_healthy(managed):
    result = invoke("status")
    assert result.exit_code == 0, result.output
    lines = status_lines(result)
    for name in ("PostgreSQL", "Redis", "Elasticsearch"):
        assert " healthy " in lines[name], lines
        assert "log: " in lines[name]
    assert "8.19.21" in lines["Elasticsearch"].split()
    assert lines["PostgreSQL"].split()[2].startswith("15.")
    assert "classifieds:***@" in lines["PostgreSQL"]  # the password is not printed


def test_app_role_owns_both_databases(managed):
    conninfo = managed["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        owners = dict(
            conn.execute(
                "SELECT datname, pg_get_userbyid(datdba) FROM pg_database "
                "WHERE datname IN ('classifieds', 'classifieds_test')"
            ).fetchall()
        )
        can_create_db = conn.execute(
            "SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user"
        ).fetchone()[0]
    assert owners == {"classifieds": "classifieds", "classifieds_test": "classifieds"}
    assert can_create_db


def test_up_twice_is_idempotent_and_fast(managed):
    before = managed_pids()
    started = time.monotonic()
    result = invoke("up")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 15
    assert result.output.count("already running") == 3
    assert managed_pids() == before
    assert all(Path(f"/proc/{pid}").exists() for pid in before.values())


def test_up_print_env_prints_only_exports(managed):
    result = invoke("up", "--print-env")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"export {k}={v}" for k, v in managed.items()]


def test_url_from_environment_is_used_and_reported_external(managed, monkeypatch):
    # The running Redis, named differently (another database number): not ours to manage.
    monkeypatch.setenv("REDIS_URL", "redis://localhost:56379/1")
    assert svc.ensure_up()["REDIS_URL"] == "redis://localhost:56379/1"
    result = invoke("status")
    assert result.exit_code == 0, result.output
    line = status_lines(result)["Redis"]
    assert " healthy " in line and "external, from $REDIS_URL" in line
    assert "redis://localhost:56379/1" in line


@pytest.mark.parametrize(
    "name, env_var, url",
    [
        ("PostgreSQL", "DATABASE_URL", "postgresql+psycopg://u:p@127.0.0.1:{port}/db"),
        ("Redis", "REDIS_URL", "redis://127.0.0.1:{port}/0"),
        ("Elasticsearch", "ELASTICSEARCH_URL", "http://127.0.0.1:{port}"),
    ],
)
def test_closed_port_is_reported_down_by_name(managed, monkeypatch, name, env_var, url):
    monkeypatch.setenv(env_var, url.format(port=closed_port()))
    result = invoke("status")
    assert result.exit_code == 1
    line = status_lines(result)[name]
    assert " down " in line
    others = [s for s in ("PostgreSQL", "Redis", "Elasticsearch") if s != name]
    assert all(" healthy " in status_lines(result)[s] for s in others)

    up = invoke("up")  # an external service is never started in its place: `up` must fail
    assert up.exit_code != 0
    assert f"{name} at " in up.output and "down" in up.output


def test_listening_but_wrong_server_is_unhealthy(managed, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:59200/0")  # Elasticsearch's HTTP port
    result = invoke("status")
    assert result.exit_code == 1
    assert " unhealthy " in status_lines(result)["Redis"]
