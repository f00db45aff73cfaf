"""Shared fixtures: the real services, an app per test on PostgreSQL, mail, and factories.

The suite needs PostgreSQL, Redis and Elasticsearch. `scripts.services.ensure_up()` starts them
(or uses those named by DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL); if one cannot start, the
session fails with its name and log instead of skipping anything.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from models import Category, Listing, User, db
from models.category_tree import install_category_tree
from settings import load_settings
from tests.helpers import IsolatedClient
from tests.mailbox import Mailbox

# One database per pytest process, so that test runs side by side never share rows.
TEST_DB_NAME = f"classifieds_test_{os.getpid()}"
TEST_REDIS_DB = 15
RATE_LIMIT_PREFIX = f"test-{os.getpid()}"
# The index alias of this run: runs side by side on one Elasticsearch never share documents.
TEST_INDEX = f"test-{os.getpid()}-listings"
PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


@pytest.fixture(scope="session")
def service_urls() -> Iterator[dict[str, str]]:
    from scripts.services import ServiceError, ensure_up

    try:
        urls = ensure_up()
    except ServiceError as error:  # names the service and its log; nothing may be skipped
        pytest.exit(f"A service the tests need could not start:\n{error.message}", returncode=3)
    yield urls
    _drop_test_indices(urls["ELASTICSEARCH_URL"])


@pytest.fixture
def listing_index(app) -> Iterator[str]:
    """A live, empty listing index behind this run's aliases (TEST_INDEX, -write), so listings
    written through the app reach it (tasks run in-process after each commit); dropped after
    the test. Without it the index pipeline finds no index and leaves its entries pending."""
    from search.index import ensure_index, get_client

    settings = app.extensions["settings"]
    # The stand-in indexer (index_follows_commits) leaves its index behind for the next test
    # to reuse; its documents would stand for this test's listings of the same ids.
    _drop_test_indices(str(settings.ELASTICSEARCH_URL))
    yield ensure_index(get_client(settings), settings)
    _drop_test_indices(str(settings.ELASTICSEARCH_URL))


def _drop_test_indices(url: str) -> None:
    """Delete every index this run created (they all start with its alias); `url` may name
    several nodes, as ELASTICSEARCH_URL does."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(url.split(","), request_timeout=30)
    try:
        names = client.indices.get(index=f"{TEST_INDEX}*", expand_wildcards="all")
        if names:
            client.indices.delete(index=",".join(names), allow_no_indices=True)
    except Exception:  # noqa: BLE001 - a stopped server leaves nothing to clean that matters
        pass
    finally:
        client.close()


@pytest.fixture(scope="session")
def database_url(service_urls) -> Iterator[str]:
    """A database of its own for the tests, built once per session by the migrations."""
    url = make_url(service_urls["DATABASE_URL"]).set(database=TEST_DB_NAME)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{TEST_DB_NAME}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{TEST_DB_NAME}"'))
    rendered = url.render_as_string(hide_password=False)
    _upgrade(rendered)
    yield rendered
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{TEST_DB_NAME}" WITH (FORCE)'))
    admin.dispose()


def _upgrade(database_url: str) -> None:
    from flask_migrate import upgrade

    from web import create_app

    app = create_app(_settings(database_url, {}, Path("/tmp")))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _settings(database_url: str, service_urls: dict[str, str], media_root: Path, **overrides):
    values = {
        "CLASSIFIEDS_ENV": "test",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": media_root,
        "TASKS_EAGER": True,
        "SMTP_HOST": "",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "RESET_RATE_LIMIT": "1000 per minute",
        "REGISTER_RATE_LIMIT": "1000 per minute",
        "MESSAGE_RATE_LIMIT": "1000 per minute",
        # Counters of this test run stay apart from those of another run on the same Redis.
        "RATELIMIT_KEY_PREFIX": RATE_LIMIT_PREFIX,
        # Tests write the index in many ways besides the pipeline, and a reused answer would
        # hide a write that did not announce itself; tests/integration/search/test_answers.py
        # turns reuse on.
        "SEARCH_ANSWERS": 0,
    }
    if service_urls:
        values["REDIS_URL"] = f"{service_urls['REDIS_URL'].rsplit('/', 1)[0]}/{TEST_REDIS_DB}"
        values["ELASTICSEARCH_URL"] = service_urls["ELASTICSEARCH_URL"]
        values["ELASTICSEARCH_INDEX"] = TEST_INDEX
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture(scope="session")
def mail_server() -> Iterator[Mailbox]:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""
    mailbox = Mailbox()
    mailbox.start()
    yield mailbox
    mailbox.stop()


@pytest.fixture
def mailbox(mail_server: Mailbox) -> Mailbox:
    mail_server.clear()
    return mail_server


@pytest.fixture
def settings_overrides() -> dict:
    """Override in a test module (or with indirect parametrisation) to change settings."""
    return {}


@pytest.fixture(scope="session")
def test_engine(database_url):
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def app(database_url, test_engine, service_urls, tmp_path, mail_server, settings_overrides):
    from web import create_app

    overrides = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": mail_server.port, **settings_overrides}
    settings = _settings(database_url, service_urls, tmp_path / "media", **overrides)
    app = create_app(settings)
    if settings.REDIS_URL:  # a test may run the embedded default, without Redis
        _forget_rate_limits(str(settings.REDIS_URL))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    _empty_tables(test_engine)


def _forget_rate_limits(redis_url: str) -> None:
    """Drop the counters earlier tests of this run left, and only those."""
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"*{RATE_LIMIT_PREFIX}*", count=1000))
        if keys:
            client.delete(*keys)
    except redis.ConnectionError:
        pass  # a test that points REDIS_URL at a dead port has no counters to drop
    finally:
        client.close()


def _empty_tables(engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(autouse=True)
def index_follows_commits(request):
    """With an app on Elasticsearch: an empty index per test, and every committed listing
    change written into it at once (tests/search_helpers.py, the pipeline's stand-in)."""
    # Modules that test the pipeline or the index commands manage the index themselves
    # (`OWN_INDEX = True`): the stand-in would create indices and write documents under them.
    if "app" not in request.fixturenames or getattr(request.module, "OWN_INDEX", False):
        yield
        return
    app = request.getfixturevalue("app")
    url = app.extensions["settings"].ELASTICSEARCH_URL
    # Not on the shared server: the embedded default, or a test pointing at a dead port.
    shared = request.getfixturevalue("service_urls")["ELASTICSEARCH_URL"]
    if url is None or str(url).rstrip("/") != shared.rstrip("/"):
        yield
        return
    from tests.search_helpers import IndexFollower

    follower = IndexFollower(app)
    follower.start()
    yield follower
    follower.stop()


@pytest.fixture
def client(app):
    """A test client whose requests each run in an app context of their own (see
    tests.helpers.IsolatedClient), as requests to a real server do."""
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def categories(app) -> dict[str, Category]:
    install_category_tree(db.session)
    db.session.commit()
    return {c.slug: c for c in db.session.scalars(db.select(Category))}


@pytest.fixture
def make_user(app):
    """Factory: `make_user(username=..., **fields)` -> a saved User whose password is PASSWORD."""

    def make(**fields) -> User:
        n = next(_sequence)
        fields.setdefault("username", f"user{n}")
        fields.setdefault("email", f"{fields['username']}@example.com")
        password = fields.pop("password", PASSWORD)
        user = User(**fields)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_listing(app, categories, make_user):
    """Factory: `make_listing(owner=..., **fields)` -> a saved active Listing in San Francisco."""
    from datetime import timedelta

    from models import utcnow

    def make(**fields) -> Listing:
        fields.setdefault("owner", fields.pop("owner", None) or make_user())
        fields.setdefault("category", categories["bikes"])
        fields.setdefault("title", "Road bike, 56 cm frame")
        fields.setdefault("description", "Lightly used road bike with new tyres.")
        fields.setdefault("price_minor", 25_000)
        fields.setdefault("city", "San Francisco")
        fields.setdefault("state", "CA")
        fields.setdefault("zip_code", "94103")
        fields.setdefault("latitude", 37.7725)
        fields.setdefault("longitude", -122.4147)
        fields.setdefault("expires_at", utcnow() + timedelta(days=30))
        listing = Listing(**fields)
        db.session.add(listing)
        db.session.commit()
        return listing

    return make


@pytest.fixture
def login_as(client):
    """Log `user` in on the test client by writing the Flask-Login session directly."""

    def login(user: User) -> User:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()  # carries the password version
            session["_fresh"] = True
        return user

    return login
