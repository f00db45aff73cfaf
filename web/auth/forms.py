"""The sign-up, log-in and password forms. Every one carries a CSRF token (FlaskForm)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from models import User
from web.auth.accounts import email_taken, username_taken
from web.auth.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    USERNAME_RULE,
    password_problem,
    username_problem,
)
from web.text_input import single_line


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words work well.",
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD_LENGTH},
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        filters=[single_line],
        validators=[DataRequired(), Length(max=30)],
        description=f"Shown on your listings and profile; {USERNAME_RULE}",
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    email = EmailField(
        "Email",
        filters=[single_line],
        validators=[DataRequired(), Length(max=254), Email(message="Enter a valid email address.")],
        description="Never shown to others; used for password resets and notifications.",
        render_kw={"autocomplete": "email"},
    )
    password = _new_password_field("Password")
    confirm = _confirm_field()
    submit = SubmitField("Create account")

    def validate_username(self, field: StringField) -> None:
        problem = username_problem(field.data or "")
        if problem:
            raise ValidationError(problem)
        if username_taken(field.data):
            raise ValidationError("That username is taken. Choose another one.")

    def validate_email(self, field: EmailField) -> None:
        if email_taken(field.data):
            raise ValidationError(
                "An account already uses that address. Log in, or reset your password."
            )

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(
            field.data or "", username=self.username.data or "", email=self.email.data or ""
        )
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    # Named "username" although an email works too: the throttle keys on this field.
    username = StringField(
        "Username or email",
        filters=[single_line],
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out changes state, so it must come from our own page."""

    submit = SubmitField("Log out")


class _NewPasswordForm(FlaskForm):
    """A new password, checked against the policy for the account it is for."""

    password = _new_password_field("New password")
    confirm = _confirm_field()

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(
            field.data or "", username=self.user.username, email=self.user.email
        )
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(_NewPasswordForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Change password")

    def validate_current_password(self, field: PasswordField) -> None:
        if not self.user.check_password(field.data or ""):
            raise ValidationError("That is not your current password.")


class ResetPasswordForm(_NewPasswordForm):
    submit = SubmitField("Set the new password")


class ResetRequestForm(FlaskForm):
    email = EmailField(
        "Email",
        filters=[single_line],
        validators=[DataRequired(), Length(max=254), Email(message="Enter a valid email address.")],
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField("Send me a reset link")
