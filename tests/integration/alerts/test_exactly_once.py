"""No alert lost, none given twice: two runs at once, a repeated task, a worker killed in the
middle of a run (a real process, SIGKILL), a crash while mail is being recorded, and the one
window the mail outbox leaves (the mail server took the mail, the worker died before saying so).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest

from indexer.alerts.record import record_matches
from indexer.alerts.run import run_alerts, run_alerts_task
from indexer.mailer import delivery
from indexer.mailer.relay import relay_due
from models import AlertMailItem, AlertQueueEntry, MailStatus, db, utcnow
from settings import PROJECT_ROOT
from tests.integration.alerts.conftest import alert_mails, alerted

# Runs one alert cycle in a process of its own and kills that process (SIGKILL: no cleanup,
# no rollback from Python, the database sees the connection drop) at the named point.
KILLER = """
import os, signal, sys
import indexer.alerts.candidates as candidates
import indexer.alerts.mailing as mailing
from indexer.alerts.run import run_alerts
from web import create_app

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def after(function):
    def wrapped(*args, **kwargs):
        function(*args, **kwargs)
        die()
    return wrapped

point = sys.argv[1]
if point == "matches-recorded":  # notifications and mail items written, not committed
    candidates.forget = after(candidates.forget)
elif point == "before-mail":  # matches committed, the mail step never starts
    mailing.send_due = die
elif point == "mail-recorded":  # alert mails written, not committed
    mailing._mail_batch = after(mailing._mail_batch)
with create_app().app_context():
    run_alerts()
"""


def _environment(app) -> dict[str, str]:
    settings = app.extensions["settings"]
    names = (
        "CLASSIFIEDS_ENV", "SECRET_KEY", "DATABASE_URL", "ELASTICSEARCH_URL",
        "ELASTICSEARCH_INDEX", "REDIS_URL", "TASKS_EAGER", "SMTP_HOST", "SMTP_PORT",
        "MEDIA_ROOT",
    )  # fmt: skip
    values = {name: getattr(settings, name) for name in names}
    return {**os.environ, **{k: str(v) for k, v in values.items() if v is not None}}


def _killed_at(app, point: str) -> None:
    db.session.commit()
    finished = subprocess.run(
        [sys.executable, "-c", KILLER, point],
        cwd=PROJECT_ROOT,
        env=_environment(app),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == -9, finished.stderr[-3000:]


@pytest.mark.parametrize("point", ["matches-recorded", "before-mail", "mail-recorded"])
def test_a_worker_killed_mid_run_loses_nothing_and_doubles_nothing(
    app, point, save_search, make_listing, run, mailbox
):
    search = save_search("q=road bike")
    listing = make_listing()

    _killed_at(app, point)
    after_crash = run()
    run()

    assert alerted(search) == [listing.id]
    mails = alert_mails(search.user)
    assert len(mails) == 1 and mails[0].status is MailStatus.sent
    assert len(mailbox.wait_for(1)) == 1
    if point == "matches-recorded":
        assert after_crash.notifications == 1  # nothing of the dead run was kept


def test_two_runs_at_once_alert_each_match_once(app, save_search, make_listing, mailbox):
    searches = [save_search("q=road bike") for _ in range(5)]
    listings = [make_listing(title=f"Road bike number {n}") for n in range(20)]
    db.session.commit()
    start = threading.Barrier(2)
    reports = []

    def one_run() -> None:
        with app.app_context():
            start.wait()
            reports.append(run_alerts())

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    db.session.expire_all()
    assert sum(report.notifications for report in reports) == 100
    for search in searches:
        assert sorted(alerted(search)) == sorted(listing.id for listing in listings)
        assert len(alert_mails(search.user)) == 1
    assert len(mailbox.wait_for(5)) == 5


def test_a_repeated_task_changes_nothing(save_search, make_listing, mailbox):
    search = save_search("q=road bike")
    listing = make_listing()

    first = run_alerts_task.apply().get()
    second = run_alerts_task.apply().get()

    db.session.expire_all()
    assert (first["notifications"], second["notifications"]) == (1, 0)
    assert alerted(search) == [listing.id]
    assert len(alert_mails(search.user)) == 1


def test_recording_the_same_match_again_records_nothing(save_search, make_listing):
    search = save_search("q=road bike", frequency="daily")
    listing = make_listing()
    db.session.query(AlertQueueEntry).delete()
    db.session.commit()

    first = record_matches({search.id: [listing.id]}, utcnow())
    db.session.commit()
    second = record_matches({search.id: [listing.id]}, utcnow())
    db.session.commit()

    assert (first.notifications, first.mail_items) == (1, 1)
    assert (second.notifications, second.mail_items) == (0, 0)
    assert db.session.query(AlertMailItem).count() == 1


def test_a_crash_between_sending_and_recording_sends_the_same_mail_again(
    app, save_search, make_listing, run, mailbox, monkeypatch
):
    """The mail outbox's one window (docs/ARCHITECTURE.md, "Mail"): the server took the mail
    and the worker died before recording it. The relay sends it again after the claim's lease,
    as the same mail (one row, one Message-ID), so mail clients can recognise the copy; the
    alert itself is recorded once."""
    search = save_search("q=road bike")
    make_listing()
    real_finish = delivery.finish

    def dies_after_sending(mail, token, status, reason=None):
        if status is MailStatus.sent:
            raise RuntimeError("the worker died right after the mail server's 250")
        return real_finish(mail, token, status, reason)

    monkeypatch.setattr(delivery, "finish", dies_after_sending)
    run()  # the send task runs in-process after the commit, and fails after sending
    monkeypatch.setattr(delivery, "finish", real_finish)
    assert len(mailbox.wait_for(1)) == 1
    (mail,) = alert_mails(search.user)
    assert mail.status is MailStatus.sending

    relay_due(now=utcnow() + delivery.CLAIM_LEASE + timedelta(minutes=1))

    db.session.expire_all()
    (mail,) = alert_mails(search.user)
    assert mail.status is MailStatus.sent
    first, second = mailbox.wait_for(2)
    assert first["Message-ID"] == second["Message-ID"] == mail.message_id
    assert run().notifications == 0
