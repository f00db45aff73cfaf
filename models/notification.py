"""What the site has to tell a person (new matches for a saved search, new messages, a listing
about to expire, a listing hidden by a moderator), and how each person wants to be told.

The kinds themselves (labels, templates, defaults) are in indexer/notifications/kinds.py.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.listing import Listing
from models.message import Conversation
from models.saved_search import SavedSearch


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # One alert per listing per saved search, however often the search runs.
        UniqueConstraint("user_id", "saved_search_id", "listing_id", name="uq_notifications_once"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    saved_search_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE")
    )
    # New messages of one conversation gather in one notification while it is unread.
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    # What the kind's template shows, as it was when the notification was made.
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    listing: Mapped[Listing | None] = relationship()
    saved_search: Mapped[SavedSearch | None] = relationship()
    conversation: Mapped[Conversation | None] = relationship()


class Delivery(enum.StrEnum):
    """How a person wants to hear about one kind of thing."""

    off = "off"
    app = "app"  # in the app only: the bell and the notifications page
    mail = "mail"  # in the app and by mail


class NotificationPreference(db.Model):
    """A person's choice for one kind; without a row, the kind's default applies."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(
        Enum(
            Delivery,
            name="notification_delivery",
            native_enum=False,
            create_constraint=True,
            length=10,
        )
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
