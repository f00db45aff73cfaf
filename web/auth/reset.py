"""Resetting a forgotten password through a signed, expiring, single-use link sent by mail."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from indexer.mailer import record_mail, site_url
from models import User, db
from web.auth import bp
from web.auth.accounts import find_by_email
from web.auth.forms import ResetPasswordForm, ResetRequestForm
from web.auth.throttle import per_address_and_account, reset_limit
from web.auth.tokens import make_reset_token, user_for_reset_token

RESET_SENT = (
    "If an account uses that address, we have sent it a link to choose a new password. "
    "The link works once, for {minutes} minutes."
)


def _settings():
    return current_app.extensions["settings"]


@bp.route("/reset-password", methods=["GET", "POST"])
@per_address_and_account(reset_limit, "reset")
def reset_request():
    """Ask for a reset link. The answer is the same whether or not the address has an account,
    so the form cannot be used to find out who is registered."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = find_by_email(form.email.data)
        if user is not None and user.is_active:
            _send_reset_mail(user)
        flash(RESET_SENT.format(minutes=_settings().PASSWORD_RESET_MAX_AGE_MINUTES), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


def _send_reset_mail(user: User) -> None:
    # The link is built on SITE_URL, never on the request's Host header: a forged Host must
    # not turn our own mail into a link to someone else's server.
    link = site_url("auth.reset_password", token=make_reset_token(user))
    minutes = _settings().PASSWORD_RESET_MAX_AGE_MINUTES
    body = render_template("auth/mail/reset_password.txt", user=user, link=link, minutes=minutes)
    record_mail(
        user.email, "Choose a new Classifieds password", body, kind="password_reset", user=user
    )
    db.session.commit()


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = user_for_reset_token(token, lock=request.method == "POST")
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm(user=user)
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        flash("Your password has been changed. Log in with the new one.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, token=token)
