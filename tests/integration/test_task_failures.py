"""Tasks run in-process (the embedded default, TASKS_EAGER) never fail the caller that sent
them, but a failure is not silent: the log has it with its traceback, and /healthz reports it.

Mail no longer fails as a task (an undeliverable mail is kept and retried by the mail relay), so
these tests fail a task of their own: it reads a file that is not there.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from celery import shared_task

from tests.helpers import submit


@pytest.fixture
def settings_overrides() -> dict:
    # Nothing listens on the discard port: every mail fails.
    return {"SMTP_PORT": 9}


# A shared task is bound to each app's Celery in turn, with its failure record.
@shared_task(name="tests.read_a_missing_file")
def read_a_missing_file() -> str:
    return Path("/nonexistent/classifieds/not-there.txt").read_text()


@pytest.fixture
def failing_task(app):
    return read_a_missing_file


def test_an_undeliverable_mail_does_not_fail_the_request(client, make_user, caplog):
    make_user(username="bob", email="bob@example.com")
    assert submit(client, "/reset-password", {"email": "bob@example.com"}).status_code == 302
    assert "will be retried: ConnectionRefusedError" in caplog.text


def test_a_failing_task_does_not_fail_its_caller(failing_task):
    failing_task.delay()  # raises nothing


def test_the_failure_is_logged_with_its_traceback(failing_task, caplog):
    caplog.set_level(logging.INFO)
    failing_task.delay()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "a failed task must reach the log"
    assert any("read_a_missing_file" in r.getMessage() and r.exc_info for r in errors)
    assert "FileNotFoundError" in caplog.text and "Traceback" in caplog.text


def test_healthz_reports_the_failure(client, failing_task):
    failing_task.delay()
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200, "a failed task degrades the site, it does not stop it"
    assert body["status"] == "degraded"
    tasks = body["checks"]["tasks"]
    assert tasks["ok"] is False and tasks["required"] is False
    assert "read_a_missing_file" in tasks["detail"] and "FileNotFoundError" in tasks["detail"]


def test_healthz_is_ok_while_no_task_failed(client):
    tasks = client.get("/healthz").get_json()["checks"]["tasks"]
    assert tasks == {**tasks, "ok": True, "detail": "run in-process"}
