"""Notification settings on the profile, and the one-click unsubscribe links of mails."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from indexer.notifications import preferences
from indexer.notifications import unsubscribe as links
from models import Delivery, db
from web.extensions import csrf
from web.notifications import bp
from web.notifications.forms import settings_form


@bp.route("/me/notifications", methods=["GET", "POST"])
@login_required
def settings():
    """For each kind: in the app and by mail, in the app only, or off."""
    form = settings_form(preferences.all_for(current_user.id))
    if form.validate_on_submit():
        for kind, field in form.kind_fields():
            preferences.set_delivery(current_user.id, kind.name, Delivery(field.data))
        db.session.commit()
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.settings"))
    status = 400 if request.method == "POST" else 200
    return render_template("notifications/settings.html", form=form), status


# The link's signature is what authorises it: mail clients POST here without a session or a
# CSRF token (RFC 8058 one-click), so the token check replaces both.
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """GET: say what the link stops and offer one button. POST: stop it."""
    wish = links.read_token(token)
    if wish is None:
        return render_template("notifications/unsubscribe_invalid.html"), 400
    if request.method == "GET":
        return render_template("notifications/unsubscribe.html", wish=wish, token=token)
    message = links.apply(wish)
    db.session.commit()
    return render_template("notifications/unsubscribed.html", message=message)
