"""Absolute links for mail, built on SITE_URL.

Never on the request's Host header (a forged Host must not turn our own mail into a link to
someone else's server), and usable where there is no request at all (a Celery task).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def site_url(endpoint: str, **values: object) -> str:
    """The absolute URL of `endpoint` on the public site, e.g. https://example.com/messages/3."""
    site = urlsplit(current_app.extensions["settings"].SITE_URL)
    adapter = current_app.url_map.bind(
        site.netloc, script_name=site.path.rstrip("/") or "/", url_scheme=site.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
