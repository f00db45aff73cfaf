#!/usr/bin/env python
"""The one CLI of Classifieds.

    python manage.py run                 serve the site (Flask's development server)
    python manage.py db upgrade          apply migrations (Flask-Migrate / Alembic)
    python manage.py seed --listings N   demo data
    python manage.py services up|down|status
    python manage.py worker | beat       Celery worker / scheduler (needs REDIS_URL)
    python manage.py dev                 web + worker + beat on the local services; Ctrl-C stops
    python manage.py grant-admin NAME
    python manage.py reindex | reconcile | index-status    the search index (ELASTICSEARCH_URL)

`python manage.py --help` lists every command; each has its own --help.
"""

from __future__ import annotations

import os
import sys

import click
from flask.cli import FlaskGroup

from settings import SettingsError


def _create_app():
    from web import create_app

    try:
        return create_app()
    except SettingsError as error:
        click.echo(str(error), err=True)
        sys.exit(2)


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def cli() -> None:
    """Manage the Classifieds site: serve it, migrate, seed, and run its services and workers."""


def _celery(*args: str) -> None:
    os.execvp(
        sys.executable, [sys.executable, "-m", "celery", "-A", "indexer.worker:celery", *args]
    )


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker(celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker (extra arguments go to celery)."""
    _celery("worker", "--loglevel=INFO", *celery_args)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def beat(celery_args: tuple[str, ...]) -> None:
    """Run Celery beat, which sends the periodic tasks (extra arguments go to celery)."""
    _celery("beat", "--loglevel=INFO", *celery_args)


def _add_services_command() -> None:
    # The services command needs no app: it must work before any configuration is valid.
    from scripts.services import services

    cli.add_command(services)


def _add_dev_command() -> None:
    # Neither does `dev`: its web, worker and beat processes build their own.
    from scripts.dev import dev

    cli.add_command(dev)


_add_services_command()
_add_dev_command()

if __name__ == "__main__":
    from web.log_config import configure_logging

    configure_logging()
    cli()
