"""The record of in-process task failures behind /healthz."""

from __future__ import annotations

from indexer.failures import KEPT, RECENT, TaskFailures
from models import utcnow


def test_failures_are_recent_for_an_hour_and_counted_for_good():
    failures = TaskFailures()
    failures.record("indexer.mail.send_mail", ConnectionRefusedError(111, "Connection refused"))
    (failure,) = failures.recent()
    assert failure.task == "indexer.mail.send_mail"
    assert failure.error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert failures.recent(now=utcnow() + RECENT * 2) == []
    assert failures.total == 1


def test_only_the_latest_are_kept():
    failures = TaskFailures()
    for n in range(KEPT + 5):
        failures.record(f"task{n}", ValueError(n))
    assert len(failures.recent()) == KEPT and failures.recent()[-1].task == f"task{KEPT + 4}"
    assert failures.total == KEPT + 5
