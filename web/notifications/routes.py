"""The notifications page, opening one, marking one or all read, and the bell's count."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from indexer.notifications import kinds
from indexer.notifications.center import listing_statement, mark_one_read, mark_read
from models import Notification, db
from web.notifications import bp
from web.notifications.bell import badge_text, unread_notification_count
from web.pagination import paginate


@bp.get("/notifications")
@login_required
def index():
    """My notifications, newest first; unread ones stand out and can be marked read."""
    page = paginate(listing_statement(current_user.id))
    return render_template("notifications/index.html", page=page, kinds=kinds.KINDS)


@bp.get("/notifications/unread.json")
@login_required
def unread():
    """The bell's count, for notifications.js to refresh the badge without a page load."""
    count = unread_notification_count()
    response = jsonify(unread=count, badge=badge_text(count))
    response.headers["Cache-Control"] = "no-store"
    return response


def _mine(notification_id: int) -> Notification:
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)  # someone else's notifications do not exist for me
    return note


@bp.get("/notifications/<int:notification_id>/open")
@login_required
def open_one(notification_id: int):
    """Follow a notification to what it is about; following it reads it."""
    note = _mine(notification_id)
    if mark_one_read(current_user.id, note.id):
        db.session.commit()
    kind = kinds.KINDS.get(note.kind)
    return redirect(kind.target(note) if kind else url_for("notifications.index"))


def _back():
    page = request.form.get("page", 1, type=int) or 1
    return redirect(url_for("notifications.index", page=page) if page > 1 else url_for(".index"))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read_one(notification_id: int):
    note = _mine(notification_id)
    if mark_one_read(current_user.id, note.id):
        db.session.commit()
    return _back()


@bp.post("/notifications/read-all")
@login_required
def read_all():
    marked = mark_read(current_user.id)
    db.session.commit()
    if marked:
        flash(f"{marked} notification{'' if marked == 1 else 's'} marked as read.", "success")
    return _back()
