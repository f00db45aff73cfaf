"""Register, log in, log out, change a password (resetting a forgotten one: reset.py)."""

from __future__ import annotations

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user
from sqlalchemy.exc import IntegrityError

from models import User, db, utcnow
from web.auth import bp
from web.auth.accounts import authenticate, create_account, email_taken, username_taken
from web.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    LogoutForm,
    RegisterForm,
)
from web.auth.throttle import (
    login_limit,
    per_address,
    per_address_and_account,
    register_limit,
    signed_in_account,
)
from web.login import log_in
from web.navigation import safe_next

log = logging.getLogger(__name__)

WRONG_CREDENTIALS = "Wrong username, email or password."


@bp.route("/register", methods=["GET", "POST"])
@per_address(register_limit, "register")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = create_account(form.username.data, form.email.data, form.password.data)
        try:
            db.session.commit()
        except IntegrityError:
            # Someone took the name or address between the form's check and our insert.
            db.session.rollback()
            _explain_taken(form)
        else:
            log.info("New account %s (id %s)", user.username, user.id)
            log_in(user)
            flash(f"Welcome, {user.username}! Your account is ready.", "success")
            return redirect(url_for("profiles.me"))
    return render_template("auth/register.html", form=form)


def _explain_taken(form: RegisterForm) -> None:
    """Turn a uniqueness violation into the same form errors the validators give."""
    if username_taken(form.username.data):
        form.username.errors.append("That username is taken. Choose another one.")
    if email_taken(form.email.data) or not form.username.errors:
        form.email.errors.append(
            "An account already uses that address. Log in, or reset your password."
        )


@bp.route("/login", methods=["GET", "POST"])
@per_address_and_account(login_limit, "login")
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("main.index")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            form.form_errors.append(WRONG_CREDENTIALS)
        elif not user.is_active:
            form.form_errors.append("This account has been disabled.")
        else:
            user.last_login_at = utcnow()
            db.session.commit()
            log_in(user, remember=form.remember.data)
            flash(f"Welcome back, {user.name}.", "success")
            return redirect(safe_next(url_for("main.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """POST logs out (CSRF-checked); GET only shows a button, since a link must not log out."""
    if request.method == "POST":
        logout_user()
        flash("You have logged out.", "info")
        return redirect(url_for("main.index"))
    if not current_user.is_authenticated:
        return redirect(url_for("main.index"))
    return render_template("auth/logout.html", form=LogoutForm())


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@per_address_and_account(login_limit, "change-password", account_key=signed_in_account)
def change_password():
    user: User = current_user._get_current_object()
    form = ChangePasswordForm(user=user)
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        # Other sessions now carry a stale password version; this one is renewed.
        log_in(user, remember=_has_remember_cookie())
        flash("Your password has been changed. Other devices have been logged out.", "success")
        return redirect(url_for("profiles.me"))
    return render_template("auth/change_password.html", form=form)


def _has_remember_cookie() -> bool:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
