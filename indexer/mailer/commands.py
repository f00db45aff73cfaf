"""`manage.py mail ...`: the relay and pruning by hand (beat runs them on the real stack; on the
embedded default, which has no beat, a temporary failure waits for `mail relay`)."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from indexer.mailer.relay import prune_finished, relay_due
from models import OutgoingMail, db


@click.group("mail")
def mail() -> None:
    """Outgoing mail: its state, the relay, pruning."""


@mail.command("status")
def status() -> None:
    """How many mails are in each state."""
    counts = db.session.execute(
        select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)
    ).all()
    for state, count in sorted(counts):
        click.echo(f"{state.value:<11}{count}")
    if not counts:
        click.echo("No mail recorded.")


@mail.command("relay")
def relay() -> None:
    """Queue (or, without a broker, send) every mail that is due now."""
    click.echo(f"{relay_due()} mail(s) queued.")


@mail.command("prune")
@click.option("--days", type=click.IntRange(min=1), help="Days to keep (MAIL_RETENTION_DAYS).")
def prune(days: int | None) -> None:
    """Delete sent, failed and suppressed mail older than the retention period."""
    click.echo(f"{prune_finished(retention_days=days)} finished mail(s) deleted.")
