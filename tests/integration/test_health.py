"""/healthz reports each dependency, and answers 503 when a required one is down."""

from __future__ import annotations

import pytest


def test_all_dependencies_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {
        **body["checks"]["database"],
        "ok": True,
        "required": True,
    }
    assert body["checks"]["database"]["detail"] == "postgresql"
    assert body["checks"]["elasticsearch"]["ok"] is True
    assert body["checks"]["elasticsearch"]["detail"].startswith("elasticsearch 8.")
    assert body["checks"]["redis"]["ok"] is True


class TestElasticsearchDown:
    @pytest.fixture
    def settings_overrides(self):
        return {"ELASTICSEARCH_URL": "http://127.0.0.1:9"}  # nothing listens on the discard port

    def test_is_unavailable(self, client):
        response = client.get("/healthz")
        assert response.status_code == 503
        body = response.get_json()
        assert body["status"] == "unavailable"
        assert body["checks"]["elasticsearch"]["ok"] is False
        assert body["checks"]["elasticsearch"]["detail"]
        assert body["checks"]["database"]["ok"] is True


class TestOneOfTwoElasticsearchNodesDown:
    @pytest.fixture
    def settings_overrides(self, service_urls):
        # The dead node first: the check must move on to the live one, and so must search.
        return {"ELASTICSEARCH_URL": f"http://127.0.0.1:9,{service_urls['ELASTICSEARCH_URL']}"}

    def test_the_site_answers_from_the_other(self, client, listing_index):
        for _ in range(3):  # the client takes turns: each request may meet the dead node
            response = client.get("/healthz")
            assert response.status_code == 200, response.get_json()
            assert response.get_json()["checks"]["elasticsearch"]["ok"] is True
            assert client.get("/api/v1/search?q=bike").status_code == 200


class TestRedisDown:
    @pytest.fixture
    def settings_overrides(self):
        return {"REDIS_URL": "redis://127.0.0.1:9/0"}

    def test_is_degraded_but_serving(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.get_json()
        assert body["status"] == "degraded"
        assert body["checks"]["redis"] == {
            **body["checks"]["redis"],
            "ok": False,
            "required": False,
        }


class TestDatabaseDown:
    @pytest.fixture
    def settings_overrides(self):
        return {"DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"}

    def test_is_unavailable(self, client):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.get_json()["checks"]["database"]["ok"] is False


def test_embedded_default_is_healthy(tmp_path):
    from settings import load_settings
    from web import create_app

    app = create_app(
        load_settings(
            DATABASE_URL=f"sqlite:///{tmp_path}/x.db",
            SECRET_KEY="x" * 32,
            ELASTICSEARCH_URL=None,
            REDIS_URL=None,
        )
    )
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["checks"]["search"]["detail"] == "embedded backend"
    assert body["checks"]["tasks"]["detail"] == "run in-process"


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
