"""The mail tasks: send one recorded mail by id, relay what is pending, prune what is old.

Every mail is a row of `outgoing_mail` before any of these run (indexer/mailer/outbox.py), so each
task only moves rows along; running one twice, late, or after a crash does no harm.
"""

from __future__ import annotations

import logging

from celery import shared_task

from indexer.mailer.delivery import deliver
from indexer.mailer.relay import prune_finished, relay_due
from models import MailStatus

log = logging.getLogger(__name__)


@shared_task(name="indexer.tasks.send_mail", acks_late=True)
def send_mail(mail_id: int) -> str | None:
    """Deliver the recorded mail `mail_id` if it is still pending; retries are the relay's job
    (a temporary failure sets the mail's next due time, with backoff)."""
    status = deliver(mail_id)
    return status and status.value


@shared_task(name="indexer.tasks.send_mails", acks_late=True)
def send_mails(mail_ids: list[int]) -> int:
    """`send_mail` for each of several mails, one after the other: a burst recorded together
    (an alert run records thousands) travels as a few messages, not one per mail. Returns how
    many were sent."""
    return sum(1 for mail_id in mail_ids if deliver(mail_id) is MailStatus.sent)


@shared_task(name="indexer.tasks.relay_mail", acks_late=True)
def relay_mail() -> int:
    """Queue every mail that is due: never queued (Redis was down), lost with a dead worker,
    or waiting for its next attempt after a temporary failure."""
    queued = relay_due()
    if queued:
        log.info("Mail relay: %d mail(s) queued", queued)
    return queued


@shared_task(name="indexer.tasks.prune_mail", acks_late=True)
def prune_mail() -> int:
    """Delete finished mail older than MAIL_RETENTION_DAYS."""
    pruned = prune_finished()
    if pruned:
        log.info("Pruned %d finished mail(s)", pruned)
    return pruned
