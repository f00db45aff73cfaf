"""The Celery application, bound to the Flask app so every task runs in an app context.

Without `REDIS_URL` there is no broker and no worker: tasks run in-process, inside the call that
sends them (`task_always_eager`), which is the embedded default. With it, a worker and beat
(`manage.py worker`, `manage.py beat`) do the work.
"""

from __future__ import annotations

import logging

from celery import Celery, Task
from flask import Flask
from kombu import Queue

from indexer.failures import TaskFailures
from settings import Settings

log = logging.getLogger(__name__)

# The index pipeline's tasks travel on a queue of their own. A worker started without `-Q` takes
# both queues, which is enough for development and tests; production runs one worker on each
# (`manage.py worker -Q index`, `manage.py worker -Q celery`), so a burst of mail or an alert run
# never holds a change out of search (docs/SCALING.md, "Several Celery worker machines").
DEFAULT_QUEUE = "celery"
INDEX_QUEUE = "index"
INDEX_TASKS = ("indexer.tasks.sync_listings", "indexer.tasks.relay_outbox")

# Periodic tasks; each feature adds its entry here, by task name.
BEAT_SCHEDULE: dict[str, dict] = {
    # Listings past their date expire within the hour; expiry warnings go out the same way.
    "expire-listings": {"task": "indexer.tasks.expire_listings", "schedule": 3600.0},
    # Mail the queue lost (Redis down, a dead worker) or that waits for a retry goes out again.
    "relay-mail": {"task": "indexer.tasks.relay_mail", "schedule": 30.0},
    "prune-mail": {"task": "indexer.tasks.prune_mail", "schedule": 24 * 3600.0},
    # The outbox relay: whatever the after-commit tasks missed reaches the index within seconds.
    # A relay message older than a few periods is dropped, not run late (see indexer.pipeline).
    "relay-outbox": {
        "task": "indexer.tasks.relay_outbox",
        "schedule": 2.0,
        "options": {"expires": 10.0},
    },
    "prune-outbox": {"task": "indexer.tasks.prune_outbox", "schedule": 3600.0},
    # Saved-search alerts: new matches, instant mail and digests. A run that cannot start
    # within the minute is dropped, not run late: the next one does the same work.
    "run-alerts": {
        "task": "indexer.tasks.run_alerts",
        "schedule": 60.0,
        "options": {"expires": 55.0},
    },
}


def init_celery(app: Flask, settings: Settings) -> Celery:
    failures = app.extensions["task_failures"] = TaskFailures()
    import indexer.dispatch  # noqa: F401  (sends changed listings to the indexer after commit)

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

        def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
            # Celery logs the failure with its traceback; keep it for /healthz too (an
            # in-process task fails without failing the request that sent it).
            failures.record(self.name, exc)

    celery = Celery(app.import_name, task_cls=FlaskTask)
    broker = str(settings.REDIS_URL) if settings.REDIS_URL else "memory://"
    celery.conf.update(
        broker_url=broker,
        result_backend=None,
        task_ignore_result=True,
        task_always_eager=settings.tasks_in_process,
        task_eager_propagates=False,
        # A task is acknowledged after it ran, so a worker that dies mid-task leaves it queued;
        # every task is therefore idempotent.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # Fail fast when Redis is down: the caller falls back (see `enqueue`), the write stands.
        broker_transport_options={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        broker_connection_timeout=2,
        task_default_queue=DEFAULT_QUEUE,
        task_queues=(Queue(DEFAULT_QUEUE), Queue(INDEX_QUEUE)),
        task_routes={name: {"queue": INDEX_QUEUE} for name in INDEX_TASKS},
        beat_schedule=BEAT_SCHEDULE,
        timezone="UTC",
        imports=("indexer.tasks",),
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def enqueue(task, *args, **kwargs) -> bool:
    """Send `task` without letting a broker outage break the caller.

    Returns False when the message could not be sent; callers whose work must not be lost keep
    it elsewhere (the outbox, for listings) and a periodic task picks it up later.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
        return True
    except Exception:
        log.warning(
            "Could not queue %s; it will be retried by its periodic relay", task.name, exc_info=True
        )
        return False
