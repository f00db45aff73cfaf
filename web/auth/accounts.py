"""Finding, checking and creating accounts: the database side of the auth views."""

from __future__ import annotations

from contextlib import suppress
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import func, or_, select

from models import User, db


def find_by_login(login: str) -> User | None:
    """The user whose username or email is `login`, ignoring case.

    Usernames cannot contain '@', so a username never collides with someone's email.
    """
    key = login.strip().lower()
    if not key:
        return None
    return db.session.scalar(
        select(User).where(or_(func.lower(User.username) == key, func.lower(User.email) == key))
    )


def find_by_email(email: str) -> User | None:
    key = email.strip().lower()
    return db.session.scalar(select(User).where(func.lower(User.email) == key))


def find_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def username_taken(username: str) -> bool:
    return find_by_username(username.strip()) is not None


def email_taken(email: str) -> bool:
    return find_by_email(email) is not None


def authenticate(login: str, password: str) -> User | None:
    """The user with these credentials, or None; takes as long whether or not the login exists.

    Without the dummy verification an attacker could tell registered names and addresses from
    the response time, since only existing accounts would pay for an Argon2 verification.
    """
    user = find_by_login(login)
    if user is None:
        _waste_a_verification(password)
        return None
    if not user.check_password(password):
        return None
    # check_password may have re-hashed with stronger parameters; the caller commits.
    return user


@cache
def _dummy_hash() -> str:
    return PasswordHasher().hash("not a real password, only here to spend time")


def _waste_a_verification(password: str) -> None:
    with suppress(VerificationError):
        PasswordHasher().verify(_dummy_hash(), password)


def create_account(username: str, email: str, password: str) -> User:
    """A new user, added to the session (the caller commits and handles a uniqueness race)."""
    user = User(username=username.strip(), email=email.strip(), display_name="", bio="")
    user.set_password(password)
    db.session.add(user)
    return user
