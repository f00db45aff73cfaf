"""The load step: a fresh database seeded with `manage.py seed`, indexed by `manage.py reindex`,
each timed as a whole command (start-up included), as an operator would run them."""

from __future__ import annotations

import os
import shlex
import sys
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from bench.reindex import documents_per_second, manage
from bench.scale import stack


def loaded(env: dict[str, str], listings: int) -> dict | None:
    """The load's figures if the database and index of this scale are there from a run with
    --keep (its note says the load finished), else None."""
    note = stack.read_note(env["DATABASE_URL"])
    return note if note and note.get("listings") == listings else None


def load(env: dict[str, str], listings: int, es) -> dict:
    """Seed and index `listings` from scratch; returns the figures (also noted on the database)."""
    database_url = env["DATABASE_URL"]
    stack.drop_indices(es, env["ELASTICSEARCH_INDEX"])
    stack.create_database(database_url)
    command_env = {**os.environ, **env}
    manage(command_env, "db", "upgrade")
    note: dict = {
        "listings": listings,
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "command": "python -m bench.scale " + shlex.join(sys.argv[1:]),
    }

    load_average = os.getloadavg()[0]
    started = time.perf_counter()
    output = manage(command_env, "seed", "--listings", str(listings), "--seed", "1")
    note["seed_seconds"] = time.perf_counter() - started
    note["seed_load_average"] = [load_average, os.getloadavg()[0]]
    note["seed_summary"] = output.strip().splitlines()[-3:]
    print(f"seeded {listings:,} listings in {note['seed_seconds']:.0f} s", flush=True)

    load_average = os.getloadavg()[0]
    started = time.perf_counter()
    output = manage(command_env, "reindex")
    note["reindex_seconds"] = time.perf_counter() - started
    note["reindex_documents_per_second"] = documents_per_second(output)
    note["reindex_load_average"] = [load_average, os.getloadavg()[0]]
    print(
        f"reindexed in {note['reindex_seconds']:.0f} s "
        f"({note['reindex_documents_per_second']:,.0f} documents/s)",
        flush=True,
    )
    note["outbox_settled"] = settle_outbox(database_url)
    stack.write_note(database_url, note)
    return note


def settle_outbox(database_url: str) -> int:
    """Mark the seed's outbox entries processed; returns how many.

    The seed writes an outbox entry per listing for the pipeline, and `manage.py reindex` does
    not mark them: the first worker to start would send every seeded listing to the index
    again, after the reindex already put it there. That replay is not what the lag under a
    steady write load is about, so it is settled here, once the reindex has succeeded.
    """
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            return connection.execute(
                text(
                    "UPDATE outbox SET processed_at = timezone('utc', now()) "
                    "WHERE processed_at IS NULL"
                )
            ).rowcount
    finally:
        engine.dispose()
