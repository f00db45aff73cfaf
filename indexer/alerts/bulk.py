"""Inserting thousands of rows in one statement, duplicates skipped: an alert run's notifications
and mail items.

On PostgreSQL the rows travel as one JSON parameter, unpacked by `json_to_recordset`: psycopg
rewrites every placeholder of a statement in Python before sending it, and for a multi-row
INSERT of thousands of rows that costs more than the insert itself (see docs/BENCHMARKS.md,
"Saved-search alerts"). SQLite takes the rows as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import JSON, Column, Row, Table, bindparam, column, func, select
from sqlalchemy.dialects import postgresql, sqlite

from models import db


def insert_new(table: Table, rows: list[dict], returning: Sequence[Column] = ()) -> list[Row]:
    """INSERT `rows` into `table`, ON CONFLICT DO NOTHING, in the current transaction; returns
    the `returning` columns of the rows actually inserted (none when `returning` is empty)."""
    if not rows:
        return []
    names = list(rows[0])
    if db.session.get_bind().dialect.name != "postgresql":
        statement = sqlite.insert(table).on_conflict_do_nothing()
        if returning:
            return list(db.session.execute(statement.returning(*returning), rows))
        db.session.execute(statement, rows)
        return []
    record = (
        func.json_to_recordset(bindparam("rows", type_=JSON))
        .table_valued(*(column(name, table.c[name].type) for name in names))
        .render_derived(name="r", with_types=True)
    )
    statement = (
        postgresql.insert(table)
        .from_select(names, select(*(record.c[name] for name in names)))
        .on_conflict_do_nothing()
    )
    if returning:
        statement = statement.returning(*returning)
    plain = [{name: _plain(value) for name, value in row.items()} for row in rows]
    result = db.session.execute(statement, {"rows": plain})
    return list(result) if returning else []


def _plain(value: object) -> object:
    # Timestamps as PostgreSQL reads them back from JSON text; everything else is JSON already.
    return value.isoformat() if isinstance(value, datetime) else value
