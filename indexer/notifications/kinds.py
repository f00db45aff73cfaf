"""The kinds of notification: what each is called on the settings page, how it is shown, where
opening it leads, and how it is told by default.

A kind's notifications are shown by the template `notifications/kinds/<name>.html` (given
`n`, the Notification, with its listing, saved search and conversation loaded). A new kind is
one `register(Kind(...))` call and that template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from models import Delivery, Notification, User


@dataclass(frozen=True)
class Kind:
    name: str  # stored in notifications.kind and outgoing_mail.kind (at most 30 characters)
    label: str  # the settings page's name for it
    description: str  # the settings page's help text
    target: Callable[[Notification], str]  # where opening one leads (called in a request)
    default: Delivery = Delivery.mail
    # What a one-click unsubscribe link of this kind does, given the user and the link's `ref`
    # (e.g. a saved search's id); returns what to tell the person. None: the default, which
    # stops this kind's mail for the user (see indexer/notifications/unsubscribe.py).
    unsubscribe: Callable[[User, int | None], str] | None = None

    @property
    def template(self) -> str:
        return f"notifications/kinds/{self.name}.html"


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if len(kind.name) > 30:
        raise ValueError(f"A kind's name has at most 30 characters: {kind.name!r}")
    KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"Unknown notification kind {name!r}") from None


def is_kind(name: str) -> bool:
    return name in KINDS


def _listing_page(n: Notification) -> str:
    return url_for("listings.show", listing_id=n.listing_id)


def _conversation_page(n: Notification) -> str:
    return url_for("messages.conversation", conversation_id=n.conversation_id)


SAVED_SEARCH_MATCH = register(
    Kind(
        name="saved_search_match",
        label="New matches for my saved searches",
        description="Listings that match a search you saved. How often mail comes is set on "
        "each saved search.",
        target=_listing_page,
    )
)
MESSAGE = register(
    Kind(
        name="message",
        label="New messages",
        description="Someone wrote to you about a listing, or answered you.",
        target=_conversation_page,
    )
)
LISTING_EXPIRING = register(
    Kind(
        name="listing_expiring",
        label="A listing of mine is about to expire",
        description="A few days before one of your listings leaves the search results.",
        target=_listing_page,
    )
)
LISTING_HIDDEN = register(
    Kind(
        name="listing_hidden",
        label="A moderator hid a listing of mine",
        description="One of your listings was taken out of sight after a review.",
        target=_listing_page,
    )
)
