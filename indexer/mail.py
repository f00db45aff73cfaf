"""Outgoing mail, sent by a task so a slow or absent mail server never slows a request."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from celery import shared_task
from flask import current_app

log = logging.getLogger(__name__)


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    settings = current_app.extensions["settings"]
    message = EmailMessage()
    message["From"] = settings.MAIL_FROM
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_mail(self, to: str, subject: str, body: str) -> None:
    """Deliver one plain-text mail through the configured SMTP server."""
    settings = current_app.extensions["settings"]
    if not settings.MAIL_ENABLED:
        log.info("Mail disabled; not sending %r to %s", subject, to)
        return
    message = build_message(to, subject, body)
    if not settings.SMTP_HOST:
        # The embedded default has no mail server: show the mail where a developer looks.
        log.info("Mail (no SMTP_HOST set, not sent):\n%s", message.as_string())
        return
    with smtplib.SMTP(settings.SMTP_HOST, settings.SMTP_PORT, timeout=10) as smtp:
        if settings.SMTP_STARTTLS:
            smtp.starttls()
        if settings.SMTP_USER:
            smtp.login(settings.SMTP_USER, settings.SMTP_PASSWORD)
        smtp.send_message(message)
    log.info("Sent mail %r to %s", subject, to)
