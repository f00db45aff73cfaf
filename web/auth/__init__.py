"""Accounts: register, log in and out, change and reset passwords."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from web.auth import reset, routes  # noqa: E402,F401  (views attach themselves to bp)
