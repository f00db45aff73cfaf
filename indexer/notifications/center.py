"""Making notifications and keeping track of what has been read.

`notify` adds rows to the current session and commits nothing: the caller commits them with
the change they announce (a message, an expiry warning, a moderator's decision), so a
notification and its mail exist exactly when the change does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select, update

from indexer.notifications import kinds
from indexer.notifications.mail import notification_mail
from indexer.notifications.preferences import delivery_for
from models import (
    Conversation,
    Delivery,
    Listing,
    Notification,
    SavedSearch,
    User,
    db,
    utcnow,
)


@dataclass
class MailContent:
    """The mail that goes with a notification, for people who chose mail for its kind."""

    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    ref: int | None = None  # passed to the kind's unsubscribe handler (e.g. a saved search id)


def notify(
    user: User,
    kind: str,
    *,
    listing: Listing | None = None,
    saved_search: SavedSearch | None = None,
    conversation: Conversation | None = None,
    payload: dict | None = None,
    mail: MailContent | None = None,
) -> Notification | None:
    """Tell `user` about something of `kind`, the way they want to hear about that kind.

    Off: nothing. In the app: a notification (the bell and the notifications page). By mail:
    the notification and, when `mail` is given, a recorded mail (notification_mail). Returns
    the notification, or None if there is none (a disabled account, or the kind is off).
    A new notification about a conversation that already has an unread one updates it
    instead (its payload gets `count`), so a lively thread is one line, not twenty.
    """
    kinds.get(kind)
    if not user.is_active:
        return None
    delivery = delivery_for(user.id, kind)
    if delivery is Delivery.off:
        return None
    note = _unread_about(user, kind, conversation) if conversation is not None else None
    payload = dict(payload or {})
    if note is None:
        note = Notification(
            user_id=user.id,
            kind=kind,
            listing=listing,
            saved_search=saved_search,
            conversation=conversation,
            payload={**payload, "count": 1},
        )
        db.session.add(note)
    else:
        note.payload = {**payload, "count": note.payload.get("count", 1) + 1}
        note.created_at = utcnow()
    if delivery is Delivery.mail and mail is not None:
        notification_mail(
            user, kind, mail.subject, mail.text, html=mail.html, headers=mail.headers, ref=mail.ref
        )
    return note


def _unread_about(user: User, kind: str, conversation: Conversation) -> Notification | None:
    return db.session.scalar(
        select(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.kind == kind,
            Notification.conversation_id == conversation.id,
            Notification.read_at.is_(None),
        )
        .order_by(Notification.id.desc())
        .limit(1)
    )


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )


def listing_statement(user_id: int) -> Select:
    """The user's notifications, newest first."""
    return (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_read(user_id: int, *conditions) -> int:
    """Mark the user's unread notifications matching `conditions` read (in the current
    transaction); returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None), *conditions)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def mark_one_read(user_id: int, notification_id: int) -> int:
    return mark_read(user_id, Notification.id == notification_id)


def mark_conversation_read(user_id: int, conversation_id: int) -> int:
    """Reading a thread reads its message notifications too."""
    return mark_read(
        user_id,
        Notification.kind == kinds.MESSAGE.name,
        Notification.conversation_id == conversation_id,
    )
