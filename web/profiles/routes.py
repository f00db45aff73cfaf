"""/u/<username> (public), /me (my listings) and /me/edit."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from models import User, db
from web.auth.accounts import find_by_username
from web.media.images import ImageRejected
from web.profiles import bp
from web.profiles.avatars import replace_avatar
from web.profiles.forms import ProfileForm
from web.profiles.listings import MY_TABS, listings_page, public_listings, tab_counts


@bp.get("/u/<username>")
def show(username: str):
    """A member's public page: who they are and what they are selling now."""
    user = find_by_username(username)
    if user is None or not user.is_active:
        abort(404)
    page = listings_page(public_listings(user))
    return render_template("profiles/show.html", user=user, page=page)


@bp.get("/me")
@login_required
def me():
    """My own listings: the active ones (hidden ones too, marked) or the past ones."""
    tab = request.args.get("tab", "active")
    if tab not in MY_TABS:
        tab = "active"
    user: User = current_user._get_current_object()
    page = listings_page(MY_TABS[tab](user))
    return render_template(
        "profiles/me.html", user=user, tab=tab, page=page, counts=tab_counts(user)
    )


@bp.route("/me/edit", methods=["GET", "POST"])
@login_required
def edit():
    user: User = current_user._get_current_object()
    form = ProfileForm(obj=user) if request.method == "GET" else ProfileForm()
    if request.method == "GET":
        form.location.data = user.zip_code or _city_label(user)
    if form.validate_on_submit() and _apply(form, user):
        flash("Your profile has been saved.", "success")
        return redirect(url_for("profiles.show", username=user.username))
    return render_template("profiles/edit.html", form=form, user=user)


def _city_label(user: User) -> str:
    if user.city and user.state:
        return f"{user.city}, {user.state}"
    return user.city or ""


def _apply(form: ProfileForm, user: User) -> bool:
    """Save the form onto `user`; False (with a form error) if the picture was refused."""
    user.display_name = form.display_name.data or ""
    user.bio = form.bio.data or ""
    place = form.place
    user.zip_code = place.zip_code if place else None
    user.city = place.city if place else None
    user.state = place.state if place else None
    user.latitude = place.latitude if place else None
    user.longitude = place.longitude if place else None
    media_root = current_app.extensions["settings"].MEDIA_ROOT
    try:
        replace_avatar(user, form.avatar.data, form.remove_avatar.data, media_root)
    except ImageRejected as error:
        db.session.rollback()
        form.avatar.errors.append(str(error))
        return False
    return True
