"""Delivering one recorded mail: claim it, check that it may still go, send it, record how it went.

Why a retry never sends a mail twice: a delivery first *claims* the row (pending -> sending, in
one conditional UPDATE, committed before the mail server is contacted), so a second task for
the same mail, a relay run or a redelivered Celery message finds it claimed or finished and
does nothing. Only the claim's holder may finish it (sent, failed, suppressed) or hand it back
for a retry.

The one window that remains: the mail server has accepted the mail (250) but the process dies
(or the database is unreachable) before `sent` is committed. The row stays `sending`; when its
claim expires (CLAIM_LEASE) the relay hands it back and it is sent again. SMTP and the database
share no transaction, so a crash there means either a possible duplicate or a possible loss;
we choose the duplicate (a lost password reset or message is worse). The window is the few
milliseconds between the server's answer and our commit, and the copy carries the same
Message-ID, by which mail clients and servers recognise a duplicate.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app
from sqlalchemy import update

from indexer.notifications.preferences import wants_mail
from models import MailStatus, OutgoingMail, db, utcnow

log = logging.getLogger(__name__)

# Longer than any one delivery can take (connect, STARTTLS, login and DATA each time out after
# SMTP_TIMEOUT seconds); after it, a claim whose holder said nothing is taken to be dead.
CLAIM_LEASE = timedelta(minutes=10)
SMTP_TIMEOUT = 10
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


class PermanentFailure(Exception):
    """The mail server refused this mail for good (5xx): sending it again cannot help."""


class TemporaryFailure(Exception):
    """The mail could not be sent now (server down, 4xx, our configuration): try again later."""


def deliver(mail_id: int) -> MailStatus | None:
    """Send one recorded mail if it is still pending; returns its new status, or None when
    there was nothing to do (already sent, being sent, finished, or no such mail)."""
    token = claim(mail_id)
    if token is None:
        return None
    mail = db.session.get(OutgoingMail, mail_id)
    reason = suppression_reason(mail)
    if reason:
        return finish(mail, token, MailStatus.suppressed, reason)
    try:
        message = build_message(mail)
    except (ValueError, TypeError) as error:  # record_mail checks its input: a defect here
        log.exception("Mail %d could not be built", mail.id)
        return finish(mail, token, MailStatus.failed, f"could not build the mail: {error}")
    try:
        transmit(message)
    except PermanentFailure as error:
        log.warning("Mail %d to %s refused for good: %s", mail.id, mail.to_address, error)
        return finish(mail, token, MailStatus.failed, str(error))
    except TemporaryFailure as error:
        return retry_later(mail, token, str(error))
    return finish(mail, token, MailStatus.sent)


def claim(mail_id: int) -> str | None:
    """Take a pending mail for delivery; returns the claim's token, or None if it is not
    pending. Committed at once: from here on nobody else sends it."""
    token = uuid.uuid4().hex
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, OutgoingMail.status == MailStatus.pending)
        .values(
            status=MailStatus.sending,
            claim_token=token,
            attempts=OutgoingMail.attempts + 1,
            due_at=utcnow() + CLAIM_LEASE,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return token if claimed.rowcount == 1 else None


def suppression_reason(mail: OutgoingMail) -> str | None:
    """Why this mail must not go out (any more), or None."""
    if not current_app.extensions["settings"].MAIL_ENABLED:
        return "mail is turned off (MAIL_ENABLED=false)"
    if mail.user is not None and not mail.user.is_active:
        return "the recipient's account is disabled"
    if mail.user is not None and not wants_mail(mail.user_id, mail.kind):
        return f"the recipient does not want mail about {mail.kind}"
    return None


def build_message(mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.extensions["settings"].MAIL_FROM
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = mail.message_id
    # RFC 3834: sent by a program, so vacation responders do not answer it.
    message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    return message


def transmit(message: EmailMessage) -> None:
    """Hand `message` to the configured SMTP server, raising Permanent- or TemporaryFailure."""
    settings = current_app.extensions["settings"]
    if not settings.SMTP_HOST:
        # The embedded default has no mail server: show the mail where a developer looks.
        log.info("Mail (no SMTP_HOST set, not sent):\n%s", message.as_string())
        return
    try:
        with smtplib.SMTP(settings.SMTP_HOST, settings.SMTP_PORT, timeout=SMTP_TIMEOUT) as smtp:
            if settings.SMTP_STARTTLS:
                smtp.starttls()
            if settings.SMTP_USER:
                smtp.login(settings.SMTP_USER, settings.SMTP_PASSWORD)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise classify(error) from error


def classify(error: Exception) -> PermanentFailure | TemporaryFailure:
    """Only a refusal of *this* mail is permanent: a 5xx for its recipient or its content.

    A 5xx for our sender address or our login is a fault of the configuration that every mail
    would meet; failing them all for good would lose them, so those retry (and end as failed
    after MAIL_MAX_ATTEMPTS if nobody fixes the configuration).
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = error.recipients.values()
        reason = "; ".join(f"{code} {_text(text)}" for code, text in answers)
        permanent = all(code >= 500 for code, _ in answers)
        return (PermanentFailure if permanent else TemporaryFailure)(reason)
    if isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500:
        return PermanentFailure(f"{error.smtp_code} {_text(error.smtp_error)}")
    if isinstance(error, smtplib.SMTPResponseException):
        return TemporaryFailure(f"{error.smtp_code} {_text(error.smtp_error)}")
    return TemporaryFailure(f"{type(error).__name__}: {error}")


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the `attempts`-th try failed: 1, 2, 4, ... minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def retry_later(mail: OutgoingMail, token: str, reason: str) -> MailStatus | None:
    """Hand the mail back for the relay to try again after a backoff, or give up on it."""
    max_attempts = current_app.extensions["settings"].MAIL_MAX_ATTEMPTS
    if mail.attempts >= max_attempts:
        reason = f"gave up after {mail.attempts} attempts; the last: {reason}"
        log.error("Mail %d to %s: %s", mail.id, mail.to_address, reason)
        return finish(mail, token, MailStatus.failed, reason)
    log.warning("Mail %d to %s will be retried: %s", mail.id, mail.to_address, reason)
    return _settle(
        mail,
        token,
        status=MailStatus.pending,
        due_at=utcnow() + retry_delay(mail.attempts),
        last_error=reason[:2000],
    )


def finish(
    mail: OutgoingMail, token: str, status: MailStatus, reason: str | None = None
) -> MailStatus | None:
    """Record the end of the mail's delivery: sent, failed or suppressed."""
    if status is MailStatus.sent:
        log.info("Sent mail %d (%s) to %s", mail.id, mail.kind, mail.to_address)
    return _settle(
        mail, token, status=status, finished_at=utcnow(), last_error=reason and reason[:2000]
    )


def _settle(mail: OutgoingMail, token: str, **values) -> MailStatus | None:
    # Only the claim's holder settles the mail: a holder too slow to keep its claim (see
    # CLAIM_LEASE) must not overwrite what the next holder recorded.
    settled = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail.id, OutgoingMail.claim_token == token)
        .values(claim_token=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return values["status"] if settled.rowcount == 1 else None
