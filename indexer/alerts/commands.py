"""`manage.py alerts ...`: how far behind the alerts are, and one cycle by hand (beat runs it
every minute on the real stack; the embedded default runs one after each change)."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from indexer.alerts.run import run_alerts
from models import AlertMailItem, AlertQueueEntry, SavedSearch, db, utcnow


@click.group("alerts")
def alerts() -> None:
    """Saved-search alerts: their backlog, and a cycle by hand."""


@alerts.command("status")
def status() -> None:
    """Saved searches, listings waiting to be matched, matches waiting for their mail."""
    searches = db.session.scalar(select(func.count(SavedSearch.id)))
    paused = db.session.scalar(
        select(func.count(SavedSearch.id)).where(SavedSearch.paused_at.is_not(None))
    )
    queued, oldest = db.session.execute(
        select(func.count(AlertQueueEntry.listing_id), func.min(AlertQueueEntry.queued_at))
    ).one()
    pending = db.session.scalar(select(func.count()).select_from(AlertMailItem))
    click.echo(f"saved searches     {searches} ({paused} paused)")
    waited = f" (the oldest for {utcnow() - oldest})" if oldest else ""
    click.echo(f"listings queued    {queued}{waited}")
    click.echo(f"matches for mail   {pending}")


@alerts.command("run")
def run() -> None:
    """Run one alert cycle now: match what the index has caught up with, record due mail."""
    report = run_alerts()
    for name, value in report.as_dict().items():
        click.echo(f"{name.replace('_', ' '):<18} {value}")
