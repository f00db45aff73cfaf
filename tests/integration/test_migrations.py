"""Every migration upgrades and downgrades, on PostgreSQL and on SQLite, and the migrated
schema is the one the models describe."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from models import db
from models.search_terms import is_fts_table
from settings import load_settings
from web import create_app

SCRATCH_DB = f"classifieds_migrations_{os.getpid()}"


@pytest.fixture
def postgres_url(service_urls):
    url = make_url(service_urls["DATABASE_URL"])
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{SCRATCH_DB}"'))
    yield url.set(database=SCRATCH_DB).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path}/migrations.db"


def _app(database_url: str):
    return create_app(
        load_settings(
            DATABASE_URL=database_url,
            SECRET_KEY="migration-test-secret-key",
            ELASTICSEARCH_URL=None,
            REDIS_URL=None,
        )
    )


def _tables() -> set[str]:
    # SQLite's full-text table for the embedded search (models.search_terms) is no model.
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if not is_fts_table(name)}


def _schema_differences() -> list:
    def modelled(name, type_, parent_names) -> bool:
        return not (type_ == "table" and is_fts_table(name))

    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": modelled}
        )
        return compare_metadata(context, db.metadata)


@pytest.mark.parametrize("database", ["postgres_url", "sqlite_url"])
def test_upgrade_downgrade_upgrade(database, request):
    app = _app(request.getfixturevalue(database))
    with app.app_context():
        upgrade()
        assert _tables() == set(db.metadata.tables)
        assert _schema_differences() == []
        downgrade(revision="base")
        assert _tables() == set()
        upgrade()
        assert _tables() == set(db.metadata.tables)
        db.engine.dispose()


def test_case_insensitive_unique_indexes_exist_on_postgres(postgres_url):
    app = _app(postgres_url)
    with app.app_context():
        upgrade()
        indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("users")}
        assert {"uq_users_username_lower", "uq_users_email_lower"} <= indexes
        db.engine.dispose()
