"""People with an account."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Float, Index, String, Text, false, func, true
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Timestamped, db, utcnow

# Argon2id with the library's current defaults; hashes carry their parameters, so raising them
# later re-hashes each password at its owner's next login (see check_password).
_hasher = PasswordHasher()
_EPOCH = datetime(1970, 1, 1)


class User(UserMixin, Timestamped, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(60), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    zip_code: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    avatar_key: Mapped[str | None] = mapped_column(String(64))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Changing the password moves this on, which voids reset links and other sessions.
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def is_active(self) -> bool:  # Flask-Login asks this before letting anyone in.
        return self.active

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session and remember cookie: "<id>:<password version>".

        The version is the moment the password last changed, so changing or resetting it voids
        every other session and remember cookie (web/login.py checks it on each request).
        """
        return f"{self.id}:{self.password_version}"

    @property
    def password_version(self) -> int:
        """Microseconds from the epoch to the last password change (0 if never set)."""
        changed = self.password_changed_at
        return (changed - _EPOCH) // timedelta(microseconds=1) if changed else 0

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.password_hash = _hasher.hash(password)
        return True


# Uniqueness ignores case: "Alice" and "alice" are the same person to a reader.
Index("uq_users_username_lower", func.lower(User.username), unique=True)
Index("uq_users_email_lower", func.lower(User.email), unique=True)
# /media finds whose picture a key is to decide who may see it (web.media.access).
Index("uq_users_avatar_key", User.avatar_key, unique=True)
