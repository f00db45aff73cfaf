"""Alert mail: one mail per saved search when its frequency says so, listing what matched since
its last mail.

- instant: at once, then at most one mail per INSTANT_GAP, gathering what arrived meanwhile;
- daily, weekly: a digest a day (week) after the last one (or after the search was saved);
- never: no mail (record.py records no mail items for it).

A batch of due searches is locked (SKIP LOCKED on PostgreSQL: a search another run is mailing
is left to it), its mail items are *deleted* with RETURNING, and the mails are composed from
what the delete returned and recorded (indexer/mailer, via notification_mail: footer, signed
one-click unsubscribe, List-Unsubscribe) in the same transaction, which also stamps each
search's `last_mailed_at`. So a mail lists exactly the items it took: a crash before the
commit leaves them all for the next run, a commit leaves none to mail again, an item recorded
by a matching run meanwhile is either taken (and mailed) or left for the next mail, and the
mail outbox delivers each recorded mail once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import render_template
from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import selectinload

from indexer.alerts.listings import Shown, still_searchable
from indexer.mailer import site_url
from indexer.notifications import notification_mail
from indexer.notifications.kinds import SAVED_SEARCH_MATCH
from indexer.notifications.preferences import deliveries_for
from models import AlertFrequency, AlertMailItem, Delivery, SavedSearch, db, utcnow

INSTANT_GAP = timedelta(minutes=5)
PERIODS = {
    AlertFrequency.instant: INSTANT_GAP,
    AlertFrequency.daily: timedelta(days=1),
    AlertFrequency.weekly: timedelta(weeks=1),
}
MAX_LISTED = 20  # listings shown in one mail; the rest are one click away
BATCH = 200  # saved searches per transaction
KIND = SAVED_SEARCH_MATCH.name


def send_due(now: datetime | None = None) -> int:
    """Record the alert mail of every saved search whose mail is due; returns how many."""
    now = now or utcnow()
    links = _Links()
    recorded, after = 0, 0
    while ids := _due_ids(now, after):
        after = ids[-1]
        recorded += _mail_batch(_lock(ids, now), now, links)
        db.session.commit()
    return recorded


def is_due(now: datetime):
    """SQL: the saved search's mail may go now (see PERIODS)."""
    last = SavedSearch.last_mailed_at
    instant = and_(
        SavedSearch.frequency == AlertFrequency.instant,
        or_(last.is_(None), last <= now - INSTANT_GAP),
    )
    digests = [
        and_(
            SavedSearch.frequency == frequency,
            func.coalesce(last, SavedSearch.created_at) <= now - PERIODS[frequency],
        )
        for frequency in (AlertFrequency.daily, AlertFrequency.weekly)
    ]
    return or_(instant, *digests)


def _due_ids(now: datetime, after: int) -> list[int]:
    waiting = select(AlertMailItem.saved_search_id).where(
        AlertMailItem.saved_search_id == SavedSearch.id
    )
    return list(
        db.session.scalars(
            select(SavedSearch.id)
            .where(
                SavedSearch.id > after,
                SavedSearch.paused_at.is_(None),
                waiting.exists(),
                is_due(now),
            )
            .order_by(SavedSearch.id)
            .limit(BATCH)
        )
    )


def _lock(ids: list[int], now: datetime) -> list[SavedSearch]:
    # A search another run is mailing is skipped here; it is not due any more once that run
    # commits (asked again under the lock), or it is due again at the next run if that failed.
    return list(
        db.session.scalars(
            select(SavedSearch)
            .where(SavedSearch.id.in_(ids), SavedSearch.paused_at.is_(None), is_due(now))
            .order_by(SavedSearch.id)
            .with_for_update(skip_locked=True, of=SavedSearch)
            .options(selectinload(SavedSearch.user))
        )
    )


def _mail_batch(searches: list[SavedSearch], now: datetime, links: _Links) -> int:
    """Take the items of `searches` and record their mails (in the caller's transaction)."""
    if not searches:
        return 0
    items = _take_items([search.id for search in searches])
    listings = still_searchable({lid for ids in items.values() for lid in ids}, now)
    wants = deliveries_for({search.user_id for search in searches}, KIND)
    recorded = 0
    for search in searches:
        # Newest first; those sold, expired or hidden since they matched are left out.
        taken = sorted(items.get(search.id, ()), reverse=True)
        shown = [listings[i] for i in taken if i in listings]
        if not shown:
            continue
        subject, text, html = compose(search, shown, links)
        wanted = wants[search.user_id] is Delivery.mail
        mail = notification_mail(
            search.user, KIND, subject, text, html=html, ref=search.id, wants=wanted
        )
        if mail is not None:
            search.last_mailed_at = now
            recorded += 1
    return recorded


def _take_items(search_ids: list[int]) -> dict[int, list[int]]:
    """Delete the mail items of these searches; {search id: listing ids} of what was deleted."""
    taken: dict[int, list[int]] = {}
    deleted = db.session.execute(
        delete(AlertMailItem)
        .where(AlertMailItem.saved_search_id.in_(search_ids))
        .returning(AlertMailItem.saved_search_id, AlertMailItem.listing_id)
        .execution_options(synchronize_session=False)
    )
    for search_id, listing_id in deleted:
        taken.setdefault(search_id, []).append(listing_id)
    return taken


def compose(search: SavedSearch, listings: list[Shown], links: _Links) -> tuple[str, str, str]:
    """Subject, text and HTML of the alert mail for `search` about `listings` (newest first)."""
    count = len(listings)
    if count == 1:
        subject = f"New for \u201c{search.name}\u201d: {listings[0].title}"
    else:
        subject = f"{count} new listings for \u201c{search.name}\u201d"
    if search.frequency in (AlertFrequency.daily, AlertFrequency.weekly):
        subject = f"Your {search.frequency.value} digest: {subject}"
    context = {
        "search": search,
        "count": count,
        "listings": [(listing, *links.of(listing)) for listing in listings[:MAX_LISTED]],
        "more": max(0, count - MAX_LISTED),
        "search_link": site_url("saved_searches.open_one", search_id=search.id),
        "manage_link": links.manage,
    }
    text = render_template("mail/saved_search_match.txt", **context)
    html = render_template("mail/saved_search_match.html", **context)
    return subject, text, html


class _Links:
    """Absolute links of a run's mails, each built once however many mails show it."""

    def __init__(self) -> None:
        self.manage = site_url("saved_searches.index")
        self._listings: dict[int, tuple[str, str | None]] = {}

    def of(self, listing: Shown) -> tuple[str, str | None]:
        """The listing's page and its thumbnail (None without a photo)."""
        if listing.id not in self._listings:
            page = site_url("listings.show", listing_id=listing.id)
            photo = listing.photo_key and site_url(
                "media.image", key=listing.photo_key, size="thumb"
            )
            self._listings[listing.id] = (page, photo)
        return self._listings[listing.id]
