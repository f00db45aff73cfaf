"""Without a broker there is no beat: the embedded default runs an alert cycle after each commit
that queued listings, in-process (the task runs eagerly), so alerts work with no Redis and no
Elasticsearch. With a broker, beat runs the cycle every minute and this does nothing.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from models.alerts import QUEUED


@event.listens_for(Session, "after_commit")
def _run_alerts_after_commit(session: Session) -> None:
    if not session.info.pop(QUEUED, False) or not has_app_context():
        return
    settings = current_app.extensions.get("settings")
    if settings is None or settings.REDIS_URL is not None:
        return
    from indexer.alerts.run import run_alerts_task
    from indexer.celery_app import enqueue

    enqueue(run_alerts_task)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(QUEUED, None)
