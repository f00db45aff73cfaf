"""Template helpers available on every page."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user
from sqlalchemy import func, select

from models import Category, Conversation, Message, db


def nav_sections() -> list[Category]:
    """The top-level categories, in their display order."""
    return list(
        db.session.scalars(
            select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)
        )
    )


def unread_message_count() -> int:
    """Messages sent to the current user that they have not opened yet."""
    if not current_user.is_authenticated:
        return 0
    uid = current_user.id
    query = (
        select(func.count(Message.id))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(
            (Conversation.buyer_id == uid) | (Conversation.seller_id == uid),
            Message.sender_id != uid,
            Message.read_at.is_(None),
        )
    )
    return db.session.scalar(query) or 0


def format_price(minor: int, currency: str = "USD", kind: str = "fixed") -> str:
    """`123456, 'USD'` -> `$1,234.56`; whole amounts drop the cents."""
    if kind == "free":
        return "Free"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$"}.get(currency)
    major, cents = divmod(minor, 100)
    amount = f"{major:,}" if cents == 0 else f"{major:,}.{cents:02d}"
    text = f"{symbol}{amount}" if symbol else f"{amount} {currency}"
    return f"{text}/yr" if kind == "salary" else text


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        nav_sections=nav_sections,
        unread_message_count=unread_message_count,
    )
    app.jinja_env.filters["price"] = format_price
