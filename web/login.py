"""How Flask-Login finds the person behind a session.

The id kept in the session (and in the "remember me" cookie) is `User.get_id()`,
"<user id>:<password version>", where the version is the moment the password last changed.
Changing or resetting a password moves the version on, so every other session and remember
cookie of that account stops working at its next request; a disabled account is logged out
everywhere the same way.
"""

from __future__ import annotations

from flask import Flask, session
from flask_login import login_user

from models import User, db
from web.extensions import login_manager


def log_in(user: User, *, remember: bool = False) -> bool:
    """Log `user` in on this session; False if the account is disabled.

    The session is emptied first so nothing from before the login (an earlier user's state,
    a planted value) carries over into the authenticated session.
    """
    if not user.is_active:
        return False
    session.clear()
    login_user(user, remember=remember)
    return True


def load_user(user_id: str) -> User | None:
    """The user of a session id, if it is well formed, current, and the account active."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.is_active or user.password_version != int(version):
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
