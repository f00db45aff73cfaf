"""Saved-search alerts: new matches become notifications and, per each search's frequency, mail.

    models/alerts.py   the queue of changed listings (written with each change) and pending mail
    candidates.py      which queued listings the index has caught up with
    matching.py        saved searches run many at a time (msearch / SQL), and their counts
    record.py          matches -> notifications (+ mail items), each exactly once
    mailing.py         the mail that is due: instant (gathered), daily and weekly digests
    run.py             one cycle, and its Celery task (beat, every minute)
    trigger.py         without a broker (the embedded default) a cycle runs after each change
    unsubscribe.py     a mail's one-click link stops mail for its saved search

The design and its guarantees are written down in docs/ARCHITECTURE.md ("Saved searches and
alerts").
"""

from indexer.alerts import trigger, unsubscribe  # noqa: F401  (hooks and the kind's handler)
