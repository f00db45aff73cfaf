"""The mail of a notification kind: recorded only for people who chose mail for the kind, with
a footer saying why it came and a one-click unsubscribe link (also as List-Unsubscribe)."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import escape

from indexer.mailer import record_mail, site_url
from indexer.notifications import kinds
from indexer.notifications.preferences import wants_mail
from indexer.notifications.unsubscribe import list_unsubscribe_headers, unsubscribe_url
from models import OutgoingMail, User


def notification_mail(
    user: User,
    kind: str,
    subject: str,
    text: str,
    *,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    ref: int | None = None,
    wants: bool | None = None,
) -> OutgoingMail | None:
    """Record a mail of `kind` to `user` in the current transaction, or None if they do not
    want mail of that kind (or their account is disabled). `ref` goes into the unsubscribe
    link for the kind's handler (see Kind.unsubscribe). `wants` is whether they want mail of
    the kind, for a caller that read it already for many people at once
    (preferences.deliveries_for); None: it is read here."""
    spec = kinds.get(kind)
    if wants is None:
        wants = wants_mail(user.id, kind)
    if not user.is_active or not wants:
        return None
    link = unsubscribe_url(user.id, kind, ref)
    settings = site_url("notifications.settings")
    footer = (
        f"You get this mail because your notification settings send \u201c{spec.label}\u201d "
        f"by mail. Change them: {settings}\nStop these mails: {link}\n"
    )
    return record_mail(
        user.email,
        subject,
        f"{text.rstrip()}\n\n-- \n{footer}",
        kind=kind,
        user=user,
        html=_with_html_footer(html, link, settings) if html else None,
        headers={**(headers or {}), **list_unsubscribe_headers(link)},
    )


def _with_html_footer(html: str, link: str, settings: str) -> str:
    footer = (
        "<p><small>"
        f'<a href="{escape(settings)}">Notification settings</a> · '
        f'<a href="{escape(link)}">Stop these mails</a></small></p>'
    )
    position = html.lower().rfind("</body>")
    return html[:position] + footer + html[position:] if position >= 0 else html + footer
