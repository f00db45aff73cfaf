"""Answers of repeated searches, reused while the index has not changed (search.answers), on
the real Elasticsearch and Redis."""

from __future__ import annotations

import time

import pytest
import redis

from models import ListingStatus, db
from search import answers
from search.backends import elasticsearch as es_backend

SETTLED = answers.SETTLE / 1_000_000 + 0.2  # seconds after a write before answers are kept


@pytest.fixture
def settings_overrides() -> dict:
    return {"SEARCH_ANSWERS": 100}


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """The text of every search that reached Elasticsearch."""
    calls: list[str] = []
    search = es_backend.search

    def counted(query):
        calls.append(query.text)
        return search(query)

    monkeypatch.setattr(es_backend, "search", counted)
    return calls


@pytest.fixture(autouse=True)
def no_shared_answers(app):
    """Answers shared by an earlier test of this run would be counted by this one's."""
    try:
        keys = shared_answers(app)
        if keys:
            _store(app).delete(*keys)
    except redis.ConnectionError:
        pass  # a test pointing REDIS_URL at a dead port shares nothing


def _store(app) -> redis.Redis:
    return redis.Redis.from_url(str(app.extensions["settings"].REDIS_URL))


def found(client, **args) -> list[int]:
    response = client.get("/api/v1/search", query_string=args)
    assert response.status_code == 200, response.get_json()
    return [hit["id"] for hit in response.get_json()["hits"]]


def test_a_repeated_search_is_answered_without_asking_the_index(client, make_listing, asked):
    listing = make_listing(title="Road bike")
    time.sleep(SETTLED)
    first = client.get("/api/v1/search", query_string={"q": "bike"}).get_json()
    again = client.get("/api/v1/search", query_string={"q": "bike"}).get_json()
    assert again == {**first, "took": 0}  # no backend ran for it
    assert [hit["id"] for hit in first["hits"]] == [listing.id]
    assert asked == ["bike"]
    # Any other argument is another search.
    assert found(client, q="bike", sort="newest") == [listing.id]
    assert found(client, q="bike", per_page=5) == [listing.id]
    assert asked == ["bike", "bike", "bike"]


def test_a_write_is_seen_by_the_next_search(client, make_listing, asked):
    listing = make_listing(title="Road bike")
    time.sleep(SETTLED)
    assert found(client, q="bike") == [listing.id]
    other = make_listing(title="Mountain bike")
    assert sorted(found(client, q="bike")) == sorted([listing.id, other.id])
    # Asked right after a write, that answer is not kept: the refresh may not have run.
    assert sorted(found(client, q="bike")) == sorted([listing.id, other.id])
    assert len(asked) == 3
    listing.status = ListingStatus.sold
    db.session.commit()
    time.sleep(SETTLED)
    assert found(client, q="bike") == [other.id]
    assert found(client, q="bike") == [other.id]
    assert len(asked) == 4


def another_process(app) -> None:
    """Forget this process's own answers, as a second web process never had them."""
    app.extensions.pop("search_answers", None)


def shared_answers(app) -> list[bytes]:
    return _store(app).keys(f"{app.extensions['settings'].ELASTICSEARCH_INDEX}:answer:*")


def test_a_repeat_in_another_process_is_answered_from_redis(app, client, make_listing, asked):
    listing = make_listing(title="Road bike")
    time.sleep(SETTLED)
    first = client.get("/api/v1/search", query_string={"q": "bike"}).get_json()
    assert len(shared_answers(app)) == 1
    another_process(app)
    again = client.get("/api/v1/search", query_string={"q": "bike"}).get_json()
    assert again == {**first, "took": 0}
    assert [hit["id"] for hit in again["hits"]] == [listing.id]
    assert asked == ["bike"]
    # A write makes the shared answer stale for every process.
    other = make_listing(title="Mountain bike")
    time.sleep(SETTLED)
    another_process(app)
    assert sorted(found(client, q="bike")) == sorted([listing.id, other.id])
    assert asked == ["bike", "bike"]


def test_a_shared_answer_changed_in_redis_is_not_shown(app, client, make_listing, asked, caplog):
    make_listing(title="Road bike")
    time.sleep(SETTLED)
    found(client, q="bike")
    store = _store(app)
    (key,) = shared_answers(app)
    store.hset(key, "answer", store.hget(key, "answer").replace(b"Road", b"Evil"))
    another_process(app)
    assert "Evil" not in client.get("/api/v1/search", query_string={"q": "bike"}).get_data(True)
    assert asked == ["bike", "bike"]
    assert "shared search answer was not readable" in caplog.text


@pytest.mark.parametrize(
    "settings_overrides", [{"SEARCH_ANSWERS": 100, "REDIS_URL": "redis://127.0.0.1:9/0"}]
)
def test_without_redis_every_search_asks_the_index(client, make_listing, asked):
    listing = make_listing(title="Road bike")
    for _ in range(3):
        assert found(client, q="bike") == [listing.id]
    assert asked == ["bike", "bike", "bike"]


def test_each_process_keeps_at_most_its_share_of_answers():
    kept = answers._Answers(size=2)
    for n in range(3):
        kept.put((n,), answers._Answer(asked=n, result=None))
    assert kept.get((0,)) is None
    assert kept.get((1,)) is not None
    kept.put((3,), answers._Answer(asked=3, result=None))  # 1 was used last, 2 goes
    assert kept.get((2,)) is None
    assert kept.get((1,)) is not None and kept.get((3,)) is not None
