"""The bell, the notifications page, notification settings and one-click unsubscribe links."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)


@bp.record_once
def _add_template_helpers(state) -> None:
    from web.notifications.bell import unread_notification_count

    state.app.jinja_env.globals["unread_notification_count"] = unread_notification_count


from web.notifications import routes, settings  # noqa: E402,F401  (attach to bp)
