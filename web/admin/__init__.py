"""Moderation: the queue of reported listings and the hide / restore / dismiss actions."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only() -> None:
    # Every page and action here is for admins; to anyone else the section does not exist.
    from web.authz import require_admin

    require_admin()


from web.admin import routes  # noqa: E402,F401  (routes attach themselves to bp)
