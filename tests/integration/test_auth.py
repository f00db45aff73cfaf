"""Registering, logging in and out, through the real forms with their CSRF tokens."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from models import User, db
from tests.conftest import PASSWORD
from tests.helpers import csrf_token, submit

NEW_PASSWORD = "plum tractor umbrella 42"


def register(client, **fields):
    data = {
        "username": "alice",
        "email": "alice@example.com",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        **fields,
    }
    return submit(client, "/register", data)


def log_in(client, username, password=PASSWORD, **extra):
    return submit(client, "/login", {"username": username, "password": password, **extra})


def user_named(name: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == name))


def is_logged_in(client) -> bool:
    return client.get("/me").status_code == 200


# Registering


def test_register_creates_the_account_and_logs_in(client):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/me"
    user = user_named("alice")
    assert user is not None and user.email == "alice@example.com"
    assert is_logged_in(client)


def test_password_is_stored_only_as_an_argon2_hash(client):
    register(client)
    user = user_named("alice")
    assert user.password_hash.startswith("$argon2id$")
    assert NEW_PASSWORD not in user.password_hash
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("taken", ["alice", "ALICE", "Alice"])
def test_username_is_unique_ignoring_case(client, make_user, taken):
    make_user(username="alice")
    response = register(client, username=taken, email="other@example.com")
    assert response.status_code == 200
    assert "That username is taken" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_email_is_unique_ignoring_case(client, make_user):
    make_user(username="first", email="alice@example.com")
    response = register(client, email="Alice@Example.COM")
    assert "An account already uses that address" in response.get_data(as_text=True)
    assert user_named("alice") is None


def test_a_uniqueness_race_becomes_a_form_error(client, make_user, monkeypatch):
    # Another request inserts "alice" after our form checked: the database index catches it.
    make_user(username="alice", email="first@example.com")
    monkeypatch.setattr("web.auth.forms.username_taken", lambda name: False)
    response = register(client, email="second@example.com")
    assert response.status_code == 200
    assert "That username is taken" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(User.id))) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "at least 10 characters"),
        ("12345678901234", "more than digits"),
        ("password123", "most common"),
        ("alice@example.com", "cannot be your username or email"),
        ("x" * 129, "at most 128"),
    ],
)
def test_weak_passwords_are_refused(client, password, message):
    response = register(client, password=password, confirm=password)
    assert message in response.get_data(as_text=True)
    assert user_named("alice") is None


def test_password_equal_to_username_is_refused(client):
    response = register(
        client, username="longusername1", password="LongUsername1", confirm="LongUsername1"
    )
    assert "cannot be your username or email" in response.get_data(as_text=True)


def test_passwords_must_match(client):
    response = register(client, confirm=NEW_PASSWORD + "x")
    assert "The two passwords differ" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "username",
    [
        "<script>alert(1)</script>",
        "bob<img src=x onerror=alert(1)>",
        "a b",
        "ab",
        "x" * 31,
        "bob@example",
        "admin",
    ],
)
def test_bad_usernames_are_refused(client, username):
    response = register(client, username=username)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page  # echoed back escaped, if at all
    assert "<img src=x" not in page
    assert db.session.scalar(select(db.func.count(User.id))) == 0


def test_invalid_email_is_refused(client):
    response = register(client, email="not-an-address")
    assert "Enter a valid email address" in response.get_data(as_text=True)


def test_logged_in_people_are_sent_away_from_register(client, make_user, login_as):
    login_as(make_user())
    assert client.get("/register").status_code == 302


# Logging in


@pytest.mark.parametrize("login", ["bob", "BOB", "bob@example.com", "Bob@Example.com"])
def test_log_in_by_username_or_email_any_case(client, make_user, login):
    make_user(username="bob", email="bob@example.com")
    response = log_in(client, login)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_records_the_time(client, make_user):
    user = make_user(username="bob")
    log_in(client, "bob")
    db.session.refresh(user)
    assert user.last_login_at is not None


@pytest.mark.parametrize(("login", "password"), [("bob", "wrong password!"), ("nobody", PASSWORD)])
def test_wrong_credentials_give_one_message(client, make_user, login, password):
    make_user(username="bob")
    response = log_in(client, login, password)
    assert response.status_code == 200
    assert "Wrong username, email or password." in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_a_disabled_account_cannot_log_in(client, make_user):
    make_user(username="bob", active=False)
    response = log_in(client, "bob")
    assert "This account has been disabled" in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_disabling_an_account_ends_its_sessions(client, make_user, login_as):
    user = login_as(make_user())
    assert is_logged_in(client)
    user.active = False
    db.session.commit()
    assert not is_logged_in(client)


def test_login_follows_a_local_next(client, make_user):
    make_user(username="bob")
    response = submit(
        client, "/login?next=/me/edit", {"username": "bob", "password": PASSWORD}, form_url="/login"
    )
    assert response.headers["Location"] == "/me/edit"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "/\t/evil.example",
        "/ /evil.example",
        "javascript:alert(1)",
    ],
)
def test_login_ignores_an_outside_next(client, make_user, target):
    make_user(username="bob")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": "bob", "password": PASSWORD, "csrf_token": csrf_token(client, "/login")},
    )
    assert response.headers["Location"] == "/"


def test_pages_that_need_a_login_send_to_the_login_page(client):
    response = client.get("/me")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_remember_me_sets_a_long_lived_httponly_cookie(client, make_user):
    make_user(username="bob")
    response = log_in(client, "bob", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember and "Expires=" in remember


def test_remember_cookie_alone_keeps_you_logged_in(client, make_user):
    make_user(username="bob")
    log_in(client, "bob", remember="y")
    client.delete_cookie("session")  # the browser was closed: only the remember cookie is left
    assert is_logged_in(client)


def test_without_remember_me_no_remember_cookie(client, make_user):
    make_user(username="bob")
    response = log_in(client, "bob")
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


# Logging out


def test_logout_needs_a_post(client, make_user, login_as):
    login_as(make_user())
    page = client.get("/logout")
    assert page.status_code == 200 and "Log out of Classifieds?" in page.get_data(as_text=True)
    assert is_logged_in(client)


def test_logout_ends_the_session_and_the_remember_cookie(client, make_user):
    make_user(username="bob")
    log_in(client, "bob", remember="y")
    response = submit(client, "/logout", form_url="/logout")
    assert response.status_code == 302
    assert any(c.startswith("remember_token=;") for c in response.headers.getlist("Set-Cookie"))
    assert not is_logged_in(client)


def test_the_navbar_shows_account_links(client, make_user, login_as):
    anonymous = client.get("/").get_data(as_text=True)
    assert 'href="/login"' in anonymous and 'href="/register"' in anonymous
    login_as(make_user(username="bob"))
    page = client.get("/").get_data(as_text=True)
    for link in ('href="/me"', 'href="/me/edit"', 'href="/account/password"', 'action="/logout"'):
        assert link in page


# Secrets stay secret


def test_passwords_never_reach_the_log(client, make_user, mailbox, caplog):
    caplog.set_level(logging.DEBUG)
    register(client)
    submit(client, "/logout")
    log_in(client, "alice", "a wrong password here")
    log_in(client, "alice", NEW_PASSWORD)
    submit(client, "/reset-password", {"email": "alice@example.com"})
    mailbox.wait_for(1)
    assert NEW_PASSWORD not in caplog.text
    assert "a wrong password here" not in caplog.text
    assert NEW_PASSWORD not in str(mailbox.messages[0])
