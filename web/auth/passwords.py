"""The password and username policies, as pure functions (unit-tested without an app).

A password must be 10 to 128 characters, not only digits, not the account's username or email,
and not one of the passwords people pick most often. Length matters far more than composition
rules, so there is no "one upper-case letter and one symbol" rule.
"""

from __future__ import annotations

import re

MIN_PASSWORD_LENGTH = 10
# Argon2 takes any length, but a cap keeps a megabyte "password" from costing a hash of it.
MAX_PASSWORD_LENGTH = 128

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]{3,30}")  # used with fullmatch: "$" lets "\n" by
USERNAME_RULE = "3 to 30 characters: letters, digits, and _ - . only."

# Names that would let someone pass for the site itself in messages and profiles.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "support",
        "help",
        "moderator",
        "staff",
        "classifieds",
        "system",
        "security",
        "me",
        "null",
        "undefined",
    }
)

# The most common passwords that still pass the length rule (from public breach top lists),
# compared in lower case. Shorter favourites ("123456", "password") fail on length already.
COMMON_PASSWORDS = frozenset(
    {
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "a123456789",
        "aa12345678",
        "abc1234567",
        "abcd123456",
        "abcdefghij",
        "abcdefghijk",
        "administrator",
        "admin12345",
        "admin123456",
        "asdfghjkl1",
        "asdfghjkl;",
        "baseball123",
        "changeme123",
        "dragon12345",
        "football123",
        "iloveyou12",
        "iloveyou123",
        "letmein123",
        "letmeinnow",
        "monkey12345",
        "passw0rd12",
        "passw0rd123",
        "p@ssw0rd12",
        "p@ssw0rd123",
        "password01",
        "password12",
        "password123",
        "password1234",
        "password12345",
        "password!!",
        "password123!",
        "passwordpassword",
        "princess123",
        "q1w2e3r4t5",
        "q1w2e3r4t5y6",
        "qazwsxedc123",
        "qwertyuiop",
        "qwertyuiop1",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "qwertyqwerty",
        "starwars123",
        "sunshine123",
        "superman123",
        "trustno1234",
        "welcome123",
        "welcome1234",
        "whatever123",
        "zaq12wsxcde",
        "zxcvbnm123",
        "zxcvbnmasdf",
        "aaaaaaaaaa",
        "abc123abc123",
        "iloveyou1234",
        "michael123",
        "shadow12345",
    }
)


def password_problem(password: str, *, username: str = "", email: str = "") -> str | None:
    """Why `password` is not acceptable for this account, or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if password.isdigit():
        return "Use more than digits: add some letters or words."
    lowered = password.strip().lower()
    if lowered in {name.strip().lower() for name in (username, email) if name}:
        return "Your password cannot be your username or email address."
    if lowered in COMMON_PASSWORDS:
        return "That password is one of the most common ones. Choose something less guessable."
    return None


def username_problem(username: str) -> str | None:
    """Why `username` cannot be used (format only; the database decides uniqueness)."""
    if not USERNAME_PATTERN.fullmatch(username):
        return f"A username has {USERNAME_RULE}"
    if username.lower() in RESERVED_USERNAMES:
        return "That username is reserved. Choose another one."
    return None
