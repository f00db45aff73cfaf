"""Outgoing mail that is never lost: recorded with the change that causes it, sent by a task,
re-sent by a periodic relay, never sent twice by a retry.

    record_mail(...)     record one mail in the current transaction (indexer/mailer/outbox.py)
    safe_subject(text)   the one way to make a subject header-safe (indexer/mailer/subjects.py)
    site_url(endpoint)   an absolute link for a mail, built on SITE_URL (indexer/mailer/links.py)

Delivery (claim, SMTP, backoff) is in indexer/mailer/delivery.py, the relay and pruning in
indexer/mailer/relay.py, the Celery tasks in indexer/mail.py.
"""

from indexer.mailer.links import site_url
from indexer.mailer.outbox import record_mail
from indexer.mailer.subjects import safe_subject

__all__ = ["record_mail", "safe_subject", "site_url"]
