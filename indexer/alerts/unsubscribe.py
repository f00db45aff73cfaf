"""The one-click unsubscribe of an alert mail stops mail for that saved search only.

The link carries the saved search's id (`ref`): following it sets the search's frequency to
"never" (its matches still show under Notifications) and drops the matches waiting for its
next mail. A link without a search, or for a search since deleted, falls back to what the
notifications package does for any kind: no more mail of this kind.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import delete

from indexer.notifications import kinds
from indexer.notifications.preferences import set_delivery
from models import AlertFrequency, AlertMailItem, Delivery, SavedSearch, User, db


def stop_mail(user: User, ref: int | None) -> str:
    """What the link does (the caller commits); returns what to tell the person."""
    search = db.session.get(SavedSearch, ref) if ref is not None else None
    if search is None or search.user_id != user.id:
        set_delivery(user.id, kinds.SAVED_SEARCH_MATCH.name, Delivery.app)
        return (
            "You will get no more mail about new matches for your saved searches. "
            "You still see them under Notifications on the site."
        )
    stop_mail_for(search)
    return (
        f"You will get no more mail about \u201c{search.name}\u201d. New matches still show "
        "under Notifications; you can change this on your saved searches page."
    )


def stop_mail_for(search: SavedSearch) -> None:
    """No more mail for `search` (in the current transaction): frequency never, nothing pending."""
    search.frequency = AlertFrequency.never
    drop_pending_mail(search.id)


def drop_pending_mail(search_id: int) -> None:
    db.session.execute(
        delete(AlertMailItem)
        .where(AlertMailItem.saved_search_id == search_id)
        .execution_options(synchronize_session=False)
    )


kinds.register(dataclasses.replace(kinds.SAVED_SEARCH_MATCH, unsubscribe=stop_mail))
