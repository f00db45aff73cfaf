"""How Flask-Login finds the person behind a session.

The id kept in the session (and in the "remember me" cookie) is "<user id>:<password version>",
where the version is the moment the password last changed. Changing or resetting a password
moves the version on, so every other session and remember cookie of that account stops
working at its next request; a disabled account is logged out everywhere the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, session
from flask_login import login_user

from models import User, db
from web.extensions import login_manager

_EPOCH = datetime(1970, 1, 1)


def password_version(user: User) -> int:
    """Microseconds from the epoch to the last password change (0 if never set)."""
    changed = user.password_changed_at
    return (changed - _EPOCH) // timedelta(microseconds=1) if changed else 0


def session_id(user: User) -> str:
    """What Flask-Login stores for `user`: their id plus the password version."""
    return f"{user.id}:{password_version(user)}"


def log_in(user: User, *, remember: bool = False) -> bool:
    """Log `user` in on this session; False if the account is disabled.

    The session is emptied first so nothing from before the login (an earlier user's state,
    a planted value) carries over into the authenticated session.
    """
    if not user.is_active:
        return False
    session.clear()
    login_user(user, remember=remember)
    # login_user stored user.get_id(); replace it with the versioned id. The remember cookie
    # is written at the end of the request from this same session value.
    session["_user_id"] = session_id(user)
    return True


def load_user(user_id: str) -> User | None:
    """The user of a session id, if it is well formed, current, and the account active."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.is_active or password_version(user) != int(version):
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
