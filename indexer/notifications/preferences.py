"""How each person wants to hear about each kind: off, in the app, or in the app and by mail.

A person without a saved choice for a kind gets the kind's default. Both `notify` and the
delivery of every mail of a notification kind ask here, so a change applies at once, even to
mail recorded before it and not sent yet.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from indexer.notifications import kinds
from models import Delivery, NotificationPreference, db, utcnow


def delivery_for(user_id: int, kind: str) -> Delivery:
    saved = db.session.scalar(
        select(NotificationPreference.delivery).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )
    return saved if saved is not None else kinds.get(kind).default


def deliveries_for(user_ids: Collection[int], kind: str) -> dict[int, Delivery]:
    """`delivery_for` of many people at once (one query): {user id: delivery}."""
    default = kinds.get(kind).default
    saved = dict(
        db.session.execute(
            select(NotificationPreference.user_id, NotificationPreference.delivery).where(
                NotificationPreference.user_id.in_(user_ids), NotificationPreference.kind == kind
            )
        ).all()
    )
    return {user_id: saved.get(user_id, default) for user_id in user_ids}


def all_for(user_id: int) -> dict[str, Delivery]:
    """The person's choice for every kind, defaults included, in the kinds' order."""
    saved = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user_id
            )
        ).all()
    )
    return {name: saved.get(name, kind.default) for name, kind in kinds.KINDS.items()}


def wants_mail(user_id: int, kind: str) -> bool:
    """Whether mail of `kind` may go to the user. Kinds that are not notification kinds
    (a password reset) are what the person asked for, and always go."""
    if not kinds.is_kind(kind):
        return True
    return delivery_for(user_id, kind) is Delivery.mail


def set_delivery(user_id: int, kind: str, delivery: Delivery) -> None:
    """Save the person's choice for `kind` in the current transaction (the caller commits).

    An upsert: a one-click unsubscribe and a settings form arriving together cannot collide.
    """
    kinds.get(kind)  # refuses an unknown kind
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    values = {"user_id": user_id, "kind": kind, "delivery": delivery, "updated_at": utcnow()}
    db.session.execute(
        dialect.insert(NotificationPreference)
        .values(**values)
        .on_conflict_do_update(
            index_elements=["user_id", "kind"],
            set_={"delivery": delivery, "updated_at": values["updated_at"]},
        )
    )
