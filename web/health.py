"""`/healthz`: the state of each dependency, and 503 when a required one is down."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from web.dependencies import check_all

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    checks = check_all(current_app.extensions["settings"], current_app.extensions["task_failures"])
    failing = [c for c in checks if c.required and not c.ok]
    body = {
        "status": "unavailable" if failing else ("ok" if all(c.ok for c in checks) else "degraded"),
        "checks": {c.name: c.as_dict() for c in checks},
    }
    return jsonify(body), 503 if failing else 200
