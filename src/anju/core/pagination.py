"""Keyset pagination for API lists: stable under inserts, constant cost at any depth.

Every list endpoint orders by a key plus ``id`` and returns ``next_cursor``; a client passes it
back as ``?cursor=`` to get the following page. The cursor is opaque (base64 JSON).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Schema

from anju.core.errors import ApplicationError

T = TypeVar("T")
M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class CursorPage(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([str(v) for v in values], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(_("分页游标无效。"), code="cursor_invalid") from exc
    if not isinstance(values, list) or len(values) != size:
        raise ApplicationError(_("分页游标无效。"), code="cursor_invalid")
    return [str(v) for v in values]


def keyset_page(
    queryset: QuerySet[M], *, order: Sequence[str], cursor: str | None, limit: int | None
) -> tuple[list[M], str | None]:
    """One page of ``queryset`` ordered by ``order`` (fields, ``-`` for descending, ``id`` last).

    Rows after the cursor are selected with a row comparison written out as nested OR terms, so
    the query uses the index on the ordering columns on both SQLite and PostgreSQL.
    """
    if not order or order[-1].lstrip("-") != "id":
        raise ValueError("keyset ordering must end with id")
    size = max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))
    qs = queryset.order_by(*order)
    if cursor:
        values = decode_cursor(cursor, len(order))
        condition = Q()
        for i, field in enumerate(order):
            name = field.lstrip("-")
            op = "lt" if field.startswith("-") else "gt"
            term = Q(**{f"{name}__{op}": values[i]})
            for earlier, value in zip(order[:i], values[:i], strict=False):
                term &= Q(**{earlier.lstrip("-"): value})
            condition |= term
        try:
            qs = qs.filter(condition)
        except (ValueError, TypeError, ValidationError) as exc:
            # A cursor that decodes but whose values do not fit the columns was not made by us.
            raise ApplicationError(_("分页游标无效。"), code="cursor_invalid") from exc
    rows = list(qs[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor([_attr(last, f.lstrip("-")) for f in order])
    return rows, next_cursor


def _attr(obj: Model, path: str) -> Any:
    value: Any = obj
    for part in path.split("__"):
        value = getattr(value, part)
        if isinstance(value, Model):
            value = value.pk
    return value
