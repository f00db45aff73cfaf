"""Searches people keep, to be alerted to new listings that match them.

A saved search is a ListingQuery's canonical query string (search.query.search_url_query) and
how often its owner wants mail about new matches. Matching itself is continuous (every alert
run, indexer/alerts/): the frequency only decides when the mail goes.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Timestamped, db, utcnow
from models.user import User

# Saved searches one person may keep: each runs on every alert cycle.
MAX_PER_USER = 50
MAX_NAME = 100


class AlertFrequency(enum.StrEnum):
    never = "never"  # in the app only (the bell), no mail
    instant = "instant"  # a mail within minutes, at most one per few minutes
    daily = "daily"  # one digest a day
    weekly = "weekly"  # one digest a week


class SavedSearch(Timestamped, db.Model):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    # The search's canonical URL query string (search.query.ListingQuery serialises to it).
    query: Mapped[str] = mapped_column(Text)
    frequency: Mapped[AlertFrequency] = mapped_column(
        Enum(
            AlertFrequency,
            name="alert_frequency",
            native_enum=False,
            create_constraint=True,
            length=10,
        ),
        default=AlertFrequency.daily,
    )
    # Paused: not matched at all (no notification, no mail) until resumed.
    paused_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When its owner last opened it: "new since your last visit" counts from here.
    last_viewed_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, server_default=func.current_timestamp()
    )
    # When its last alert mail was recorded: instant mail and digests wait their turn from here.
    last_mailed_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None
