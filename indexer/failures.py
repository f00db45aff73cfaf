"""The failures of tasks run in this process, kept so that /healthz can report them.

Tasks run in-process (no broker, or TASKS_EAGER) must not fail the request that sent them
(`task_eager_propagates` is off), so a failure would otherwise show only in the log (Celery logs
it there with its traceback). A worker's failures stay in the worker's log: this record belongs
to the process that ran the task.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from models import utcnow

# A failure older than this no longer marks the site degraded (it is still counted).
RECENT = timedelta(hours=1)
KEPT = 20


@dataclass(frozen=True)
class TaskFailure:
    task: str
    error: str
    at: datetime

    def describe(self) -> str:
        return f"{self.task} at {self.at:%Y-%m-%d %H:%M:%S} UTC: {self.error}"


class TaskFailures:
    """The latest failures (at most KEPT) and how many there were since the process started."""

    def __init__(self) -> None:
        self._latest: deque[TaskFailure] = deque(maxlen=KEPT)
        self._lock = threading.Lock()  # requests run tasks on several threads at once
        self.total = 0

    def record(self, task: str, error: BaseException) -> None:
        failure = TaskFailure(task, f"{type(error).__name__}: {error}"[:300], utcnow())
        with self._lock:
            self._latest.append(failure)
            self.total += 1

    def recent(self, now: datetime | None = None) -> list[TaskFailure]:
        """The kept failures of the last RECENT, oldest first."""
        since = (now or utcnow()) - RECENT
        with self._lock:
            return [failure for failure in self._latest if failure.at >= since]
