"""Notifications: the bell, the notifications page, and how each person wants to be told.

    notify(user, kind, ..., mail=MailContent(...))   a notification (+ its mail), uncommitted
    notification_mail(user, kind, subject, text)     only the mail of a kind (e.g. a digest)
    kinds.register(Kind(...))                        a new kind; template per kind
    preferences.delivery_for / wants_mail / set_delivery
    unsubscribe.unsubscribe_url(user_id, kind, ref)  signed one-click link

The web side (bell, page, settings, unsubscribe) is web/notifications/.
"""

from indexer.notifications import kinds
from indexer.notifications.center import MailContent, notify
from indexer.notifications.mail import notification_mail

__all__ = ["MailContent", "kinds", "notification_mail", "notify"]
