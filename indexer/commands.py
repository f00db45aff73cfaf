"""The index's operational commands (manage.py): `reindex`, `reconcile`, `index-status` and
`retry-parked`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import click
from elasticsearch import ApiError, Elasticsearch, TransportError
from flask import current_app
from flask.cli import with_appcontext

from indexer.compare import Difference, Kind
from indexer.index_status import IndexInfo, IndexStatus, index_status
from indexer.parked import parked_entries, retry_parked
from indexer.rebuild import Rebuild, RebuildFailed, RebuildReport
from indexer.reconcile import NoLiveIndex, ReconcileReport, reconcile
from indexer.reindex_lock import ReindexRunning
from models import db
from search.index import get_client
from settings import Settings


@click.command("reindex")
@click.option(
    "--keep-old",
    is_flag=True,
    help="Keep the previous index (without its aliases) instead of deleting it.",
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Let the new index go live even with under 90% of the live index's documents.",
)
@with_appcontext
def reindex(keep_old: bool, allow_shrink: bool) -> None:
    """Build a new search index from the database and switch searches to it.

    Every listing is read from the database into a new index (refresh off, no replicas);
    changes made meanwhile reach it too. The new index is checked against the database, id by
    id and version by version, and only then do the search and write aliases move to it, in one
    step. Until then the site searches the old index; a run that fails or is interrupted deletes
    the new index and changes nothing. Only one reindex runs at a time.
    """
    settings = _settings()
    with _elasticsearch(settings) as es:
        rebuild = Rebuild(
            es,
            db.engine,
            settings,
            keep_old=keep_old,
            allow_shrink=allow_shrink,
            say=click.echo,
            progress=_progress_bar,
        )
        try:
            report = rebuild.run()
        except (RebuildFailed, ReindexRunning) as error:
            raise click.ClickException(str(error)) from None
    _print_rebuild(report, settings)


@click.command("reconcile")
@click.option("--dry-run", is_flag=True, help="Only print the differences; exit 1 if any.")
@click.option(
    "--now",
    "send_now",
    is_flag=True,
    help="Also write the repaired listings to the index at once (when no worker is running).",
)
@click.option(
    "--show",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Print at most this many differences (all are counted).",
)
@with_appcontext
def reconcile_command(dry_run: bool, send_now: bool, show: int) -> None:
    """Compare the search index with the database and repair what differs.

    Every listing's id, version and status in the database is compared with the live index:
    missing and stale documents get an outbox entry (the relay sends them), documents newer
    than their row get the row's version moved past them, and documents with no listing are
    deleted. With --dry-run nothing changes and the exit status is 1 if anything differs, for
    scripts and monitoring.
    """
    settings = _settings()
    shown = []

    def print_difference(difference: Difference) -> None:
        if len(shown) < show:
            click.echo(f"  {difference.describe()}")
        shown.append(difference.kind)

    with _elasticsearch(settings) as es:
        try:
            report = reconcile(
                es,
                db.engine,
                settings,
                repair=not dry_run,
                send_now=send_now and not dry_run,
                on_difference=print_difference,
            )
        except NoLiveIndex as error:
            raise click.ClickException(str(error)) from None
    if len(shown) > show:
        click.echo(f"  ... and {len(shown) - show:,} more")
    _print_reconcile(report, dry_run)
    if dry_run and report.differences:
        raise SystemExit(1)


@click.command("index-status")
@with_appcontext
def index_status_command() -> None:
    """Show where the search aliases point, document counts, and the outbox backlog."""
    settings = _settings()
    with _elasticsearch(settings) as es:
        status = index_status(es, db.engine, settings)
    _print_status(status)


@click.command("retry-parked")
@click.option(
    "--listing",
    "listing_ids",
    type=click.IntRange(min=1),
    multiple=True,
    help="Only this listing's entries (repeatable).",
)
@click.option("--dry-run", is_flag=True, help="Only list the parked entries and their errors.")
@with_appcontext
def retry_parked_command(listing_ids: tuple[int, ...], dry_run: bool) -> None:
    """Send parked outbox entries to the index again.

    An entry is parked after repeated refusals by Elasticsearch, with its last error, so that it
    holds up nothing else (`index-status` and /healthz count them). Fix the cause first (a new
    mapping through `reindex`, or the listing itself), then run this: the entries go back in the
    queue with a fresh count of attempts, and the relay sends them within seconds.
    """
    _settings()
    entries = parked_entries(db.session, listing_ids)
    for entry in entries:
        error = (entry.last_error or "no error recorded").splitlines()[0][:160]
        click.echo(
            f"  entry {entry.id}: listing {entry.listing_id} v{entry.version}, "
            f"{entry.attempts} attempts, parked {entry.parked_at:%Y-%m-%d %H:%M} UTC: {error}"
        )
    if dry_run:
        click.echo(f"{len(entries):,} parked entries; nothing changed (--dry-run).")
        return
    retried = retry_parked(db.session, listing_ids)
    db.session.commit()
    click.echo(f"{retried:,} parked entries are queued again; the relay sends them next.")


COMMANDS = (reindex, reconcile_command, index_status_command, retry_parked_command)


def _settings() -> Settings:
    settings = current_app.extensions["settings"]
    if settings.ELASTICSEARCH_URL is None:
        raise click.ClickException(
            "ELASTICSEARCH_URL is not set: the embedded search backend has no index to manage. "
            "Set it (e.g. http://127.0.0.1:59200 after `manage.py services up`)."
        )
    return settings


@contextmanager
def _elasticsearch(settings: Settings) -> Iterator[Elasticsearch]:
    """The client; a server that cannot be reached or refuses becomes a one-line error."""
    try:
        yield get_client(settings)
    except ApiError as error:
        raise click.ClickException(f"Elasticsearch refused a request: {error}") from None
    except TransportError as error:
        raise click.ClickException(
            f"Cannot reach Elasticsearch at {settings.elasticsearch_shown}: {error.message}"
        ) from None


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[int], None]]:
    with click.progressbar(length=total, label="Indexing", show_pos=True, width=30) as bar:
        yield bar.update


def _print_rebuild(report: RebuildReport, settings: Settings) -> None:
    loaded = report.loaded
    click.echo(
        f"Loaded {loaded.done:,} documents in {report.load_seconds:.1f} s: "
        f"{report.docs_per_second:,.0f} documents/s."
    )
    click.echo(
        f"Replayed {report.replayed:,} listings changed during the load; "
        f"verification found {report.repaired:,} more behind and wrote them."
    )
    click.echo(
        f"Live: {settings.ELASTICSEARCH_INDEX} -> {report.index} "
        f"({report.documents:,} documents, checked against {report.listings:,} listings)."
    )
    if report.previous:
        fate = "kept, without aliases" if report.kept_previous else "deleted"
        click.echo(f"Previous: {', '.join(report.previous)} ({fate}).")
    if report.settled:
        click.echo(
            f"Marked {report.settled:,} outbox entries done: the new index holds their versions."
        )


def _print_reconcile(report: ReconcileReport, dry_run: bool) -> None:
    counts = ", ".join(f"{report.found[kind]:,} {kind}" for kind in Kind)
    click.echo(
        f"Compared {report.listings:,} listings with {report.documents:,} documents in "
        f"{report.index}: {counts}."
    )
    if dry_run or not report.differences:
        return
    click.echo(
        f"Repaired: {report.queued:,} outbox entries queued for the relay "
        f"({report.bumped:,} of them after moving the row's version past the index's), "
        f"{report.deleted:,} documents without a listing deleted."
    )
    if report.sent is not None:
        sent = report.sent
        click.echo(
            f"Sent now: {sent.written:,} written, {sent.outdated:,} already newer in the index, "
            f"{sent.failed:,} refused."
        )


def _print_status(status: IndexStatus) -> None:
    click.echo(f"Search alias  {status.alias} -> {_indices(status.live)}")
    click.echo(f"Write alias   {status.write_alias} -> {', '.join(status.writes_to) or 'none'}")
    if not status.building:
        click.echo("Building      none")
    for info in status.building:
        state = (
            "a reindex is running"
            if status.reindex_running
            else "left by an interrupted reindex; the next reindex deletes it"
        )
        click.echo(f"Building      {info.name} ({info.written:,} documents written; {state})")
    if status.unaliased:
        click.echo(f"Not aliased   {_indices(status.unaliased)}")
    age = f", the oldest {_age(status.oldest_pending_age)} old" if status.pending else ""
    failing = f", {status.failing:,} of them failed before" if status.failing else ""
    click.echo(f"Outbox        {status.pending:,} pending{age}{failing}")


def _indices(infos: list[IndexInfo]) -> str:
    return ", ".join(f"{i.name} ({i.documents:,} documents)" for i in infos) or "none"


def _age(age: timedelta | None) -> str:
    seconds = age.total_seconds() if age else 0.0
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
