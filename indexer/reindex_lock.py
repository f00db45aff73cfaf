"""One reindex at a time per index alias, with a lock that dies with the process holding it.

On PostgreSQL it is a session-level advisory lock held on a connection of its own for the whole
run: if the process crashes or is killed, the server closes the connection and the lock is free
again, so a crashed run never blocks the next one (a lock row or a Redis key with a timeout
would have to guess how long a rebuild may take). On SQLite, which has no such lock, it is an
exclusive `flock` on a file beside the database, which the kernel also releases when the process
ends; it only keeps apart processes on one machine, which is all a SQLite site has.
"""

from __future__ import annotations

import fcntl
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

# First half of the two-part advisory lock key: "reindex" among the site's advisory locks.
LOCK_NAMESPACE = 0x7E1D


class ReindexRunning(Exception):
    """Another reindex of the same alias holds the lock."""


@contextmanager
def reindex_lock(engine: Engine, alias: str) -> Iterator[None]:
    """Hold the reindex lock for `alias`, or raise ReindexRunning at once."""
    lock = _postgres_lock if engine.dialect.name == "postgresql" else _file_lock
    with lock(engine, alias):
        yield


def is_locked(engine: Engine, alias: str) -> bool:
    """Whether a reindex of `alias` is running now."""
    try:
        with reindex_lock(engine, alias):
            return False
    except ReindexRunning:
        return True


@contextmanager
def _postgres_lock(engine: Engine, alias: str) -> Iterator[None]:
    key = {"namespace": LOCK_NAMESPACE, "key": _key(alias)}
    # Autocommit: the lock belongs to the connection, and no transaction stays open for hours.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        taken = connection.scalar(text("SELECT pg_try_advisory_lock(:namespace, :key)"), key)
        if not taken:
            raise ReindexRunning(f"Another reindex of {alias!r} is running (advisory lock).")
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:namespace, :key)"), key)


@contextmanager
def _file_lock(engine: Engine, alias: str) -> Iterator[None]:
    path = _lock_path(engine, alias)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReindexRunning(f"Another reindex of {alias!r} is running ({path}).") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _key(alias: str) -> int:
    # A stable signed 32-bit number for the alias (advisory lock keys are int4 pairs).
    return zlib.crc32(alias.encode()) - 2**31


def _lock_path(engine: Engine, alias: str) -> Path:
    database = engine.url.database
    on_disk = database and database != ":memory:"
    folder = Path(database).resolve().parent if on_disk else Path(tempfile.gettempdir())
    return folder / f".reindex-{alias}.lock"
