"""Where to send someone next: the one check of a `next` address (no open redirects)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def is_local_path(target: str) -> bool:
    """Whether `target` is a path on this site ("/me"), not "//evil.example" or "https://...".

    Browsers drop tabs and newlines and read "\\" as "/", so "/\\t/evil.example" would become
    "//evil.example": any such character is refused outright.
    """
    suspicious = any(ch == "\\" or ch.isspace() or ord(ch) < 32 for ch in target)
    return (
        target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
        and not suspicious
    )


def safe_next(default: str) -> str:
    """The request's `next` (a form field, or the query string's) if it is a local path, else
    the URL `default`."""
    target = request.values.get("next", "")
    return target if is_local_path(target) else default
