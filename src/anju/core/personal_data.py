"""A client's personal information across the apps (个人信息保护法, decision 0024): what each app
contributes to the client's export, and the scrubbing every app's eraser uses.

The export is a composition like the workbench (decision 0012): each app that keeps rows about a
client registers an exporter for its section from its ``AppConfig.ready()``; the client's export
asks :func:`export_sections` and never names the apps. Erasure is an announcement
(``clients.announcements.ClientErased``, decision 0010): each app anonymises its own rows in the
erasing transaction, and records the rows the law makes a deal keep.

This module imports no app: an exporter receives the client as an opaque object.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise

Exporter = Callable[[Any], list[dict[str, Any]]]

# What replaces a personal value inside a text that stays (a complaint, a note about a deal).
REDACTED = "***"


@dataclass(frozen=True)
class _Registered:
    name: str
    title: str | Promise
    exporter: Exporter
    order: int


@dataclass(frozen=True)
class Section:
    """One part of a client's export: a title and its rows, each a mapping of column to value."""

    key: str
    title: str
    rows: list[dict[str, Any]]


_sections: dict[str, _Registered] = {}


def register_section(name: str, exporter: Exporter, *, title: str | Promise, order: int = 100) -> None:
    """``exporter(client)`` returns the rows the app keeps about the client, as plain values."""
    _sections[name] = _Registered(name=name, title=title, exporter=exporter, order=order)


def unregister_section(name: str) -> None:
    _sections.pop(name, None)


def registered_sections() -> tuple[str, ...]:
    return tuple(r.name for r in sorted(_sections.values(), key=lambda r: (r.order, r.name)))


def export_sections(client: Any) -> list[Section]:
    """Every registered section for ``client``, in order."""
    return [
        Section(key=r.name, title=str(r.title), rows=r.exporter(client))
        for r in sorted(_sections.values(), key=lambda r: (r.order, r.name))
    ]


def export_json(meta: dict[str, Any], sections: Sequence[Section]) -> bytes:
    """The export file: the meta block, then each section by key with its title and rows."""
    document = {
        **meta,
        "sections": {s.key: {"title": s.title, "rows": s.rows} for s in sections},
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def row_values(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of a row, choices in words: what an exporter returns for one row."""
    out: dict[str, Any] = {"id": obj.pk}
    for name in fields:
        display = getattr(obj, f"get_{name}_display", None)
        out[name] = display() if callable(display) else getattr(obj, name)
    return out


# --- scrubbing --------------------------------------------------------------------------------


def scrub_text(text: str, values: Iterable[str]) -> str:
    """``text`` with every personal value in it replaced by ``***`` (the longest values first, so a
    name inside a longer value does not leave the rest behind)."""
    for value in sorted({v for v in values if v}, key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


def _scrub_json(value: Any, values: Sequence[str]) -> Any:
    if isinstance(value, str):
        return scrub_text(value, values)
    if isinstance(value, list):
        return [_scrub_json(v, values) for v in value]
    if isinstance(value, dict):
        return {scrub_text(str(k), values): _scrub_json(v, values) for k, v in value.items()}
    return value


def mentions(fields: Iterable[str], values: Iterable[str]) -> Q:
    """Rows where any of the text ``fields`` contains any of ``values``."""
    condition = Q(pk__in=[])
    for field_name in fields:
        for value in values:
            if value:
                condition |= Q(**{f"{field_name}__contains": value})
    return condition


def scrub_rows(queryset: models.QuerySet[Any], fields: Sequence[str], values: Sequence[str]) -> int:
    """Replace the personal ``values`` inside the text ``fields`` of the rows of ``queryset`` that
    mention one; one read, then one update per row changed (an erasure touches a client's few rows).
    JSON fields are scrubbed value by value; text fields are filtered in the database first."""
    values = [v for v in values if v]
    if not values:
        return 0
    model = queryset.model
    json_fields = [f for f in fields if isinstance(model._meta.get_field(f), models.JSONField)]
    text_fields = [f for f in fields if f not in json_fields]
    rows = queryset if json_fields else queryset.filter(mentions(text_fields, values))
    changed = 0
    for row in rows.only("pk", *fields):
        update: dict[str, Any] = {}
        for name in text_fields:
            before = getattr(row, name) or ""
            after = scrub_text(before, values)
            if after != before:
                update[name] = after
        for name in json_fields:
            before = getattr(row, name)
            after = _scrub_json(before, values)
            if after != before:
                update[name] = after
        if update:
            model._base_manager.filter(pk=row.pk).update(**update)
            changed += 1
    return changed


def text_fields(model: type[models.Model]) -> list[str]:
    """The model's free text columns (text, char without choices, JSON): where a personal value
    may have been copied."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not isinstance(f, models.FileField)
        and not f.choices
    ]


def scrub_model(queryset: models.QuerySet[Any], values: Sequence[str]) -> int:
    """``scrub_rows`` over every free text column of the queryset's model."""
    return scrub_rows(queryset, text_fields(queryset.model), values)


def delete_files_on_commit(files: Iterable[FieldFile | tuple[Storage, str]]) -> int:
    """Delete these stored files — a row's file fields, or a storage and a name (a history row's
    copy of the field is its name only) — once the current transaction commits (a kept record
    disposed of): a rollback leaves every file a row still names. Empty ones are skipped; a file
    already gone is no error (a second run). Returns how many files will be deleted."""
    named = {(f.storage, str(f.name)) if isinstance(f, FieldFile) else f for f in files}
    named = {(storage, name) for storage, name in named if name}

    def delete() -> None:
        for storage, name in named:
            storage.delete(name)

    if named:
        transaction.on_commit(delete)
    return len(named)


def plain_row(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Every column of a row as a plain value: choices in words, related rows as their ids, files
    as their names."""
    left_out = set(exclude)
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in left_out:
            continue
        value = getattr(obj, f.attname)
        if f.is_relation:
            out[f.attname] = value
        elif isinstance(f, models.FileField):
            out[f.name] = str(value or "")
        elif f.choices:
            out[f.name] = getattr(obj, f"get_{f.name}_display")()
        else:
            out[f.name] = value
    return out


def plain_rows(queryset: models.QuerySet[Any], *, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    return [plain_row(obj, exclude=exclude) for obj in queryset.order_by("pk")]
