"""Error pages: every failure reaches the user as a clear page (or JSON for API clients),
never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def render_error(code: int, title: str, message: str):
    if _wants_json():
        return jsonify(error=title, message=message), code
    try:
        return render_template("error.html", code=code, title=title, message=message), code
    except Exception:  # the page itself failed (say, the database is down): plain text then
        log.exception("Could not render the error page")
        return f"{code} {title}\n{message}\n", code, {"Content-Type": "text/plain; charset=utf-8"}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return render_error(
            400,
            "Form expired",
            "The form was missing its security token or it had expired. "
            "Go back, reload the page and try again.",
        )

    @app.errorhandler(StaleDataError)
    def _stale(error: StaleDataError):
        from models import db

        db.session.rollback()
        conflict = Conflict("Someone changed this item at the same time. Reload and try again.")
        return render_error(409, "Changed meanwhile", conflict.description)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code == 429:
            # The description is the limit that was hit, e.g. "10 per 15 minute".
            return render_error(
                429,
                "Too many attempts",
                "There have been too many attempts in a short time, so we have paused this "
                f"for a while to protect accounts from abuse (limit: {error.description}). "
                "Wait a few minutes, then try again.",
            )
        return render_error(error.code or 500, error.name, error.description or "")

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        from models import db

        db.session.rollback()
        return render_error(500, "Something went wrong", InternalServerError.description)
