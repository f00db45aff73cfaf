"""The bell in the navigation bar: how many notifications the current user has not read."""

from __future__ import annotations

from flask_login import current_user

from indexer.notifications.center import unread_count

SHOWN_MAX = 99  # the badge says "99+" beyond this


def unread_notification_count() -> int:
    if not current_user.is_authenticated:
        return 0
    return unread_count(current_user.id)


def badge_text(count: int) -> str:
    return f"{SHOWN_MAX}+" if count > SHOWN_MAX else str(count)
