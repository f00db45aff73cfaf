"""Tasks run in-process (the embedded default, TASKS_EAGER) never fail the request that sent
them, but a failure is not silent: the log has it with its traceback, and /healthz reports it."""

from __future__ import annotations

import logging

import pytest

from tests.helpers import submit


@pytest.fixture
def settings_overrides() -> dict:
    # Nothing listens on the discard port: every mail fails, after its retries.
    return {"SMTP_PORT": 9}


def fail_a_mail(client, make_user):
    """Ask for a password reset, whose mail cannot be delivered; returns the response."""
    make_user(username="bob", email="bob@example.com")
    return submit(client, "/reset-password", {"email": "bob@example.com"})


def test_the_request_still_succeeds(client, make_user):
    assert fail_a_mail(client, make_user).status_code == 302


def test_the_failure_is_logged_with_its_traceback(client, make_user, caplog):
    caplog.set_level(logging.INFO)
    fail_a_mail(client, make_user)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "a failed task must reach the log"
    assert any("send_mail" in r.getMessage() and r.exc_info for r in errors)
    assert "ConnectionRefusedError" in caplog.text and "Traceback" in caplog.text


def test_healthz_reports_the_failure(client, make_user):
    fail_a_mail(client, make_user)
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200, "a failed task degrades the site, it does not stop it"
    assert body["status"] == "degraded"
    tasks = body["checks"]["tasks"]
    assert tasks["ok"] is False and tasks["required"] is False
    assert "send_mail" in tasks["detail"] and "ConnectionRefusedError" in tasks["detail"]


def test_healthz_is_ok_while_no_task_failed(client):
    tasks = client.get("/healthz").get_json()["checks"]["tasks"]
    assert tasks == {**tasks, "ok": True, "detail": "run in-process"}
