"""One-click unsubscribe links: signed, no login needed, good until the person changes their mind.

A link names a user, a kind and an optional `ref` (what the kind's handler needs, such as a
saved search's id). Following it shows a page with one button; mail clients that honour
`List-Unsubscribe-Post` (RFC 8058) POST to the same address without showing anything. GET
changes nothing, because link scanners open every link in a mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from indexer.mailer import site_url
from indexer.notifications import kinds
from indexer.notifications.preferences import delivery_for, set_delivery
from models import Delivery, User, db

SALT = "classifieds.mail.unsubscribe"


@dataclass
class Unsubscribe:
    user: User
    kind: kinds.Kind
    ref: int | None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, kind: str, ref: int | None = None) -> str:
    kinds.get(kind)
    return _serializer().dumps([user_id, kind, ref])


def unsubscribe_url(user_id: int, kind: str, ref: int | None = None) -> str:
    """The absolute one-click link for a mail of `kind` to the user."""
    return site_url("notifications.unsubscribe", token=make_token(user_id, kind, ref))


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers that let mail clients offer their own unsubscribe button (RFC 2369, 8058)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def read_token(token: str) -> Unsubscribe | None:
    """What a link asks for, or None if it is not one of ours (or its account is gone)."""
    try:
        user_id, kind, ref = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not kinds.is_kind(kind):
        return None
    if ref is not None and not isinstance(ref, int):
        return None
    user = db.session.get(User, user_id)
    return Unsubscribe(user, kinds.get(kind), ref) if user is not None else None


def apply(request: Unsubscribe) -> str:
    """Do what the link asks (the caller commits); returns what to tell the person."""
    if request.kind.unsubscribe is not None:
        return request.kind.unsubscribe(request.user, request.ref)
    if delivery_for(request.user.id, request.kind.name) is Delivery.mail:
        set_delivery(request.user.id, request.kind.name, Delivery.app)
    return (
        f"You will get no more mail about \u201c{request.kind.label}\u201d. "
        "You still see them under Notifications on the site."
    )
