"""The ?page= argument of every paginated page, read one way."""

from __future__ import annotations

from flask import request

# Deeper than this, people search instead; the bound also keeps OFFSET within reason.
MAX_PAGE = 500


def page_number() -> int:
    """The requested page, kept within 1..MAX_PAGE: garbage means page 1, too deep the last."""
    number = request.args.get("page", 1, type=int) or 1
    return min(max(number, 1), MAX_PAGE)
