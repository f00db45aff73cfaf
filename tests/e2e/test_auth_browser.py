"""A person registers, logs out and logs in again, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "plum tractor umbrella 42"


def log_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_register_log_out_and_log_in_again(browser_page, page_errors):
    page = browser_page
    page.goto("/")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Username", exact=True).fill("walter")
    page.get_by_label("Email").fill("walter@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.get_by_role("heading", name="My listings")).to_be_visible()
    expect(page.get_by_text("Welcome, walter!")).to_be_visible()

    log_out(page)
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    assert page.goto("/me").url.endswith("/login?next=%2Fme")

    page.get_by_label("Username or email").fill("Walter@Example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Keep me logged in").check()
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/me$"))  # back where the login was asked for
    expect(page.get_by_test_id("user-menu")).to_contain_text("walter")
    log_out(page)
    assert page_errors == []


def test_a_wrong_password_is_shown_on_the_form(browser_page, make_user, page_errors):
    make_user(username="walter")
    page = browser_page
    page.goto("/login")
    page.get_by_label("Username or email").fill("walter")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("form-error")).to_have_text("Wrong username, email or password.")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert page_errors == []
