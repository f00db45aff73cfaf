"""The distributed path: a task sent through Redis is run by a real Celery worker process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from indexer.celery_app import enqueue
from indexer.mail import send_mail
from indexer.mailer import record_mail
from models import MailStatus, OutgoingMail, db
from settings import PROJECT_ROOT
from tests.conftest import _settings

WORKER_REDIS_DB = 14


@pytest.fixture
def broker_url(service_urls) -> str:
    url = f"{service_urls['REDIS_URL'].rsplit('/', 1)[0]}/{WORKER_REDIS_DB}"
    redis.Redis.from_url(url).flushdb()  # no message of an earlier run may linger
    return url


@pytest.fixture
def worker(broker_url, database_url, mail_server, tmp_path: Path):
    env = {
        **os.environ,
        "CLASSIFIEDS_ENV": "test",
        "SECRET_KEY": "worker-test-secret-key-0123",
        "DATABASE_URL": database_url,
        "REDIS_URL": broker_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mail_server.port),
        "MEDIA_ROOT": str(tmp_path),
    }
    env.pop("ELASTICSEARCH_URL", None)
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--pool=solo", "--without-heartbeat"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


def test_a_recorded_mail_is_queued_through_redis_and_delivered_by_the_worker(
    worker, broker_url, database_url, mail_server, tmp_path
):
    from web import create_app

    mail_server.clear()
    settings = _settings(database_url, {}, tmp_path, REDIS_URL=broker_url, TASKS_EAGER=False)
    app = create_app(settings)
    with app.app_context():
        mail = record_mail(
            "buyer@example.com", "Hello from the worker", "It went via Redis.", kind="test"
        )
        db.session.commit()  # queued to Redis after the commit; the worker sends it
        started = time.monotonic()
        messages = mail_server.wait_for(1, timeout=60)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        assert messages[0]["To"] == "buyer@example.com"
        assert mail_server.body(messages[0]).strip() == "It went via Redis."
        assert time.monotonic() - started < 60
        while db.session.get(OutgoingMail, mail.id).status is not MailStatus.sent:
            assert time.monotonic() - started < 60, "the worker never recorded the mail as sent"
            time.sleep(0.1)
            db.session.expire_all()
        db.session.delete(db.session.get(OutgoingMail, mail.id))  # this test has no app fixture
        db.session.commit()
        db.engine.dispose()


def test_sending_with_redis_down_does_not_break_the_caller(database_url, tmp_path):
    """A write must succeed with the broker down; the task reports that it was not queued."""
    from web import create_app

    settings = _settings(
        database_url, {}, tmp_path, REDIS_URL="redis://127.0.0.1:9/0", TASKS_EAGER=False
    )
    app = create_app(settings)
    with app.app_context():
        started = time.monotonic()
        assert enqueue(send_mail, 1) is False
        assert time.monotonic() - started < 15
