"""The logic of conversations, apart from the views: start or find one, send, read, list."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from indexer.mailer import site_url
from indexer.notifications import MailContent, kinds, notify
from indexer.notifications.center import mark_conversation_read
from models import Conversation, Listing, Message, User, db, utcnow

BOXES = ("all", "buying", "selling")


def find(listing_id: int, buyer_id: int) -> Conversation | None:
    return db.session.scalar(
        select(Conversation).where(
            Conversation.listing_id == listing_id, Conversation.buyer_id == buyer_id
        )
    )


def start_or_get(listing: Listing, buyer_id: int) -> Conversation:
    """The conversation of `buyer_id` about `listing`, created (and committed) if there is none.

    Two quick submissions race to create it; the unique (listing, buyer) constraint lets only
    one insert win, and the loser rolls back and carries on with the winner's row. (A rollback
    rather than a savepoint: pysqlite, the embedded default, does not do savepoints reliably.)
    """
    existing = find(listing.id, buyer_id)
    if existing is not None:
        return existing
    listing_id = listing.id
    conversation = Conversation(
        listing_id=listing_id, buyer_id=buyer_id, seller_id=listing.owner_id
    )
    db.session.add(conversation)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = find(listing_id, buyer_id)
        if existing is None:  # not the race: some other constraint failed
            raise
        return existing
    return conversation


def send(conversation: Conversation, sender_id: int, body: str) -> Message:
    """Add a message from `sender_id`, bump the conversation up the inbox, tell the recipient,
    and commit it all at once: the message, its notification and its mail stand or fall
    together."""
    message = Message(conversation_id=conversation.id, sender_id=sender_id, body=body)
    db.session.add(message)
    # A new message does not change the conversation's row, so onupdate would not fire.
    conversation.updated_at = utcnow()
    tell_recipient(conversation, message)
    db.session.commit()
    return message


def other_party(conversation: Conversation, user_id: int) -> User:
    return conversation.seller if user_id == conversation.buyer_id else conversation.buyer


def tell_recipient(conversation: Conversation, message: Message) -> None:
    """The recipient's notification and mail of a new message, added to the current
    transaction. The mail's link is built from SITE_URL, never the Host header."""
    recipient = other_party(conversation, message.sender_id)
    sender = other_party(conversation, recipient.id)
    title = conversation.listing.title
    text = render_template(
        "mail/message.txt",
        recipient=recipient,
        sender=sender,
        title=title,
        body=message.body,
        link=site_url("messages.conversation", conversation_id=conversation.id),
    )
    notify(
        recipient,
        kinds.MESSAGE.name,
        listing=conversation.listing,
        conversation=conversation,
        payload={"sender": sender.name, "title": title, "snippet": message.body[:200]},
        mail=MailContent(subject=f"New message about {title}", text=text),
    )


def mark_read(conversation: Conversation, reader_id: int) -> int:
    """Mark the other person's unread messages read, and their notifications; returns how
    many messages there were."""
    result = db.session.execute(
        update(Message)
        .where(
            Message.conversation_id == conversation.id,
            Message.sender_id != reader_id,
            Message.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    notes = mark_conversation_read(reader_id, conversation.id)
    if result.rowcount or notes:
        db.session.commit()
    return result.rowcount


def thread(conversation: Conversation) -> list[Message]:
    """The conversation's messages, oldest first."""
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation.id)
            .order_by(Message.created_at, Message.id)
        )
    )


def inbox_statement(user_id: int, box: str = "all") -> Select:
    """The conversations of `user_id` in `box` (all, buying, selling), newest activity first."""
    if box == "buying":
        involved = Conversation.buyer_id == user_id
    elif box == "selling":
        involved = Conversation.seller_id == user_id
    else:
        involved = (Conversation.buyer_id == user_id) | (Conversation.seller_id == user_id)
    return (
        select(Conversation)
        .where(involved)
        .options(
            joinedload(Conversation.buyer),
            joinedload(Conversation.seller),
            joinedload(Conversation.listing).selectinload(Listing.images),
        )
        .order_by(Conversation.updated_at.desc(), Conversation.id.desc())
    )


def unread_counts(conversation_ids: list[int], user_id: int) -> dict[int, int]:
    """Unread messages to `user_id` per conversation, for the given conversations."""
    if not conversation_ids:
        return {}
    rows = db.session.execute(
        select(Message.conversation_id, func.count(Message.id))
        .where(
            Message.conversation_id.in_(conversation_ids),
            Message.sender_id != user_id,
            Message.read_at.is_(None),
        )
        .group_by(Message.conversation_id)
    )
    return {conversation_id: n for conversation_id, n in rows}


def last_messages(conversation_ids: list[int]) -> dict[int, Message]:
    """The newest message of each of the given conversations, in one query."""
    if not conversation_ids:
        return {}
    ranked = (
        select(
            Message.id,
            func.row_number()
            .over(
                partition_by=Message.conversation_id,
                order_by=(Message.created_at.desc(), Message.id.desc()),
            )
            .label("rank"),
        )
        .where(Message.conversation_id.in_(conversation_ids))
        .subquery()
    )
    newest = select(Message).join(ranked, ranked.c.id == Message.id).where(ranked.c.rank == 1)
    return {message.conversation_id: message for message in db.session.scalars(newest)}


@dataclass
class InboxRow:
    conversation: Conversation
    other: User
    role: str  # "buying" or "selling": what the reader does in this conversation
    last: Message | None
    unread: int


def inbox_rows(conversations: list[Conversation], user_id: int) -> list[InboxRow]:
    """What the inbox shows of each conversation on one page (two queries for the page)."""
    ids = [c.id for c in conversations]
    unread, last = unread_counts(ids, user_id), last_messages(ids)
    return [
        InboxRow(
            conversation=c,
            other=other_party(c, user_id),
            role="buying" if c.buyer_id == user_id else "selling",
            last=last.get(c.id),
            unread=unread.get(c.id, 0),
        )
        for c in conversations
    ]
