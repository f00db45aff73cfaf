"""Where the seed command's rows go: PostgreSQL through `COPY`, SQLite through plain INSERTs.

Rows arrive as tuples with their ids already set, so nothing has to come back from the
database (no RETURNING): the ids are reserved first, from PostgreSQL's sequences or, on
SQLite, above the highest id in use. Only photos, made one batch at a time in this process,
take their ids from the column default; favourites have none.

PostgreSQL commits every batch, so an interrupted seed keeps what it wrote, and batches may be
written by several worker processes at once, each on its own connection. SQLite keeps one
transaction from the first reservation to the end: the ids it reserved are only safe while it
holds SQLite's single write lock.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

from psycopg import sql
from sqlalchemy import create_engine, insert, text
from sqlalchemy.orm import Session

from models import db


class RowStore(abc.ABC):
    """Writes batches of rows into tables; `open_store` picks the kind for the database."""

    parallel: bool  # whether other connections may write batches at the same time
    keeps_committed_batches: bool  # whether an interrupted seed leaves its earlier batches

    def __init__(self, session: Session):
        self.session = session

    @property
    def url(self) -> str:
        """The database's URL, password included, for workers to connect with."""
        return self.session.get_bind().url.render_as_string(hide_password=False)

    @abc.abstractmethod
    def reserve_ids(self, table: str, count: int) -> int:
        """Make `count` consecutive ids of `table` ours; returns the first."""
        ...

    @abc.abstractmethod
    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        """Add `rows` (tuples in the order of `columns`) to `table`, in the open transaction."""
        ...

    @abc.abstractmethod
    def end_batch(self) -> bool:
        """A batch is complete; returns whether it is committed (durable) now."""
        ...

    def finish(self) -> None:
        """Commit whatever is still open."""
        self.session.commit()

    def abort(self) -> None:
        self.session.rollback()


class PostgresStore(RowStore):
    """Binary COPY through psycopg 3's `cursor.copy()`, one transaction per batch.

    Binary, because both sides then skip turning numbers and timestamps into text and back:
    a third of the time of text COPY here. It needs each column's type, read from the catalog.
    """

    parallel = True  # batches may be written by several connections at once
    keeps_committed_batches = True

    def __init__(self, session: Session):
        super().__init__(session)
        self._types: dict[str, dict[str, int]] = {}

    @classmethod
    def connect(cls, url: str) -> PostgresStore:
        """A store on a connection of its own, kept from batch to batch (a worker process's)."""
        return cls(Session(create_engine(url, pool_size=1, max_overflow=0)))

    def reserve_ids(self, table: str, count: int) -> int:
        if count <= 0:
            return 0
        # The lock conflicts with INSERT's, so no other session draws from the sequence
        # between our nextval and setval; it is held only for this short transaction.
        self.session.execute(text(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE'))
        first = self.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'),"
                " nextval(pg_get_serial_sequence(:table, 'id')) + :count - 1) - :count + 1"
            ),
            {"table": table, "count": count},
        ).scalar_one()
        self.session.commit()
        return first

    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        if not rows:
            return
        statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        cursor = self.session.connection().connection.dbapi_connection.cursor()
        with cursor:
            types = self._column_types(cursor, table)
            with cursor.copy(statement) as copy:
                copy.set_types([types[column] for column in columns])
                for row in rows:
                    copy.write_row(row)

    def _column_types(self, cursor, table: str) -> dict[str, int]:
        """Column name -> type oid, read once per table."""
        if table not in self._types:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                (table,),
            )
            self._types[table] = dict(cursor.fetchall())
        return self._types[table]

    def end_batch(self) -> bool:
        self.session.commit()
        return True


class SQLiteStore(RowStore):
    """Multi-row INSERTs through SQLAlchemy Core (it turns datetimes into SQLite's text)."""

    parallel = False  # one writer, one transaction
    keeps_committed_batches = False

    def reserve_ids(self, table: str, count: int) -> int:
        # A write that changes nothing still takes the write lock, before we read the top id.
        self.session.execute(text(f'UPDATE "{table}" SET id = id WHERE 0'))
        top = self.session.execute(text(f'SELECT max(id) FROM "{table}"')).scalar()
        return (top or 0) + 1

    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        if rows:
            values = [dict(zip(columns, row, strict=True)) for row in rows]
            self.session.execute(insert(db.metadata.tables[table]), values)

    def end_batch(self) -> bool:
        return False  # see the module's docstring: one transaction to the end


def open_store(session: Session) -> RowStore:
    """The store for the session's database."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return PostgresStore(session)
    if dialect == "sqlite":
        return SQLiteStore(session)
    raise ValueError(f"Cannot seed a {dialect} database")
