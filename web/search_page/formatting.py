"""How the result cards say when and how far: "3 hours ago", "4.2 mi"."""

from __future__ import annotations

from datetime import datetime

from models import utcnow
from web.search_page import bp

# (seconds in the unit, its name); the largest unit that fits is the one said.
_UNITS = ((86_400 * 7, "week"), (86_400, "day"), (3_600, "hour"), (60, "minute"))
_DATED_AFTER_DAYS = 60  # older than that, the date says more than "9 weeks ago"


@bp.app_template_filter("ago")
def ago(moment: datetime, now: datetime | None = None) -> str:
    """A naive-UTC moment as people say it: "just now", "5 minutes ago", "yesterday"."""
    now = now or utcnow()
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds >= _DATED_AFTER_DAYS * 86_400:
        return f"on {moment:%b} {moment.day}, {moment.year}"
    for size, name in _UNITS:
        if seconds >= size:
            count = seconds // size
            if name == "day" and count == 1:
                return "yesterday"
            return f"{count} {name}{'' if count == 1 else 's'} ago"
    raise AssertionError("unreachable: every moment a minute old fits a unit")


@bp.app_template_filter("miles")
def miles(distance: float) -> str:
    """A distance for a card: one decimal when near, whole miles when far."""
    if distance < 0.1:
        return "under 0.1 mi"
    if distance < 10:
        return f"{distance:.1f} mi"
    return f"{round(distance):,} mi"
