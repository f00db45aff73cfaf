"""The periodic side of mail: re-send what is still pending, prune what is long finished.

The relay is what makes a Redis outage or a dead worker only a delay: every mail is a row
first, and whatever the queue lost is still `pending` (or `sending` with an expired claim)
here. Run by Celery beat (indexer/mail.py) and by `manage.py mail relay`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from indexer.mailer.outbox import RELAY_GRACE, queue
from models import MailStatus, OutgoingMail, db, utcnow
from models.mail import FINISHED

BATCH = 1000


def relay_due(now: datetime | None = None, limit: int = BATCH) -> int:
    """Queue every mail that is due (pending past its due time); returns how many were queued."""
    now = now or utcnow()
    _release_expired_claims(now)
    ids = list(
        db.session.scalars(
            select(OutgoingMail.id)
            .where(OutgoingMail.status == MailStatus.pending, OutgoingMail.due_at <= now)
            .order_by(OutgoingMail.due_at, OutgoingMail.id)
            .limit(limit)
            # Two relays at once take different mails instead of queueing the same ones.
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        # Give the tasks queued now time to run before the next relay queues them again.
        db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(ids))
            .values(due_at=now + RELAY_GRACE)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return queue(ids)


def _release_expired_claims(now: datetime) -> None:
    """A claim past its lease belongs to a delivery that died: hand the mail back (it may have
    been sent just before the death; see indexer/mailer/delivery.py), or give up on it when
    deliveries keep dying on it."""
    max_attempts = current_app.extensions["settings"].MAIL_MAX_ATTEMPTS
    expired = (OutgoingMail.status == MailStatus.sending) & (OutgoingMail.due_at <= now)
    db.session.execute(
        update(OutgoingMail)
        .where(expired, OutgoingMail.attempts >= max_attempts)
        .values(
            status=MailStatus.failed,
            claim_token=None,
            finished_at=now,
            last_error="gave up: every delivery stopped before it could record its result",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(OutgoingMail)
        .where(expired)
        .values(
            status=MailStatus.pending,
            claim_token=None,
            last_error="the delivery stopped before it recorded its result (it may have been sent)",
        )
        .execution_options(synchronize_session=False)
    )


def prune_finished(now: datetime | None = None, retention_days: int | None = None) -> int:
    """Delete mail finished (sent, failed, suppressed) more than the retention period ago."""
    now = now or utcnow()
    days = retention_days or current_app.extensions["settings"].MAIL_RETENTION_DAYS
    result = db.session.execute(
        delete(OutgoingMail)
        .where(
            OutgoingMail.status.in_(FINISHED),
            OutgoingMail.finished_at < now - timedelta(days=days),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount
