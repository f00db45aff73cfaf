"""Rate limits on guessing: per client address AND per targeted account.

The address limit stops one machine trying many accounts; the account limit stops many
machines (a botnet) trying one account. Both count POSTs only, so showing the form is free.
Limits come from the settings at request time (LOGIN_RATE_LIMIT, RESET_RATE_LIMIT) and live in
Redis, shared by every web process.

The client address is REMOTE_ADDR: behind a reverse proxy that is the proxy's own address
(one shared bucket for everyone) until the app is wrapped in werkzeug's ProxyFix with the
number of trusted proxies.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from web.extensions import limiter


def login_limit() -> str:
    return current_app.extensions["settings"].LOGIN_RATE_LIMIT


def reset_limit() -> str:
    return current_app.extensions["settings"].RESET_RATE_LIMIT


def register_limit() -> str:
    return current_app.extensions["settings"].REGISTER_RATE_LIMIT


def per_address(limit: Callable[[], str], name: str):
    """Decorate a view with `limit` on POSTs per client address (below the route decorator).

    Registration says whether a name or address is taken, so it is throttled too, or it would
    let one machine list who has an account.
    """
    return limiter.limit(limit, key_func=get_remote_address, methods=["POST"], scope=name)


def submitted_account() -> str:
    """The account an attempt aims at: the submitted username or email, in lower case."""
    value = request.form.get("username") or request.form.get("email") or ""
    return "account:" + value.strip().lower()[:254]


def signed_in_account() -> str:
    """The logged-in user, for forms that ask them for their password again."""
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def per_address_and_account(limit: Callable[[], str], name: str, account_key=submitted_account):
    """Decorate a view with the same `limit` twice: by client address and by account.

    Goes below the route decorator. `name` keeps the two counters of each view apart.
    """

    def decorate(view):
        view = limiter.limit(
            limit, key_func=get_remote_address, methods=["POST"], scope=f"{name}-address"
        )(view)
        return limiter.limit(
            limit, key_func=account_key, methods=["POST"], scope=f"{name}-account"
        )(view)

    return decorate
