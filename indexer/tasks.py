"""Background tasks. Each is idempotent: with `acks_late` a task may run more than once."""

from __future__ import annotations

from indexer.alerts.run import run_alerts_task  # noqa: F401  (saved-search alerts)
from indexer.lifecycle import expire_listings  # noqa: F401  (expiry warnings and expiries)
from indexer.mail import prune_mail, relay_mail, send_mail, send_mails  # noqa: F401  (registered on import)
from indexer.pipeline import prune_outbox, relay_outbox, sync_listings  # noqa: F401  (the index)
