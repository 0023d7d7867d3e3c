"""Look for personal values in every text column of every table (history tables included)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models

from anju.clients.models import KeptRecord


@dataclass(frozen=True)
class Hit:
    model: str
    pk: object
    column: str
    value: str


def text_columns(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField | models.FileField)
    ]


def scanned_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy and m._meta.managed]


def unscanned_tables() -> set[str]:
    """Tables the database has that no scanned model covers (the scan must miss none of ours)."""
    covered = {m._meta.db_table for m in scanned_models()}
    # Not models: Django's record of migrations, the shared cache's table (settings: CACHES), which
    # holds only the public forms' rate-limit counts, keyed by address or agent, for minutes, and
    # SQLite's planner statistics (decision 0030), which hold index names and row counts only.
    tables = {t for t in connection.introspection.table_names() if t not in covered}
    return tables - {"django_migrations", "anju_cache", "sqlite_stat1"}


def _kept_key(
    model: type[models.Model], row_pk: object, row: models.Model | None = None
) -> tuple[str, object]:
    # A history table copies its rows: its rows of a kept record are kept with it.
    instance_type = getattr(model, "instance_type", None)
    if instance_type is not None and row is not None:
        return instance_type._meta.label, row.id  # type: ignore[attr-defined]
    return model._meta.label, row_pk


def find(values: list[str], *, include_kept: bool = False) -> list[Hit]:
    """Every (table, row, column) holding one of ``values``, except rows kept by law."""
    kept = {(label, int(pk)) for label, pk in KeptRecord.objects.values_list("model", "object_id")}
    hits: list[Hit] = []
    for model in scanned_models():
        manager = model._base_manager
        for field in text_columns(model):
            if isinstance(field, models.JSONField):
                rows = [
                    (row, getattr(row, field.attname))
                    for row in manager.exclude(**{f"{field.attname}__isnull": True}).only("pk", field.attname)
                ]
                found = [
                    (row, value)
                    for row, stored in rows
                    for value in values
                    if value in json.dumps(stored, ensure_ascii=False)
                ]
            else:
                found = [
                    (row, value)
                    for value in values
                    for row in manager.filter(**{f"{field.attname}__contains": value})
                ]
            for row, value in found:
                key = _kept_key(model, row.pk, row)
                if not include_kept and (key[0], int(key[1])) in kept:
                    continue
                hits.append(Hit(model._meta.label, row.pk, field.name, value))
    return hits
