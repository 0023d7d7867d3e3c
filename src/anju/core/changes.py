"""The database's generation: one number that moves whenever anything is written to the database,
so that a process may keep what it computed from the data (the workbench) until the data changes.
Decision 0027.

Every connection notices its own writing statements (an execute wrapper, put on when the connection
opens). A write outside a transaction moves the generation at once; a write inside one moves it
after the transaction commits, and a rolled-back transaction changed nothing and moves nothing.
Writes that no page reads back are not counted: sessions, the shared cache's table, sign-in
attempts, the pending jobs' bookkeeping and the generation's own row. Other processes see the move because the generation is a
row of the database, not a number in memory.

What a reader keeps is never older than the generation it keeps it under, provided the reader asks
for the generation (:func:`snapshot`) *before* it reads the data: a write committed after that
question moves the generation past the kept copy. Inside an unfinished transaction the
transaction's own writes count as well (:attr:`Snapshot.pending`), since they are visible to it
before they are committed.

PostgreSQL's COPY goes around Django's cursor wrapper: whoever writes that way calls
:func:`note_write` (``core.bulk`` does).
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

TABLE = "core_databasegeneration"
# Written by every request or sign-in without changing what any page shows.
UNCOUNTED_TABLES = frozenset(
    {
        TABLE,
        "django_session",
        "anju_cache",
        "core_pendingjob",
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
    }
)
_WRITING = ("INSERT", "UPDATE", "DELETE", "REPLACE", "TRUNCATE", "MERGE", "COPY")
_WRITTEN_TABLE = re.compile(
    r'^(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
_WRITING_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Each move sets a new random number rather than counting up: only "changed" matters, and a database
# emptied and filled again (a test's flush, a restore, a failover to a replica behind) never comes
# back to a generation a running process has kept things under.
_ADVANCE = (
    f"INSERT INTO {TABLE} (id, value) VALUES (1, %s) "  # noqa: S608
    "ON CONFLICT (id) DO UPDATE SET value = excluded.value"
)
_READ = f"SELECT value FROM {TABLE} WHERE id = 1"  # noqa: S608


@dataclass(frozen=True)
class Snapshot:
    """Where the data stood when it was read: the committed generation (None before the first
    write), and inside an unfinished transaction which connection read it and how many writes (and
    rollbacks to a savepoint) that connection had made by then; (0, 0) outside one."""

    generation: int | None
    pending: int = 0
    connection: int = 0


def writes(sql: str) -> bool:
    """Whether a statement may change what a page reads: one that writes rows (a common table
    expression that does, too), unless only to a table no page reads, and a rollback to a savepoint
    (it takes back writes the transaction could already read). Schema changes are not counted: they
    come with ``anju migrate``, which moves the generation once at its end."""
    head = sql.lstrip(" \t\r\n(")
    word = head[:11].upper()
    if word.startswith("ROLLBACK TO"):
        return True
    if word.startswith("WITH"):
        return _WRITING_WORD.search(head) is not None
    if not word.startswith(_WRITING):
        return False
    written = _WRITTEN_TABLE.match(head)
    return not (written and written.group(1).lower() in UNCOUNTED_TABLES)


def note_write(conn: BaseDatabaseWrapper | None = None) -> None:
    """Something was written on ``conn``: move the generation now, or once its transaction commits."""
    conn = conn or default_connection
    if _migrating:
        return
    if not conn.in_atomic_block:
        _advance(conn)
        return
    pending = getattr(conn, "anju_pending_writes", 0) + 1
    conn.anju_pending_writes = pending  # type: ignore[attr-defined]
    conn.on_commit(functools.partial(_advance_once, conn, pending), robust=True)


def snapshot(conn: BaseDatabaseWrapper | None = None) -> Snapshot:
    """The generation to keep what is about to be read under; ask before reading the data."""
    conn = conn or default_connection
    with conn.cursor() as cursor:
        cursor.execute(_READ)
        row = cursor.fetchone()
    if not conn.in_atomic_block:
        return Snapshot(row[0] if row else None)
    return Snapshot(row[0] if row else None, getattr(conn, "anju_pending_writes", 0), id(conn))


def _advance_once(conn: BaseDatabaseWrapper, pending: int) -> None:
    # Each write of a transaction queued one of these; the first to run after the commit moves the
    # generation for all of them.
    if getattr(conn, "anju_advanced_through", 0) >= pending:
        return
    conn.anju_advanced_through = conn.anju_pending_writes  # type: ignore[attr-defined]
    _advance(conn)


def _advance(conn: BaseDatabaseWrapper) -> None:
    # After a committed write: a failure here must not fail the write. What was kept stays until its
    # time is up (``ANJU_KEPT_SECONDS``), the bound for this case.
    try:
        with conn.cursor() as cursor:
            cursor.execute(_ADVANCE, [secrets.randbelow(2**62)])
    except DatabaseError:
        logger.exception("the database's generation could not be moved after a write")


def _notice(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    try:
        result = execute(sql, params, many, context)
    except Exception:
        # A failed write may have written part of its rows (outside a transaction): counted.
        if writes(sql):
            note_write(context["connection"])
        raise
    # An UPDATE or DELETE that matched no row changed nothing (a job sweeping for work every minute).
    if writes(sql) and context["cursor"].rowcount != 0:
        note_write(context["connection"])
    return result


def _watch(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if _notice not in connection.execute_wrappers:
        connection.execute_wrappers.append(_notice)


# ``anju migrate`` writes before the generation's table exists; it moves the generation once at the end.
_migrating = False


def _migration_starts(**kwargs: Any) -> None:
    global _migrating
    _migrating = True


def _migration_ends(*, using: str = "default", **kwargs: Any) -> None:
    global _migrating
    _migrating = False
    from django.db import connections

    conn = connections[using]
    if TABLE in conn.introspection.table_names():  # not when migrating back before it
        _advance(conn)


def changes_connect() -> None:
    """Called from the core app's ``ready()``: every connection, and the one already open, notices
    its writes."""
    from django.apps import apps
    from django.db import connections
    from django.db.models.signals import post_migrate, pre_migrate

    connection_created.connect(_watch, dispatch_uid="anju-changes")
    for conn in connections.all(initialized_only=True):
        _watch(None, conn)
    core = apps.get_app_config("core")
    pre_migrate.connect(_migration_starts, sender=core, dispatch_uid="anju-changes-migrate-starts")
    post_migrate.connect(_migration_ends, sender=core, dispatch_uid="anju-changes-migrate-ends")
