"""No mail is lost: every mail is a row first, sent by a task, re-sent by the relay; a retry
never sends twice; refusals, retries, disabled accounts, retention.

Most tests here run with Redis down (BROKER_DOWN): nothing is queued after a commit, so each
test moves its mails along itself, the way the task and the relay would.
"""

from __future__ import annotations

import os
import socket
import time
from datetime import timedelta

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from kombu import Queue
from sqlalchemy import func, select, update

from indexer.celery_app import BEAT_SCHEDULE
from indexer.lifecycle import expire_listings
from indexer.mail import prune_mail, send_mail
from indexer.mailer import record_mail
from indexer.mailer.delivery import CLAIM_LEASE, claim, retry_delay
from indexer.mailer.relay import relay_due
from models import Message, OutgoingMail, db, utcnow
from tests.conftest import _settings
from tests.helpers import submit

BROKER_DOWN = {"REDIS_URL": "redis://127.0.0.1:9/0", "TASKS_EAGER": False}


@pytest.fixture
def settings_overrides() -> dict:
    return BROKER_DOWN


def recorded(to: str = "carol@example.com", **fields) -> OutgoingMail:
    """A mail recorded and committed, as a feature records one."""
    fields.setdefault("kind", "test")
    mail = record_mail(
        to, fields.pop("subject", "Hello"), fields.pop("text", "The body."), **fields
    )
    db.session.commit()
    return mail


def deliver(mail: OutgoingMail) -> str | None:
    """Run the send task for `mail` here, as a worker would."""
    return send_mail.apply(args=[mail.id]).get()


def reloaded(mail: OutgoingMail) -> OutgoingMail:
    db.session.expire_all()
    return db.session.get(OutgoingMail, mail.id)


def count_mail() -> int:
    return db.session.scalar(select(func.count(OutgoingMail.id)))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Redis down: the write stands, the mail waits, the relay sends it once the broker is back


def test_with_redis_down_a_message_is_saved_and_its_mail_sent_by_the_relay_later(
    client, login_as, make_user, make_listing, mailbox, database_url, service_urls, tmp_path
):
    seller = make_user(username="alice", email="alice@example.com")
    listing = make_listing(owner=seller, title="Road bike")
    login_as(make_user(username="bob"))
    started = time.monotonic()
    response = submit(
        client, f"/listings/{listing.id}/contact", {"body": "Still there?"}, form_url="/messages"
    )
    assert response.status_code == 302, "the write succeeds without Redis"
    assert time.monotonic() - started < 15
    assert db.session.scalar(select(func.count(Message.id))) == 1
    (mail,) = db.session.scalars(select(OutgoingMail)).all()
    assert (mail.status.value, mail.kind, mail.to_address) == ("pending", "message", seller.email)
    time.sleep(0.3)
    assert mailbox.messages == []

    # Redis is back: a working broker, a worker, and the relay once the mail is due.
    settings = _settings(
        database_url,
        service_urls,
        tmp_path / "media",
        TASKS_EAGER=False,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=mailbox.port,
    )
    with _broker_and_worker(settings) as relay_app, relay_app.app_context():
        db.session.execute(update(OutgoingMail).values(due_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert relay_due() == 1
        (delivered,) = mailbox.wait_for(1, timeout=30)
        assert delivered["Subject"] == "New message about Road bike"
        _wait_for_status(mail, "sent")
        assert relay_due(now=utcnow() + timedelta(hours=2)) == 0, "nothing left to relay"
    time.sleep(0.3)
    assert len(mailbox.messages) == 1
    assert reloaded(mail).attempts == 1


class _broker_and_worker:  # noqa: N801 (used as a context manager, like a function)
    """An app on the real Redis with a Celery worker in a thread, on a queue of this test run's
    own (other runs share the Redis database and must not take our messages)."""

    def __init__(self, settings) -> None:
        from web import create_app

        self.app = create_app(settings)
        self.queue = f"test-mail-{os.getpid()}"
        self.redis_url = str(settings.REDIS_URL)
        self.worker = None

    def __enter__(self):
        celery = self.app.extensions["celery"]
        celery.conf.task_default_queue = self.queue
        celery.conf.task_queues = (Queue(self.queue),)  # the worker takes only this queue
        self.worker = start_worker(celery, pool="solo", perform_ping_check=False)
        self.worker.__enter__()
        return self.app

    def __exit__(self, *exc_info) -> None:
        self.worker.__exit__(*exc_info)
        with self.app.app_context():
            db.engine.dispose()  # no connection of ours may hold up the tables' cleanup
        client = redis.Redis.from_url(self.redis_url)
        client.delete(self.queue)
        for key in client.scan_iter("_kombu.binding.*"):
            for member in client.smembers(key):
                if self.queue.encode() in member:
                    client.srem(key, member)
        client.close()


def _wait_for_status(mail: OutgoingMail, status: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while reloaded(mail).status.value != status:
        assert time.monotonic() < deadline, f"mail {mail.id} is {reloaded(mail).status}"
        time.sleep(0.05)


def test_with_redis_down_a_password_reset_mail_is_kept(client, make_user, mailbox):
    make_user(username="bob", email="bob@example.com")
    submit(client, "/reset-password", {"email": "bob@example.com"})
    (mail,) = db.session.scalars(select(OutgoingMail)).all()
    assert (mail.kind, mail.status.value) == ("password_reset", "pending")
    assert deliver(mail) == "sent"
    assert "/reset-password/" in mailbox.body(mailbox.wait_for(1)[0])


def test_the_relay_leaves_a_fresh_mail_to_the_task_queued_with_it(app):
    mail = recorded()
    assert relay_due() == 0, "within the grace period the mail's own task is expected to run"
    assert relay_due(now=utcnow() + timedelta(minutes=3)) == 0, "Redis is down: queued none"
    assert reloaded(mail).status.value == "pending"


def test_mail_relay_and_pruning_are_scheduled():
    tasks = {entry["task"]: entry["schedule"] for entry in BEAT_SCHEDULE.values()}
    assert tasks["indexer.tasks.relay_mail"] <= 60
    assert tasks["indexer.tasks.prune_mail"] <= 24 * 3600


# Never twice


def test_a_send_task_run_twice_sends_once(app, mailbox):
    mail = recorded()
    assert deliver(mail) == "sent"
    assert deliver(mail) is None, "the second run finds the mail sent and does nothing"
    assert len(mailbox.wait_for(1)) == 1
    time.sleep(0.2)
    assert len(mailbox.messages) == 1
    mail = reloaded(mail)
    assert (mail.status.value, mail.attempts, mail.claim_token) == ("sent", 1, None)
    assert mail.finished_at is not None


def test_only_one_delivery_can_claim_a_mail(app, mailbox):
    mail = recorded()
    assert claim(mail.id) is not None
    assert claim(mail.id) is None
    assert deliver(mail) is None, "a task finds the mail being sent by someone else"
    assert mailbox.messages == []


def test_a_claim_whose_holder_died_is_sent_again_after_its_lease(app, mailbox):
    mail = recorded()
    claim(mail.id)  # a worker took it and died before it could say how it went
    relay_due(now=utcnow() + CLAIM_LEASE - timedelta(minutes=1))
    assert reloaded(mail).status.value == "sending", "the lease still holds"
    relay_due(now=utcnow() + CLAIM_LEASE + timedelta(minutes=1))
    assert reloaded(mail).status.value == "pending"
    assert "may have been sent" in reloaded(mail).last_error
    assert deliver(mail) == "sent"
    assert len(mailbox.wait_for(1)) == 1
    assert reloaded(mail).attempts == 2


# Refusals and retries


def test_a_permanent_refusal_is_marked_failed_with_its_reason(app, mailbox):
    mailbox.refuse("gone@example.com", "550 5.1.1 <gone@example.com>: User unknown")
    mail = recorded(to="gone@example.com")
    assert deliver(mail) == "failed"
    mail = reloaded(mail)
    assert mail.status.value == "failed" and mail.finished_at is not None
    assert "550" in mail.last_error and "User unknown" in mail.last_error
    relay_due(now=utcnow() + timedelta(days=1))
    assert reloaded(mail).status.value == "failed", "a failed mail is never tried again"
    assert mailbox.messages == []


def test_a_temporary_refusal_is_retried_with_backoff(app, mailbox):
    mailbox.refuse("busy@example.com", "451 4.3.0 Try again later")
    mail = recorded(to="busy@example.com")
    before = utcnow()
    assert deliver(mail) == "pending"
    mail = reloaded(mail)
    assert mail.attempts == 1 and "451" in mail.last_error
    assert before + timedelta(seconds=55) <= mail.due_at <= utcnow() + timedelta(seconds=65)
    relay_due()
    assert reloaded(mail).attempts == 1, "not due yet: not tried again"
    mailbox.accept("busy@example.com")
    assert deliver(mail) == "sent"
    assert mailbox.wait_for(1)[0]["To"] == "busy@example.com"
    assert reloaded(mail).attempts == 2


def test_the_backoff_doubles_up_to_an_hour():
    delays = [retry_delay(n) for n in range(1, 10)]
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(delays) == timedelta(hours=1)


@pytest.mark.parametrize(
    "settings_overrides",
    [{**BROKER_DOWN, "SMTP_PORT": closed_port(), "MAIL_MAX_ATTEMPTS": 2}],
)
def test_a_mail_server_that_stays_down_makes_the_mail_fail_after_the_last_attempt(app):
    mail = recorded()
    assert deliver(mail) == "pending"
    assert "ConnectionRefusedError" in reloaded(mail).last_error
    assert deliver(mail) == "failed"
    assert reloaded(mail).last_error.startswith("gave up after 2 attempts")


# Who gets no mail


def test_no_mail_goes_to_a_disabled_account(app, make_user, mailbox):
    user = make_user(email="dora@example.com")
    mail = recorded(to=user.email, user=user)
    user.active = False
    db.session.commit()
    assert deliver(mail) == "suppressed"
    assert "disabled" in reloaded(mail).last_error
    assert mailbox.messages == []


@pytest.mark.parametrize("settings_overrides", [{**BROKER_DOWN, "MAIL_ENABLED": False}])
def test_with_mail_turned_off_nothing_is_sent(app, mailbox):
    mail = recorded()
    assert deliver(mail) == "suppressed"
    assert mailbox.messages == []


# Recorded with the change, sent after it


@pytest.mark.parametrize("settings_overrides", [{"REDIS_URL": None}])
def test_without_a_broker_the_mail_goes_out_in_process_right_after_the_commit(app, mailbox):
    mail = record_mail("carol@example.com", "Hello", "Sent in-process.", kind="test")
    db.session.flush()
    assert mailbox.messages == [], "nothing goes out before the commit"
    db.session.commit()
    assert len(mailbox.messages) == 1, "sent before commit() returned"
    assert reloaded(mail).status.value == "sent"


@pytest.mark.parametrize("settings_overrides", [{}])
def test_a_mail_rolled_back_with_its_change_is_never_sent(app, mailbox):
    record_mail("carol@example.com", "Hello", "Never.", kind="test")
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert count_mail() == 0
    time.sleep(0.2)
    assert mailbox.messages == []


@pytest.mark.parametrize("settings_overrides", [{}])
def test_html_alternative_and_extra_headers(app, mailbox):
    mail = recorded(
        text="Plain words.",
        html="<html><body><p>Rich <b>words</b>.</p></body></html>",
        headers={
            "List-Unsubscribe": "<https://classifieds.example/unsubscribe/x>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    (message,) = mailbox.wait_for(1)
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content().strip() == "Plain words."
    assert "<b>words</b>" in message.get_body(("html",)).get_content()
    assert message["List-Unsubscribe"] == "<https://classifieds.example/unsubscribe/x>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] == reloaded(mail).message_id
    assert message["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize(
    ("to", "headers"),
    [
        ("carol@example.com\r\nBcc: eve@example.com", {}),
        ("carol@example.com", {"Subject": "another subject"}),
        ("carol@example.com", {"Bcc": "eve@example.com"}),
        ("carol@example.com", {"X-Note": "one\r\nBcc: eve@example.com"}),
        ("carol@example.com", {"X Note": "a space in the name"}),
    ],
)
def test_unsafe_addresses_and_headers_are_refused(app, to, headers):
    with pytest.raises(ValueError):
        record_mail(to, "Hello", "Body", kind="test", headers=headers)


@pytest.mark.parametrize("settings_overrides", [{}])
def test_every_subject_is_made_header_safe(app, mailbox):
    mail = recorded(subject="Hi\r\nBcc: eve@example.com\x07")
    assert reloaded(mail).subject == "Hi Bcc: eve@example.com"
    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Hi Bcc: eve@example.com"
    assert message["Bcc"] is None


@pytest.mark.parametrize("settings_overrides", [{}])
def test_an_expiry_warning_for_a_title_with_line_breaks_is_delivered(app, make_listing, mailbox):
    make_listing(title="Bike\r\nfor sale\x07", expires_at=utcnow() + timedelta(days=1))
    assert expire_listings.apply().get()["warned"] == 1
    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Your listing expires soon: Bike for sale"


# Retention


def test_finished_mail_is_pruned_after_the_retention_period(app):
    old, now = utcnow() - timedelta(days=31), utcnow()
    kept_recent = recorded(subject="sent yesterday")
    kept_pending = recorded(subject="still pending")
    gone_sent, gone_failed = recorded(subject="old sent"), recorded(subject="old failed")
    for mail, status, finished in [
        (kept_recent, "sent", now - timedelta(days=1)),
        (gone_sent, "sent", old),
        (gone_failed, "failed", old),
    ]:
        mail.status, mail.finished_at = status, finished
    kept_pending.created_at = old
    db.session.commit()
    assert prune_mail.apply().get() == 2
    subjects = set(db.session.scalars(select(OutgoingMail.subject)))
    assert subjects == {"sent yesterday", "still pending"}
