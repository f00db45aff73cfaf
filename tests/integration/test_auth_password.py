"""Changing a password, and resetting a forgotten one through a mailed link."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner

from models import User, db
from tests.conftest import PASSWORD
from tests.helpers import submit

NEW_PASSWORD = "plum tractor umbrella 42"
LINK = re.compile(r"http://\S+/reset-password/(\S+)")


def logged_in(client) -> bool:
    return client.get("/me").status_code == 200


def log_in(client, username="bob", password=PASSWORD, **extra):
    return submit(client, "/login", {"username": username, "password": password, **extra})


def change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return submit(
        client,
        "/account/password",
        {"current_password": current, "password": new, "confirm": confirm or new},
    )


def fresh(user: User) -> User:
    db.session.refresh(user)
    return user


# Changing the password


def test_change_password_needs_a_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_change_password(client, make_user):
    user = make_user(username="bob")
    log_in(client)
    response = change(client)
    assert response.status_code == 302
    assert fresh(user).check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    assert logged_in(client), "the session that changed the password stays logged in"


def test_change_password_requires_the_current_one(client, make_user):
    user = make_user(username="bob")
    log_in(client)
    response = change(client, current="not my password at all")
    assert "That is not your current password" in response.get_data(as_text=True)
    assert fresh(user).check_password(PASSWORD)


@pytest.mark.parametrize("weak", ["short", "0123456789012", "qwertyuiop", "bob@example.com"])
def test_change_password_applies_the_policy(client, make_user, weak):
    user = make_user(username="bob", email="bob@example.com")
    log_in(client)
    response = change(client, new=weak)
    assert response.status_code == 200
    assert 'class="invalid-feedback d-block"' in response.get_data(as_text=True)
    assert fresh(user).check_password(PASSWORD)


def test_changing_the_password_logs_out_other_sessions(app, client, make_user):
    make_user(username="bob")
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop)
    log_in(phone, remember="y")
    assert logged_in(laptop) and logged_in(phone)
    change(laptop)
    assert logged_in(laptop)
    assert not logged_in(phone)
    phone.delete_cookie("session")  # the phone's remember cookie is stale too
    assert not logged_in(phone)


def test_a_renewed_remember_cookie_survives_the_change(app, client, make_user):
    make_user(username="bob")
    log_in(client, remember="y")
    change(client)
    client.delete_cookie("session")
    assert logged_in(client)


# Resetting a forgotten password


def request_reset(client, email="bob@example.com"):
    return submit(client, "/reset-password", {"email": email})


def reset_link(mailbox) -> str:
    body = mailbox.body(mailbox.wait_for(1)[-1])
    return "/reset-password/" + LINK.search(body).group(1)


def choose(client, link, password=NEW_PASSWORD):
    # The token comes from another page, so that a dead link can be posted to as well.
    return submit(
        client, link, {"password": password, "confirm": password}, form_url="/reset-password"
    )


def test_reset_mail_and_link(client, make_user, mailbox):
    user = make_user(username="bob", email="bob@example.com")
    response = request_reset(client)
    assert response.status_code == 302
    message = mailbox.wait_for(1)[0]
    assert message["To"] == "bob@example.com"
    assert "http://localhost:5000/reset-password/" in mailbox.body(message)  # built on SITE_URL
    link = reset_link(mailbox)
    assert client.get(link).status_code == 200
    assert choose(client, link).status_code == 302
    assert fresh(user).check_password(NEW_PASSWORD)
    assert log_in(client, password=NEW_PASSWORD).status_code == 302


def test_reset_request_ignores_case_of_the_address(client, make_user, mailbox):
    make_user(username="bob", email="bob@example.com")
    request_reset(client, "BOB@Example.com")
    assert mailbox.wait_for(1)[0]["To"] == "bob@example.com"


def test_reset_for_an_unknown_address_answers_the_same(client, make_user, mailbox):
    make_user(username="bob", email="bob@example.com")
    known = request_reset(client, "bob@example.com")
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = request_reset(client, "nobody@example.com")
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    message = "If an account uses that address, we have sent it a link"
    assert message in known_page and message in unknown_page
    time.sleep(0.5)
    assert len(mailbox.messages) == 1  # only the real account got a mail


def test_reset_link_works_only_once(client, make_user, mailbox):
    user = make_user(username="bob", email="bob@example.com")
    request_reset(client)
    link = reset_link(mailbox)
    choose(client, link)
    response = client.get(link)
    assert response.status_code == 400
    assert "This reset link no longer works" in response.get_data(as_text=True)
    assert choose(client, link, "another fine passphrase").status_code == 400
    assert fresh(user).check_password(NEW_PASSWORD)


def test_reset_link_expires(client, make_user, mailbox, monkeypatch):
    make_user(username="bob", email="bob@example.com")
    # Sign the link 61 minutes ago; it lives PASSWORD_RESET_MAX_AGE_MINUTES (60) minutes.
    issued = int(time.time()) - 61 * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
    request_reset(client)
    link = reset_link(mailbox)
    monkeypatch.undo()
    response = client.get(link)
    assert response.status_code == 400
    assert "This reset link no longer works" in response.get_data(as_text=True)


def test_reset_link_dies_when_the_password_changes_otherwise(client, make_user, mailbox):
    user = make_user(username="bob", email="bob@example.com")
    request_reset(client)
    link = reset_link(mailbox)
    user.set_password("a different new password")
    db.session.commit()
    assert client.get(link).status_code == 400


@pytest.mark.parametrize("token", ["garbage", "eyJ1aWQiOjF9.abc.def", "x" * 500])
def test_forged_reset_links_are_refused(client, make_user, token):
    make_user(username="bob")
    assert client.get(f"/reset-password/{token}").status_code == 400


def test_reset_link_for_another_purpose_is_refused(app, client, make_user):
    from itsdangerous import URLSafeTimedSerializer

    from web.auth.tokens import password_fingerprint

    user = make_user(username="bob")
    wrong_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="something-else")
    token = wrong_salt.dumps({"uid": user.id, "fp": password_fingerprint(user)})
    assert client.get(f"/reset-password/{token}").status_code == 400


def test_reset_applies_the_password_policy(client, make_user, mailbox):
    user = make_user(username="bob", email="bob@example.com")
    request_reset(client)
    link = reset_link(mailbox)
    response = choose(client, link, "1234567890123")
    assert "Use more than digits" in response.get_data(as_text=True)
    assert fresh(user).check_password(PASSWORD)
    assert client.get(link).status_code == 200, "a refused attempt does not use the link up"


def test_reset_logs_out_every_session(app, client, make_user, mailbox):
    make_user(username="bob", email="bob@example.com")
    phone = app.test_client()
    log_in(phone)
    request_reset(client)
    choose(client, reset_link(mailbox))
    assert not logged_in(phone)


def test_no_reset_mail_for_a_disabled_account(client, make_user, mailbox):
    make_user(username="bob", email="bob@example.com", active=False)
    assert request_reset(client).status_code == 302
    time.sleep(0.5)
    assert mailbox.messages == []


def test_reset_mail_ignores_a_forged_host_header(client, make_user, mailbox):
    make_user(username="bob", email="bob@example.com")
    submit(
        client, "/reset-password", {"email": "bob@example.com"}, headers={"Host": "evil.example"}
    )
    assert "evil.example" not in mailbox.body(mailbox.wait_for(1)[0])
