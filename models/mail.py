"""Every mail the site sends, recorded in the transaction of the change that causes it.

A row is the mail itself (recipient, subject, bodies, extra headers) and its delivery state:

    pending --claim--> sending --250--> sent
                          |--> failed      (refused for good, or out of attempts; last_error)
                          |--> suppressed  (disabled account, unsubscribed, mail turned off)
                          '--> pending     (a temporary failure: due_at moves on with backoff)

`due_at` is always "when the relay should look at this row again". indexer/mailer/ does the work.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.user import User


class MailStatus(enum.StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    suppressed = "suppressed"


FINISHED = (MailStatus.sent, MailStatus.failed, MailStatus.suppressed)


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"
    __table_args__ = (
        # The relay's question: which unfinished mails are due?
        Index("ix_outgoing_mail_status_due", "status", "due_at"),
        # Pruning: finished mails older than the retention period.
        Index("ix_outgoing_mail_finished_at", "finished_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    # What the mail is about: a notification kind ("message", ...) or a transactional one
    # ("password_reset"). Notification kinds obey the recipient's settings; others do not.
    kind: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    # Extra headers, e.g. List-Unsubscribe; checked to be header-safe when recorded.
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    # Fixed when recorded: a mail sent twice (indexer/mailer/delivery.py) keeps one Message-ID.
    message_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[MailStatus] = mapped_column(
        Enum(MailStatus, name="mail_status", native_enum=False, create_constraint=True, length=10),
        default=MailStatus.pending,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    due_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The claim of the delivery under way: only its holder may finish the mail.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()
