"""Background tasks. Each is idempotent: with `acks_late` a task may run more than once."""

from __future__ import annotations

from indexer.mail import send_mail  # noqa: F401  (registered with Celery on import)
