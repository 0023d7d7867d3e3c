"""Set-based inserts of pre-built rows: COPY on PostgreSQL, ``executemany`` on SQLite (the demo and imports).

The demo's big tables (a million listings, properties and clients) are written here instead
of through ``bulk_create``: building a model instance per row and preparing every field of
it costs more than generating the data. Ids are assigned by the demo, not by the database,
so that listings can point at properties without reading anything back, and so that two runs
on an empty database give the same ids on any backend (PostgreSQL sequences are not rolled
back with a transaction; a ``max(id) + 1`` start is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from anju.core.changes import note_write

UTC = dt.UTC


def next_id(model: type[models.Model]) -> int:
    """The first id after every row the table holds: only for the demo, which runs alone, so nobody
    races it. Writers that run beside others take ``reserve_ids``."""
    highest = model._default_manager.aggregate(highest=Max("pk"))["highest"]
    return (highest or 0) + 1


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows, so that related rows can point at them before insert.

    PostgreSQL hands them out from the table's sequence (safe with concurrent writers). SQLite
    runs every transaction ``BEGIN IMMEDIATE`` (see settings), so inside one nobody else inserts:
    the ids follow both the highest id and the highest ever used (AUTOINCREMENT never reuses an
    id, and history rows of deleted records still carry theirs).
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk_column = (model._meta.pk.column if model._meta.pk else None) or "id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk_column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids needs a transaction holding the write lock")
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quote(pk_column)}) FROM {quote(table)}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        if row and row[0]:
            highest = max(highest, row[0])
    return list(range(highest + 1, highest + 1 + count))


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """After explicit ids, point PostgreSQL's sequences past them (SQLite's AUTOINCREMENT follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _column(field: models.Field) -> str:
    if field.column is None:  # only non-concrete fields lack a column
        raise ValueError(f"{field} has no column")
    return field.column


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    # What Django's SQLite backend stores for an aware datetime: naive UTC, space-separated.
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ")


class TableWriter:
    """Writes tuples holding ``columns`` (attnames, in that order) into ``model``'s table.

    Concrete fields the caller does not supply get their model default, so a field added to
    the model later (with a default, as migrations require) does not break the demo.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        missing = [f for name, f in fields.items() if name not in columns]
        self._filler = tuple(f.get_db_prep_save(f.get_default(), connection) for f in missing)
        all_fields = [fields[name] for name in columns] + missing
        quote = connection.ops.quote_name
        self._table = quote(model._meta.db_table)
        self._column_list = ", ".join(quote(_column(f)) for f in all_fields)
        self._vendor = connection.vendor
        self._adapters: list[tuple[int, Callable[[Any], Any]]] = []
        if self._vendor != "postgresql":
            for index, name in enumerate(columns):
                field = fields[name]
                if isinstance(field, models.DateTimeField):
                    adapt = (
                        _sqlite_datetime
                        if self._vendor == "sqlite"
                        else connection.ops.adapt_datetimefield_value
                    )
                    self._adapters.append((index, adapt))
        placeholders = ", ".join(["%s"] * len(all_fields))
        self._insert_sql = f"INSERT INTO {self._table} ({self._column_list}) VALUES ({placeholders})"  # noqa: S608

    def write(self, rows: Iterable[tuple]) -> None:
        filler = self._filler
        if self._vendor == "postgresql":
            with connection.cursor() as cursor:
                # The psycopg cursor underneath Django's wrapper; COPY streams without per-row statements.
                raw_cursor = cursor.cursor
                with raw_cursor.copy(f"COPY {self._table} ({self._column_list}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + filler if filler else row)
            note_write()  # the execute wrapper that notices writes does not see COPY; after it, not before
            return
        adapters = self._adapters
        prepared = []
        for row in rows:
            values = list(row)
            for index, adapt in adapters:
                values[index] = adapt(values[index])
            prepared.append((*values, *filler))
        with connection.cursor() as cursor:
            cursor.executemany(self._insert_sql, prepared)


def defer_indexes_and_foreign_keys(model_list: Sequence[type[models.Model]]) -> list[str]:
    """Drop the plain indexes (and, on PostgreSQL, the foreign keys) of empty tables.

    Returns the statements that put them back. Sorting a million keys once is far cheaper
    than a million random insertions into each B-tree, and one anti-join validating a foreign
    key is far cheaper than a trigger per row. Measured for 1M listings and 1M clients on two
    cores: SQLite 273 s with every index in place, 77–89 s this way; PostgreSQL 132 s with
    the foreign keys in place (three quarters of it waiting on their per-row checks), 77 s
    this way. Indexes that a constraint owns (primary keys, unique constraints) stay. The DDL
    is transactional on SQLite and PostgreSQL: a failed run leaves the schema as it was. A
    table that already holds rows keeps everything.
    """
    restore: list[str] = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in model_list:
            if model._default_manager.exists():
                continue
            table = model._meta.db_table
            for name, definition in _plain_indexes(cursor, table):
                cursor.execute(f"DROP INDEX {quote(name)}")
                restore.append(definition)
            for name, definition in _foreign_keys(cursor, table):
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                restore.append(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    return restore


def run_statements(statements: Iterable[str], done: Callable[[], Any]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            done()


def _foreign_keys(cursor: Any, table: str) -> list[tuple[str, str]]:
    # SQLite cannot drop a constraint, and checks its foreign keys in-process cheaply anyway.
    if connection.vendor != "postgresql":
        return []
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [connection.ops.quote_name(table)],
    )
    return list(cursor.fetchall())


def _plain_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    if connection.vendor == "sqlite":
        # Indexes SQLite makes for inline UNIQUE/PRIMARY KEY have no SQL and cannot be dropped.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"
            " ORDER BY name",
            [table],
        )
        return list(cursor.fetchall())
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = %s::regclass"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
            " ORDER BY c.relname",
            [connection.ops.quote_name(table)],
        )
        return list(cursor.fetchall())
    return []


def insert_from_select(
    model: type[models.Model], columns: dict[str, str], queryset: models.QuerySet[Any]
) -> int:
    """``INSERT INTO model (columns) SELECT …`` from a queryset, in the database: no row reaches Python.

    ``columns`` maps each column of ``model`` to the name the queryset selects it as (an annotation
    or a field in its ``values()``); the queryset is wrapped, so the order it selects in is free.
    """
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    targets = ", ".join(quote(column) for column in columns)
    sources = ", ".join(quote(alias) for alias in columns.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({targets}) SELECT {sources} FROM ({sql}) src",  # noqa: S608 - names are quoted identifiers
            params,
        )
        return int(cursor.rowcount)
