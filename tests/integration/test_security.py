"""The security baseline: CSRF, cookies, headers, CSP-clean pages, authorization, admin CLI."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_login import login_user
from werkzeug.exceptions import Forbidden, NotFound

from models import Conversation, Listing, ListingStatus, User, db
from tests.conftest import PASSWORD, _settings
from tests.helpers import csrf_token, submit
from web.authz import require_listing_change, require_participant

# CSRF


def test_csrf_protection_is_on(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/login", {"username": "bob", "password": PASSWORD}),
        ("/register", {"username": "eve", "email": "eve@example.com", "password": "x" * 12}),
        ("/reset-password", {"email": "bob@example.com"}),
    ],
)
def test_a_form_without_its_token_is_refused(client, make_user, url, data):
    make_user(username="bob", email="bob@example.com")
    response = client.post(url, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Form expired" in page and "missing its security token" in page


def test_a_forged_token_is_refused(client, make_user):
    make_user(username="bob")
    response = client.post(
        "/login", data={"username": "bob", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400


def test_logged_in_actions_without_a_token_are_refused(client, make_user, login_as):
    user = login_as(make_user(username="bob"))
    assert client.post("/logout").status_code == 400
    assert client.get("/me").status_code == 200, "still logged in"
    assert client.post("/me/edit", data={"display_name": "Hacked"}).status_code == 400
    db.session.refresh(user)
    assert user.display_name == ""
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "pwned pwned pwned",
            "confirm": "pwned pwned pwned",
        },
    )
    assert response.status_code == 400
    assert user.check_password(PASSWORD)


def test_a_token_from_another_session_is_refused(app, client, make_user):
    make_user(username="bob")
    attacker = app.test_client()
    token = csrf_token(attacker, "/login")
    response = client.post(
        "/login", data={"username": "bob", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 400


# Cookies and headers


def _cookie(response, name: str) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "="))


def test_session_cookie_is_httponly_and_samesite_lax(client):
    cookie = _cookie(client.get("/login"), "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in development and tests


@pytest.fixture
def production_app(database_url, service_urls, tmp_path) -> Flask:
    from web import create_app

    settings = _settings(
        database_url,
        service_urls,
        tmp_path,
        CLASSIFIEDS_ENV="production",
        SMTP_HOST="127.0.0.1",
        SITE_URL="https://classifieds.example",
    )
    app = create_app(settings)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_cookies_are_secure_in_production(production_app, make_user):
    make_user(username="bob")
    client = production_app.test_client()
    form = client.get("/login", base_url="https://localhost")
    assert "Secure" in _cookie(form, "session")
    assert form.headers["Strict-Transport-Security"].startswith("max-age=")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.get_data(as_text=True))[1]
    response = client.post(
        "/login",
        base_url="https://localhost",
        data={"username": "bob", "password": PASSWORD, "remember": "y", "csrf_token": token},
        headers={"Referer": "https://localhost/login"},
    )
    assert response.status_code == 302
    remember = _cookie(response, "remember_token")
    assert "Secure" in remember and "HttpOnly" in remember and "SameSite=Lax" in remember


MY_PAGES = [
    "/login",
    "/register",
    "/reset-password",
    "/logout",
    "/account/password",
    "/me",
    "/me?tab=past",
    "/me/edit",
    "/u/bob",
]


@pytest.fixture
def bob_with_listings(make_user, make_listing) -> User:
    bob = make_user(username="bob", display_name="Bob B.", bio="Line one\nLine two")
    make_listing(owner=bob)
    make_listing(owner=bob, status=ListingStatus.hidden, title="Hidden bike")
    make_listing(owner=bob, status=ListingStatus.sold, title="Sold bike")
    return bob


@pytest.mark.parametrize("path", MY_PAGES)
def test_pages_send_the_security_headers(client, login_as, bob_with_listings, path):
    login_as(bob_with_listings)
    if path in ("/login", "/register", "/reset-password"):
        client = client.application.test_client()  # those pages are for logged-out people
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


@pytest.mark.parametrize("path", MY_PAGES)
def test_pages_have_no_inline_script_or_style(client, login_as, bob_with_listings, path):
    login_as(bob_with_listings)
    if path in ("/login", "/register", "/reset-password"):
        client = client.application.test_client()
    page = client.get(path).get_data(as_text=True)
    assert not INLINE_SCRIPT.search(page), INLINE_SCRIPT.search(page)
    assert not INLINE_STYLE.search(page), INLINE_STYLE.search(page)


# Authorization: one person cannot act on another's things


@pytest.fixture
def alice_listing(make_user, make_listing) -> Listing:
    return make_listing(owner=make_user(username="alice"), title="Alice's bike")


def test_someone_else_cannot_open_the_edit_form(client, login_as, make_user, alice_listing):
    login_as(make_user(username="mallory"))
    assert client.get(f"/listings/{alice_listing.id}/edit").status_code == 403


def test_someone_else_cannot_edit_a_listing(client, login_as, make_user, alice_listing):
    login_as(make_user(username="mallory"))
    response = submit(
        client,
        f"/listings/{alice_listing.id}/edit",
        {"title": "Stolen", "description": "mine now"},
        form_url="/me",
    )
    assert response.status_code == 403
    db.session.refresh(alice_listing)
    assert alice_listing.title == "Alice's bike"


def test_someone_else_cannot_delete_a_listing(client, login_as, make_user, alice_listing):
    login_as(make_user(username="mallory"))
    response = submit(client, f"/listings/{alice_listing.id}/delete", form_url="/me")
    assert response.status_code == 403
    db.session.refresh(alice_listing)
    assert alice_listing.status is ListingStatus.active


def test_a_hidden_listing_does_not_exist_for_others(client, login_as, make_user, alice_listing):
    alice_listing.status = ListingStatus.hidden
    db.session.commit()
    login_as(make_user(username="mallory"))
    assert client.get(f"/listings/{alice_listing.id}/edit").status_code == 404


def test_the_owner_may_edit(client, login_as, alice_listing):
    login_as(alice_listing.owner)
    assert client.get(f"/listings/{alice_listing.id}/edit").status_code == 200


def as_user(app: Flask, user: User | None):
    """A fresh request context with `user` logged in (or nobody)."""
    context = app.test_request_context()
    context.push()
    if user is not None:
        login_user(user)
    return context


def test_listing_guard_refuses_others(app, make_user, alice_listing):
    with app.app_context():
        context = as_user(app, make_user(username="mallory"))
        try:
            with pytest.raises(Forbidden):
                require_listing_change(alice_listing)
        finally:
            context.pop()


def test_listing_guard_lets_the_owner_and_admins_through(app, make_user, alice_listing):
    for user in (alice_listing.owner, make_user(username="moderator1", is_admin=True)):
        with app.app_context():
            context = as_user(app, user)
            try:
                assert require_listing_change(alice_listing) is alice_listing
            finally:
                context.pop()


@pytest.fixture
def conversation(make_user, alice_listing) -> Conversation:
    talk = Conversation(
        listing=alice_listing, seller=alice_listing.owner, buyer=make_user(username="buyer")
    )
    db.session.add(talk)
    db.session.commit()
    return talk


@pytest.mark.parametrize("reader", ["mallory", None])
def test_a_conversation_does_not_exist_for_outsiders(app, make_user, conversation, reader):
    user = make_user(username=reader) if reader else None
    with app.app_context():
        context = as_user(app, user)
        try:
            with pytest.raises(NotFound):
                require_participant(conversation)
        finally:
            context.pop()


def test_both_participants_read_the_conversation(app, conversation):
    for user in (conversation.buyer, conversation.seller):
        with app.app_context():
            context = as_user(app, user)
            try:
                assert require_participant(conversation) is conversation
            finally:
                context.pop()


# The admin role


def test_grant_admin_command(app, make_user, client, login_as):
    user = make_user(username="bob")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["grant-admin", "BOB"])
    assert result.exit_code == 0, result.output
    assert "bob is now an admin." in result.output
    db.session.refresh(user)
    assert user.is_admin
    login_as(user)
    assert client.get("/admin/reports").status_code == 200
    result = runner.invoke(args=["grant-admin", "bob", "--revoke"])
    assert "bob is no longer an admin." in result.output
    db.session.refresh(user)
    assert not user.is_admin
    assert client.get("/admin/reports").status_code == 404


def test_grant_admin_names_an_unknown_user(app):
    result = app.test_cli_runner().invoke(args=["grant-admin", "nobody"])
    assert result.exit_code != 0
    assert "No user named 'nobody'" in result.output


def test_admin_pages_do_not_exist_for_members(client, make_user, login_as):
    login_as(make_user(username="bob"))
    assert client.get("/admin/reports").status_code == 404
