"""Rows by a long list of values: ``filter(<field>__any=values)``, in batches from ``lookup_batches``.

Django's ``__in`` writes one placeholder per value. On PostgreSQL psycopg then binds the values
into the query's text on the client, splitting the text at each placeholder and quoting each
value, and the server parses a literal list: a question about 5000 ids took 17 ms as
``IN (%s, …)`` and 5.7 ms as ``= ANY(%s)`` with the ids as one array, and an import of 100,000
listings asks dozens of them. ``__any`` is that one-array form on PostgreSQL, and ``__in`` itself
elsewhere. SQLite still limits a statement's parameters, so a caller with an unbounded list asks
in ``lookup_batches``: batches on SQLite, the whole list at once on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Field
from django.db.models.expressions import ColPairs
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

T = TypeVar("T")

# Values per statement on SQLite: under the 999 parameters of its older builds, with room for the
# query's other parameters.
SQLITE_LOOKUP_BATCH = 900


@Field.register_lookup
class AnyOf(In):
    """``<field>__any=[…]``: the field equals one of the values. On PostgreSQL
    ``<column> = ANY(%s::<type>[])`` with the values as one array parameter; elsewhere ``IN``.

    A subquery, a list holding expressions or a composite key is written as ``IN`` everywhere.
    """

    lookup_name = "any"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if (
            not self.rhs_is_direct_value()
            or not isinstance(self.rhs, list | tuple)
            or isinstance(self.lhs, ColPairs)
        ):
            return self.as_sql(compiler, connection)
        values = [value for value in dict.fromkeys(self.rhs) if value is not None]
        if not values:
            raise EmptyResultSet  # as ``__in``: no query asked, nothing found
        field = self.lhs.output_field
        # A foreign key's values are its target's (the column's type is the target's too).
        target = getattr(field, "target_field", None) or field
        array = [target.get_db_prep_value(value, connection, prepared=True) for value in values]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # Cast to the column's own type: an array of another type (psycopg sends Python ints as
        # the smallest type that holds them, strings as text) would compare through a cast of the
        # column and miss its index.
        return f"{lhs} = ANY(%s::{field.db_type(connection)}[])", (*lhs_params, array)


@ForeignObject.register_lookup
class RelatedAnyOf(AnyOf, RelatedIn):
    """``<foreign key>__any=[…]`` (ids or instances): a relation has lookups of its own."""


def lookup_batches(values: Sequence[T], size: int = SQLITE_LOOKUP_BATCH) -> Iterator[Sequence[T]]:
    """``values`` in batches for ``__any``: within SQLite's limit on a statement's parameters, and
    on PostgreSQL, where the list is one parameter, all of them at once."""
    if connection.vendor == "postgresql":
        if values:
            yield values
        return
    for start in range(0, len(values), size):
        yield values[start : start + size]
