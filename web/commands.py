"""Operational CLI commands, registered on the Flask CLI that `manage.py` runs."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from models import User, db
from models.category_tree import install_category_tree


@click.command("init-categories")
def init_categories() -> None:
    """Install the standard category tree (idempotent)."""
    added = install_category_tree(db.session)
    db.session.commit()
    click.echo(f"Categories installed ({added} added).")


@click.command("grant-admin")
@click.argument("username")
@click.option("--revoke", is_flag=True, help="Take the admin role away instead.")
def grant_admin(username: str, revoke: bool) -> None:
    """Give USERNAME (or email) the admin role, or take it away with --revoke."""
    user = db.session.scalar(
        select(User).where(
            (func.lower(User.username) == username.lower())
            | (func.lower(User.email) == username.lower())
        )
    )
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    user.is_admin = not revoke
    db.session.commit()
    click.echo(f"{user.username} is {'no longer' if revoke else 'now'} an admin.")


def register(app: Flask) -> None:
    from indexer.alerts.commands import alerts
    from indexer.commands import COMMANDS as INDEX_COMMANDS
    from indexer.mailer.commands import mail
    from scripts.seed import seed

    for command in (init_categories, grant_admin, seed, mail, alerts, *INDEX_COMMANDS):
        app.cli.add_command(command)
