"""Matches become notifications, and, for people who want mail, items of the next alert mail.

The bulk form of `notifications.notify` for saved-search matches, with the same rules: nothing
for a disabled account or for someone who turned the kind off; a notification for those who
chose the app; a notification and mail for those who chose mail, here mail *pending* — the
search's frequency decides when it goes (indexer/alerts/mailing.py). Never (the frequency)
means in the app only.

Exactly once: a notification is inserted with ON CONFLICT DO NOTHING on its unique key (user,
saved search, listing), and only the notifications that were new get mail items. A second run
that matched the same listing, at the same time or later, changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from indexer.alerts.bulk import insert_new
from indexer.alerts.listings import still_searchable
from indexer.notifications import kinds
from indexer.notifications.preferences import deliveries_for
from models import (
    AlertFrequency,
    AlertMailItem,
    Delivery,
    Notification,
    SavedSearch,
    User,
    db,
)

KIND = kinds.SAVED_SEARCH_MATCH.name


@dataclass
class Recorded:
    notifications: int = 0
    mail_items: int = 0


def record_matches(found: Mapping[int, list[int]], now: datetime) -> Recorded:
    """Record {saved search id: matched listing ids} in the current transaction."""
    if not found:
        return Recorded()
    # Read again in this transaction: paused, deleted or disabled since the run began.
    searches = {
        s.id: s
        for s in db.session.scalars(
            select(SavedSearch)
            .join(User, User.id == SavedSearch.user_id)
            .where(
                SavedSearch.id.in_(found), SavedSearch.paused_at.is_(None), User.active.is_(True)
            )
        )
    }
    listings = still_searchable({lid for ids in found.values() for lid in ids}, now)
    deliveries = deliveries_for({s.user_id for s in searches.values()}, KIND)
    rows = [
        {
            "user_id": search.user_id,
            "kind": KIND,
            "saved_search_id": search.id,
            "listing_id": listing.id,
            "payload": listing.payload(search.name),
            "created_at": now,
        }
        for search_id, listing_ids in found.items()
        if (search := searches.get(search_id)) and deliveries[search.user_id] is not Delivery.off
        for listing_id in listing_ids
        if (listing := listings.get(listing_id)) and listing.owner_id != search.user_id
    ]
    new = _insert_new_notifications(rows)
    mailed = [
        {"saved_search_id": search_id, "listing_id": listing_id, "created_at": now}
        for search_id, listing_id in new
        if searches[search_id].frequency is not AlertFrequency.never
        and deliveries[searches[search_id].user_id] is Delivery.mail
    ]
    insert_new(AlertMailItem.__table__, mailed)
    return Recorded(notifications=len(new), mail_items=len(mailed))


def _insert_new_notifications(rows: list[dict]) -> list[tuple[int, int]]:
    """Insert the notifications not there yet; (saved search id, listing id) of the new ones."""
    table = Notification.__table__
    inserted = insert_new(table, rows, returning=[table.c.saved_search_id, table.c.listing_id])
    return [(search_id, listing_id) for search_id, listing_id in inserted]
