"""The password and username rules, without an app or a database."""

from __future__ import annotations

import pytest

from web.auth.passwords import (
    COMMON_PASSWORDS,
    MIN_PASSWORD_LENGTH,
    password_problem,
    username_problem,
)


@pytest.mark.parametrize(
    "password",
    [
        "plum tractor umbrella",
        "x" * 10 + "1",
        "Ünïcode passwörd ok",
        "a" * 127 + "b",
        "9 lives left",
    ],
)
def test_good_passwords_pass(password):
    assert password_problem(password, username="bob", email="bob@example.com") is None


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("", "at least 10"),
        ("nine char", "at least 10"),
        ("y" * 129, "at most 128"),
        ("12345678901", "more than digits"),
        ("PASSWORD123", "most common"),
        ("QwertyUiop", "most common"),
        ("Bob@Example.com", "username or email"),
        ("  bobby12345  ", "username or email"),
    ],
)
def test_bad_passwords_are_explained(password, fragment):
    problem = password_problem(password, username="bobby12345", email="bob@example.com")
    assert problem is not None and fragment in problem


def test_exactly_the_minimum_length_is_enough():
    assert password_problem("k" * (MIN_PASSWORD_LENGTH - 1) + "!") is None


def test_every_common_password_is_long_enough_to_matter():
    # Shorter entries would be dead weight: the length rule refuses them already.
    assert all(len(p) >= MIN_PASSWORD_LENGTH for p in COMMON_PASSWORDS)
    assert all(p == p.lower() for p in COMMON_PASSWORDS)


@pytest.mark.parametrize("username", ["bob", "Bob_99", "a.b-c", "x" * 30, "___"])
def test_good_usernames(username):
    assert username_problem(username) is None


@pytest.mark.parametrize(
    "username",
    ["ab", "x" * 31, "bob smith", "bob@example.com", "<script>", "bób", "bob\n", "Admin", "root"],
)
def test_bad_usernames(username):
    assert username_problem(username) is not None
