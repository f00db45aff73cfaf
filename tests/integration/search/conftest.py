"""The search catalogue (tests/search_catalogue.py) served by every backend, built once.

It lives in a database and an index of its own (not the per-test ones the `app` fixture
empties), so the conformance, property and cursor tests can share it: PostgreSQL with
Elasticsearch, PostgreSQL with the embedded backend, and SQLite with the embedded backend.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from models import Category, db, utcnow
from search import index
from tests.conftest import _settings, _upgrade
from tests.search_catalogue import Reference, write_catalogue
from tests.search_helpers import index_all

CATALOGUE_DB = f"classifieds_test_{os.getpid()}_catalogue"
CATALOGUE_INDEX = f"test-{os.getpid()}-catalogue"
BACKENDS = ("elasticsearch", "postgresql", "sqlite")


@dataclass
class Catalogue:
    apps: dict[str, Flask]
    now: datetime
    reference: Reference

    def get(self, backend: str, args, path: str = "/api/v1/search"):
        """GET `path` with `args` (a mapping or pairs) on one backend: (status, JSON)."""
        query_string = urlencode(args, doseq=True) if not isinstance(args, str) else args
        response = self.apps[backend].test_client().get(f"{path}?{query_string}")
        return response.status_code, response.get_json()

    def page(self, backend: str, args, path: str = "/search"):
        response = self.apps[backend].test_client().get(path, query_string=args)
        return response.status_code, response.get_data(as_text=True)


@pytest.fixture(scope="session")
def catalogue(service_urls, tmp_path_factory) -> Iterator[Catalogue]:
    now = utcnow()
    media = tmp_path_factory.mktemp("catalogue-media")
    postgres_url = _create_database(service_urls["DATABASE_URL"])
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('catalogue')}/catalogue.db"
    es_settings = {"ELASTICSEARCH_INDEX": CATALOGUE_INDEX}
    apps = {
        "elasticsearch": _app(_settings(postgres_url, service_urls, media, **es_settings)),
        "postgresql": _app(_settings(postgres_url, service_urls, media, ELASTICSEARCH_URL=None)),
        "sqlite": _app(_settings(sqlite_url, {}, media)),
    }
    with apps["sqlite"].app_context():
        upgrade()
        write_catalogue(db.session, now)
    with apps["postgresql"].app_context():
        write_catalogue(db.session, now)
        tree = _tree()
    app = apps["elasticsearch"]
    es = index.get_client(app.extensions["settings"])
    _drop_indices(es)
    with app.app_context():
        index.ensure_index(es, app.extensions["settings"])
        index_all(app)
    yield Catalogue(apps, now, Reference(now, tree))
    _drop_indices(es)
    for app in apps.values():
        with app.app_context():
            db.engine.dispose()
    _drop_database(service_urls["DATABASE_URL"])


def _app(settings) -> Flask:
    from web import create_app

    return create_app(settings)


def _tree() -> dict[str, str | None]:
    rows = db.session.execute(select(Category.id, Category.slug, Category.parent_id)).all()
    slugs = {row.id: row.slug for row in rows}
    return {row.slug: slugs.get(row.parent_id) for row in rows}


def _create_database(server_url: str) -> str:
    url = make_url(server_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{CATALOGUE_DB}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{CATALOGUE_DB}"'))
    admin.dispose()
    rendered = url.set(database=CATALOGUE_DB).render_as_string(hide_password=False)
    _upgrade(rendered)
    return rendered


def _drop_database(server_url: str) -> None:
    admin = create_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{CATALOGUE_DB}" WITH (FORCE)'))
    admin.dispose()


def _drop_indices(es) -> None:
    names = es.indices.get(index=f"{CATALOGUE_INDEX}*", expand_wildcards="all")
    if names:
        es.indices.delete(index=",".join(names))
