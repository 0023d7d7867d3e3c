"""Expressions on a client's columns that the database indexes: an agent's searches by them read a
few index entries instead of every client the agent may see.

Each renders the same SQL in the index (``Client.Meta.indexes``) and in the query, from built-in
functions only (an index on a function Django adds to SQLite could not be read without Django),
and on PostgreSQL from immutable ones (``EXTRACT`` from a date, not a date's text, which depends on
the session's ``DateStyle``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Func, IntegerField


class MobileTail(Func):
    """The last four digits of a mobile: what a masked number shows, and what an agent searches by."""

    arity = 1
    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"RIGHT({sql}, 4)", list(params)
        return f"SUBSTR({sql}, -4)", list(params)


class MonthDay(Func):
    """A date's month and day as one number, 12月7日 as 1207: a birthday's return, whatever the year."""

    arity = 1
    output_field = IntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"(EXTRACT(MONTH FROM {sql}) * 100 + EXTRACT(DAY FROM {sql}))::integer", [*params, *params]
        # SQLite keeps a date as its ISO text, YYYY-MM-DD.
        return f"CAST(SUBSTR({sql}, 6, 2) || SUBSTR({sql}, 9, 2) AS INTEGER)", [*params, *params]
