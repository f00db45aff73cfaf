"""Recording a mail: a row in the caller's transaction, queued for delivery once it commits.

The caller adds its change and its mails to the same session and commits once: both are saved
or neither is, so a mail never announces a change that was rolled back and a change is never
left without its mail. After the commit each new mail's id is handed to Celery; if that fails
(Redis is down) the mail stays pending and the relay (indexer/mailer/relay.py) sends it later.
Without a broker (the embedded default) the task runs in-process right after the commit.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from datetime import timedelta
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from indexer.mailer.subjects import safe_subject
from models import OutgoingMail, User, db, utcnow

log = logging.getLogger(__name__)

# The task queued at commit normally sends a mail within seconds; the relay waits this long
# before it queues the mail again, so the two do not routinely queue every mail twice.
RELAY_GRACE = timedelta(minutes=2)
# Mails per send task: a burst (an alert run records thousands) is a few messages, and one
# slow mail server answer delays at most this many others.
QUEUE_CHUNK = 50

# Headers the mail is built with (indexer/mailer/delivery.py); extra headers may not replace them.
RESERVED_HEADERS = {
    "from", "to", "cc", "bcc", "subject", "date", "message-id", "sender", "reply-to",
    "content-type", "content-transfer-encoding", "mime-version", "auto-submitted",
}  # fmt: skip
_FIELD_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322: printable ASCII except the colon
_PENDING_IDS = "mailer.pending_ids"


def record_mail(
    to: str,
    subject: str,
    text: str,
    *,
    kind: str,
    user: User | None = None,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> OutgoingMail:
    """Add one mail to the current transaction; it is queued when the transaction commits.

    `kind` names what the mail is about: a notification kind (see indexer/notifications/kinds.py),
    whose mails obey the recipient's settings, or a transactional kind such as
    "password_reset", which does not. `user`, when given, is the recipient's account: no mail
    goes to a disabled one. `subject` is made header-safe here (safe_subject), `html` becomes
    an HTML alternative to `text`, and `headers` are extra headers (List-Unsubscribe, ...).
    Raises ValueError for an address or a header that could not be sent safely.
    """
    _require_single_line("recipient address", to)
    mail = OutgoingMail(
        kind=kind,
        user=user,
        to_address=to,
        subject=safe_subject(subject),
        text_body=text,
        html_body=html,
        headers=_checked_headers(headers or {}),
        message_id=_new_message_id(),
        due_at=utcnow() + RELAY_GRACE,
    )
    db.session.add(mail)
    return mail


def _require_single_line(what: str, value: str) -> None:
    if not value or any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValueError(f"The {what} must be one line without control characters: {value!r}")


def _checked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    for name, value in headers.items():
        if not _FIELD_NAME.fullmatch(name) or name.lower() in RESERVED_HEADERS:
            raise ValueError(f"{name!r} cannot be an extra mail header")
        _require_single_line(f"{name} header", value)
    return dict(headers)


def _new_message_id() -> str:
    address = parseaddr(current_app.extensions["settings"].MAIL_FROM)[1]
    domain = address.rpartition("@")[2] or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


@event.listens_for(Session, "after_flush")
def _collect_new_mails(session: Session, flush_context) -> None:
    # Ids exist from the flush on; the objects themselves may be expired by the time the
    # transaction commits, and no SQL may run in after_commit. So keep the ids now.
    ids = [obj.id for obj in session.new if isinstance(obj, OutgoingMail)]
    if ids:
        session.info.setdefault(_PENDING_IDS, []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _forget_new_mails(session: Session) -> None:
    session.info.pop(_PENDING_IDS, None)


@event.listens_for(Session, "after_commit")
def _queue_new_mails(session: Session) -> None:
    ids = session.info.pop(_PENDING_IDS, None)
    if ids:
        queue(ids)


def queue(mail_ids: list[int]) -> int:
    """Hand recorded mails to the send task, QUEUE_CHUNK mails a message; returns how many
    were queued.

    Stops at the first failure: the broker is down, the rest would each wait for the same
    timeout, and every one of them is safe in the table until the relay runs.
    """
    from indexer.celery_app import enqueue
    from indexer.mail import send_mails

    for done in range(0, len(mail_ids), QUEUE_CHUNK):
        if not enqueue(send_mails, mail_ids[done : done + QUEUE_CHUNK]):
            log.warning("%d mail(s) wait for the relay", len(mail_ids) - done)
            return done
    return len(mail_ids)
