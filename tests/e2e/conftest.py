"""Browser-test fixtures: the app on a live local server, and a Chromium page pointed at it.

    def test_something(live_server, browser_page):
        browser_page.goto("/register")          # relative to live_server

`live_server` serves the test's `app` (the same database and settings as the other fixtures:
make_user, make_listing, ... work alongside it) on 127.0.0.1 with a free port, in a thread.
Each request there gets its own app context, as in production. `browser_page` is a fresh
browser context (no cookies) per test; `page_errors` collects the page's JavaScript errors and
console errors (Content Security Policy violations show up there), so a test can assert that
there were none.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright for Python.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000  # generous: CI shares two cores with Elasticsearch and PostgreSQL


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The base URL of `app` served over HTTP on loopback for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        # Stop serving before the app fixture empties the tables.
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (starting it takes a second or two)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page_errors() -> list[str]:
    """JavaScript errors and console errors seen by `browser_page` during the test."""
    return []


def _record_console_error(message, errors: list[str]) -> None:
    if message.type != "error":
        return
    url = message.location.get("url", "")
    errors.append(f"console: {message.text} ({url})")


@pytest.fixture
def browser_page(browser, live_server, page_errors):
    """A page in a fresh browser context whose relative URLs go to `live_server`."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.append(f"pageerror: {error}"))
    page.on("console", lambda message: _record_console_error(message, page_errors))
    try:
        yield page
    finally:
        context.close()
