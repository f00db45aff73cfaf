"""Password-reset links: signed, expiring, and single-use.

A token carries the user's id and a fingerprint of their current password hash and change
time, signed with SECRET_KEY and a purpose-specific salt. Setting a new password changes the
fingerprint, so a link stops working once it has been used, or once the password changed by
any other way; no table of issued tokens is needed.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from models import User, db

# A different salt per purpose: a token signed for one use can never be replayed for another.
RESET_SALT = "classifieds.auth.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def password_fingerprint(user: User) -> str:
    """A short digest that changes whenever the user's password does."""
    changed = user.password_changed_at.isoformat() if user.password_changed_at else ""
    material = f"{user.id}|{user.password_hash}|{changed}".encode()
    return hashlib.sha256(material).hexdigest()[:24]


def make_reset_token(user: User) -> str:
    """A token for the link in a password-reset mail."""
    return _serializer().dumps({"uid": user.id, "fp": password_fingerprint(user)})


def max_age_seconds() -> int:
    return current_app.extensions["settings"].PASSWORD_RESET_MAX_AGE_MINUTES * 60


def user_for_reset_token(token: str, *, lock: bool = False) -> User | None:
    """The active user a still-valid token was issued to, or None (bad, expired or used).

    With `lock`, the user row is locked until the transaction ends, so two requests racing with
    the same link cannot both set a password.
    """
    try:
        data = _serializer().loads(token, max_age=max_age_seconds())
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data["uid"], with_for_update=lock)
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(str(data.get("fp", "")), password_fingerprint(user)):
        return None
    return user
