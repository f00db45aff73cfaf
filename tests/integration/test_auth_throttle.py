"""Log-in and reset attempts are limited per client address and per account (Redis-backed)."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.helpers import csrf_token


@pytest.fixture
def settings_overrides() -> dict:
    return {
        "LOGIN_RATE_LIMIT": "3 per minute",
        "RESET_RATE_LIMIT": "2 per minute",
        "REGISTER_RATE_LIMIT": "2 per minute",
    }


def attempt(client, url, address, **fields):
    """POST the form at `url` as if from `address`."""
    environ = {"REMOTE_ADDR": address}
    token = csrf_token(client, url, environ_base=environ)
    return client.post(url, data={**fields, "csrf_token": token}, environ_base=environ)


def test_one_address_trying_many_accounts_is_stopped(client, make_user):
    statuses = [
        attempt(
            client, "/login", "10.0.0.1", username=f"someone{n}", password="wrong guess 1"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_many_addresses_trying_one_account_are_stopped(client, make_user):
    make_user(username="bob")
    statuses = [
        attempt(
            client, "/login", f"10.0.1.{n}", username="bob", password="wrong guess 1"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 200]
    # The account is locked for a while even for the right password from a new address...
    blocked = attempt(client, "/login", "10.0.1.99", username="BOB", password=PASSWORD)
    assert blocked.status_code == 429
    # ...while other accounts are not.
    make_user(username="carol")
    other = attempt(client, "/login", "10.0.1.100", username="carol", password=PASSWORD)
    assert other.status_code == 302


def test_the_429_page_explains_itself(client):
    for _ in range(3):
        attempt(client, "/login", "10.0.2.1", username="bob", password="wrong guess 1")
    response = attempt(client, "/login", "10.0.2.1", username="bob", password="wrong guess 1")
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many attempts" in page
    assert "Wait a few minutes, then try again." in page
    assert "3 per 1 minute" in page
    assert int(response.headers["Retry-After"]) > 0


def test_showing_the_form_is_not_limited(client):
    for _ in range(10):
        assert client.get("/login", environ_base={"REMOTE_ADDR": "10.0.3.1"}).status_code == 200


def test_reset_requests_are_limited_per_address(client):
    statuses = [
        attempt(client, "/reset-password", "10.0.4.1", email=f"x{n}@example.com").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_reset_requests_are_limited_per_account(client, make_user, mailbox):
    make_user(username="bob", email="bob@example.com")
    statuses = [
        attempt(client, "/reset-password", f"10.0.5.{n}", email="Bob@example.com").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert len(mailbox.wait_for(2)) == 2  # the blocked request sent nothing


def test_change_password_guessing_is_limited(client, make_user, login_as):
    login_as(make_user(username="bob"))
    data = {
        "current_password": "wrong guess 1",
        "password": "plum tractor umbrella 42",
        "confirm": "plum tractor umbrella 42",
    }
    statuses = [
        attempt(client, "/account/password", f"10.0.6.{n}", **data).status_code for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_counters_live_in_redis(app, client):
    import redis

    settings = app.extensions["settings"]
    attempt(client, "/login", "10.0.7.1", username="bob", password="wrong guess 1")
    names = b" ".join(redis.Redis.from_url(str(settings.REDIS_URL)).keys("*auth.login*")).decode()
    assert "/10.0.7.1/auth.login:login-address/" in names
    assert "/account:bob/auth.login:login-account/" in names


def test_registrations_are_limited_per_address(client):
    """Registration tells whether a name is taken, so one machine may not probe it at will."""
    statuses = [
        attempt(
            client, "/register", "10.0.6.1", username=f"probe{n}", email="x", password="short"
        ).status_code
        for n in range(3)
    ]
    assert statuses[-1] == 429
    other = attempt(client, "/register", "10.0.6.2", username="probe9", email="x", password="x")
    assert other.status_code != 429


class TestBehindAProxy:
    """With TRUSTED_PROXIES set, the client's address comes from X-Forwarded-For."""

    @pytest.fixture
    def settings_overrides(self) -> dict:
        return {"LOGIN_RATE_LIMIT": "2 per minute", "TRUSTED_PROXIES": 1}

    def test_each_forwarded_client_has_its_own_bucket(self, client):
        def from_client(address):
            headers = {"X-Forwarded-For": address}
            token = csrf_token(client, "/login", headers=headers)
            data = {"username": f"u-{address}", "password": "wrong guess 1", "csrf_token": token}
            return client.post("/login", data=data, headers=headers).status_code

        assert [from_client("203.0.113.7") for _ in range(3)] == [200, 200, 429]
        assert from_client("203.0.113.8") == 200
