"""After a test, the matching layout must equal a fresh ``rebuild`` of it (decision 0010).

Every write path announces what it changed and matching keeps its layout from the announcements;
a write path that forgets leaves rows a rebuild would not write. This check finds it in the test
that wrote, with a diff that names the listing or need and the columns that differ.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import connection, transaction

from anju.listings.models import Listing
from anju.matching.models import LISTING_ROW_COLUMNS, NEED_ROW_COLUMNS, ListingRow, NeedPlace, NeedRow
from anju.matching.search import layout
from anju.needs.models import Need
from anju.org.models import Company

TABLES = (
    ("listing", ListingRow, LISTING_ROW_COLUMNS, "listing_id"),
    ("need", NeedRow, NEED_ROW_COLUMNS, "need_id"),
    ("need place", NeedPlace, ("need_id", "place"), "need_id"),
)


class _Expected(Exception):
    """Carries the rebuilt rows out of the savepoint it rolls back."""

    def __init__(self, rows: dict[str, Counter]) -> None:
        self.rows = rows


def _anything() -> bool:
    """One query: is there any listing, need or layout row at all?"""
    tables = [m._meta.db_table for m in (Listing, Need, ListingRow, NeedRow)]
    # table names from the models, never input
    sql = "SELECT " + " + ".join(f"(SELECT COUNT(*) FROM (SELECT 1 FROM {t} LIMIT 1) AS x)" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return bool(cursor.fetchone()[0])


def _rows() -> dict[str, Counter]:
    return {name: Counter(model.objects.values_list(*columns)) for name, model, columns, _key in TABLES}


def layout_differences() -> str:
    """Empty when the layout equals a rebuild of every company's; else a readable diff."""
    if not _anything():
        return ""
    held = _rows()
    try:
        with transaction.atomic():
            for company in Company.objects.all():
                layout.rebuild(company)
            raise _Expected(_rows())
    except _Expected as done:
        expected = done.rows
    lines = []
    for name, _model, columns, key in TABLES:
        index = columns.index(key)
        extra, missing = held[name] - expected[name], expected[name] - held[name]
        by_id: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
        for row in extra.elements():
            by_id[row[index]][0].append(row)
        for row in missing.elements():
            by_id[row[index]][1].append(row)
        for object_id, (has, wants) in sorted(by_id.items()):
            lines.append(f"{name} {object_id}: " + _explained(columns, has, wants))
    return "\n".join(lines)


def _explained(columns: tuple[str, ...], has: list[tuple], wants: list[tuple]) -> str:
    if has and len(has) == len(wants):
        pairs = zip(sorted(has), sorted(wants), strict=True)
        changed = {
            f"{column}={held!r} (rebuild: {rebuilt!r})"
            for one, other in pairs
            for column, held, rebuilt in zip(columns, one, other, strict=True)
            if held != rebuilt
        }
        return f"{len(has)} row(s) where the layout has " + ", ".join(sorted(changed))
    if not wants:
        return f"{len(has)} row(s) a rebuild would not write, the first: {dict(zip(columns, has[0], strict=True))}"
    if not has:
        return f"{len(wants)} row(s) missing that a rebuild writes, the first: {dict(zip(columns, wants[0], strict=True))}"
    return f"{len(has)} row(s) differ from the {len(wants)} a rebuild writes: {has[:2]} vs {wants[:2]}"
