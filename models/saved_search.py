"""Searches people keep, to be alerted to new listings that match them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Timestamped, db
from models.user import User


class AlertFrequency(enum.StrEnum):
    never = "never"
    instant = "instant"
    daily = "daily"
    weekly = "weekly"


class SavedSearch(Timestamped, db.Model):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
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
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    user: Mapped[User] = relationship()
