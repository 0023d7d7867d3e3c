"""The query planner's statistics (``ANALYZE``): how many rows a table holds and how selective each
of its indexes is, which the database chooses its plans by.

PostgreSQL's autovacuum keeps them up to date by itself, but not yet inside the transaction that
bulk-loads a table. SQLite never gathers any by itself: without them it guesses every table to be
a million rows and every index as good as the next, and at the 1M demo it reads an agent's 50,000
clients where an index names the 20 with a birthday this week. So they are gathered after a bulk
load (the demo), on SQLite after a large import, and on SQLite every night
(``core.tasks.refresh_planner_statistics``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models

# SQLite reads this many entries of each index to estimate it (``PRAGMA analysis_limit``), the
# range its documentation recommends: the whole 1M demo is analysed in seconds, not minutes, and
# the estimates tell a selective index from an unselective one as well as a full scan would.
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_statistics(model_list: Sequence[type[models.Model]] = ()) -> None:
    """Gather the statistics of ``model_list``'s tables, or of every table when none is named,
    in the current transaction."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in model_list]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        for statement in [f"ANALYZE {table}" for table in tables] or ["ANALYZE"]:
            cursor.execute(statement)


# On SQLite, a write of this many rows in one go (an import) is followed by the statistics of every
# table, not left to the night: a store that imports 100,000 flats into a table of 2,000 would
# otherwise be served all day by plans made for 2,000.
SQLITE_REFRESH_AFTER_ROWS = 10_000


def refresh_statistics_after_write(rows: int) -> bool:
    """After ``rows`` were written in one go (an import): on SQLite, when they are many, every
    table's statistics gathered again (1.4 s at the 1M demo). PostgreSQL's autovacuum analyses a
    table by itself once a tenth of it has changed. Whether it gathered them."""
    if connection.vendor != "sqlite" or rows < SQLITE_REFRESH_AFTER_ROWS:
        return False
    refresh_statistics()
    return True


def vacuum_after_bulk_load() -> None:
    """On PostgreSQL, once a bulk load has committed: ``VACUUM (ANALYZE)``. Until a table is vacuumed
    its visibility map is empty, and an index-only scan (every count of the workbench, decision 0028)
    visits the table's rows as well: at the 1M demo the workbench's sections took 218 ms before and
    106 ms after (9 s of vacuuming), and autovacuum's own first pass would come while agents work.
    VACUUM cannot run inside a transaction: within a caller's (a test's), and on SQLite, nothing."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
