"""Contacting a seller, the inbox and a conversation's thread."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from models import Conversation, Listing, ListingStatus, db
from web.auth.throttle import signed_in_account
from web.authz import owns, require_participant, require_visible_listing
from web.extensions import limiter
from web.messages import bp, conversations
from web.messages.closing import closed_notice
from web.messages.forms import MessageForm
from web.pagination import paginate


def message_limit() -> str:
    return current_app.extensions["settings"].MESSAGE_RATE_LIMIT


# One budget per person for every message they send, first ones and replies alike; showing the
# forms is free.
send_limit = limiter.shared_limit(
    message_limit, scope="messages-send", key_func=signed_in_account, methods=["POST"]
)


def _thread_url(conversation: Conversation) -> str:
    return url_for("messages.conversation", conversation_id=conversation.id)


@bp.route("/listings/<int:listing_id>/contact", methods=["GET", "POST"])
@login_required
@send_limit
def start(listing_id: int):
    """Write to the seller of a listing; a second start continues the same conversation."""
    listing = require_visible_listing(db.session.get(Listing, listing_id))
    listing_url = url_for("listings.show", listing_id=listing.id)
    if owns(listing):
        flash("This is your own listing: buyers' messages about it are in your inbox.", "info")
        return redirect(listing_url)
    existing = conversations.find(listing.id, current_user.id)
    # A closed conversation takes no message from here either: its thread shows why.
    if existing is not None and (request.method == "GET" or closed_notice(existing)):
        return redirect(_thread_url(existing))
    if existing is None and listing.status is not ListingStatus.active:
        flash("This item has been sold: the seller is not taking new messages about it.", "warning")
        return redirect(listing_url)
    form = MessageForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("messages/start.html", form=form, listing=listing), status
    conversation = existing or conversations.start_or_get(listing, current_user.id)
    conversations.send(conversation, current_user.id, form.body.data)
    flash("Your message is sent.", "success")
    return redirect(_thread_url(conversation))


@bp.get("/messages")
@login_required
def inbox():
    """My conversations, as buyer and as seller, the most recently active first."""
    box = request.args.get("box", "all")
    if box not in conversations.BOXES:
        box = "all"
    page = paginate(conversations.inbox_statement(current_user.id, box))
    rows = conversations.inbox_rows(list(page.items), current_user.id)
    return render_template("messages/inbox.html", page=page, rows=rows, box=box)


@bp.route("/messages/<int:conversation_id>", methods=["GET", "POST"])
@login_required
@send_limit
def conversation(conversation_id: int):
    """The thread, oldest first, and the reply form; opening it marks what I received read."""
    talk = require_participant(db.session.get(Conversation, conversation_id))
    closed = closed_notice(talk)
    form = MessageForm()
    if closed is None and form.validate_on_submit():
        conversations.send(talk, current_user.id, form.body.data)
        return redirect(_thread_url(talk) + "#reply")
    conversations.mark_read(talk, current_user.id)
    # A POST that got here sent nothing: refused (closed) or not valid.
    status = (403 if closed else 400) if request.method == "POST" else 200
    return render_template(
        "messages/conversation.html",
        conversation=talk,
        messages=conversations.thread(talk),
        other=conversations.other_party(talk, current_user.id),
        form=form,
        closed=closed,
    ), status
