"""Helpers for tests that use the site the way a browser does.

- `submit` posts a form with the CSRF token taken from the page, as a browser would.
- `IsolatedClient` (the `client` fixture's class) runs every request in an app context of its
  own. The `app` fixture keeps one app context open for the whole test, and Flask reuses an
  open app context for requests: `g` (which caches Flask-Login's user and Flask-WTF's CSRF
  token) and the database session would then leak from one request into the next, and a test
  of "this session is logged out now" could pass or fail for the wrong reason.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class IsolatedClient(FlaskClient):
    """A test client whose requests each get a fresh app context: own `g`, own db session."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def csrf_token(client: FlaskClient, url: str, **kwargs) -> str:
    """Open `url` (with `kwargs` for client.get) and return the CSRF token of its first form."""
    response = client.get(url, **kwargs)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no csrf_token on {url} (status {response.status_code})"
    return match.group(1)


def submit(
    client: FlaskClient,
    url: str,
    data: dict | None = None,
    *,
    form_url: str | None = None,
    **kwargs,
):
    """POST `data` to `url` with the CSRF token taken from `form_url` (default: `url`).

    Request headers (`headers=`) go to both requests, as a browser would send them.
    """
    token = csrf_token(client, form_url or url, headers=kwargs.get("headers"))
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)
