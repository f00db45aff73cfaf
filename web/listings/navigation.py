"""Where to send someone after a button press."""

from __future__ import annotations

from flask import request


def safe_next(default: str) -> str:
    """The form's `next` path if it stays on this site, else `default` (no open redirects)."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
