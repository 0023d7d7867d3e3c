"""Importing a spreadsheet of clients or listings: read → check every row → write all or nothing.

One run, whatever the entry point (``anju import``, the 导入 page's background job):

1. every row is read (``anju.core.tabular``) and parsed by the kind's pure ``parse_row``;
2. the rows that parsed are checked together against the database (duplicates, the building
   dictionary, who may own what) by the kind's ``check``;
3. unless it is a dry run, the good rows are written in one transaction by the kind's ``write`` —
   only when no row is bad, or when the caller asked to skip bad rows.

Progress goes to a ``progress(done, total)`` callback on one scale: a row counts once when checked
and once more when written, so a bar moves steadily through both phases.
"""

from __future__ import annotations

import csv
import io
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar, Generic, TypeVar

from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _

from anju.core.errors import ConflictError
from anju.core.tabular import EMPTY_ROWS_END, Column, open_table
from anju.core.text import has_control_character
from anju.org.models import Agent, Role
from anju.org.scoping import can_see_owned

P = TypeVar("P")
Progress = Callable[[int, int], None]
# How often (in rows) reading reports progress: often enough for a bar, rarely enough to cost nothing.
PROGRESS_EVERY = 500
WRITE_BATCH = 5000
# SQLite allows at most 32,766 parameters per statement; lookups go in chunks well under that.
LOOKUP_CHUNK = 900


@dataclass
class BadRow:
    line: int
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "reasons": self.reasons}

    def __str__(self) -> str:
        return _("第 %(line)d 行：%(reasons)s") % {"line": self.line, "reasons": "；".join(self.reasons)}


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    skip_bad: bool
    rows: int = 0
    good: int = 0
    written: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    seconds: float = 0.0
    # An XLSX sheet taken to end after this row (a long run of empty rows followed it).
    ended_after: int | None = None

    @property
    def rejected(self) -> bool:
        """Bad rows stopped the import: nothing was written (or would have been, in a dry run)."""
        return bool(self.bad_rows) and not self.skip_bad


def ended_note(result: ImportResult) -> str:
    """What the person is told when a sheet was taken to end before its claimed extent."""
    if result.ended_after is None:
        return ""
    return _("第 %(line)d 行之后连续 %(count)d 行都是空的，视为表格到此结束，后面的内容没有读取。") % {
        "line": result.ended_after,
        "count": EMPTY_ROWS_END,
    }


def bad_rows_csv(bad_rows: Iterable[BadRow | dict[str, Any]]) -> str:
    """The bad-row report as CSV text: line number, reasons."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("行号"), _("问题")])
    for bad in bad_rows:
        line, reasons = (bad.line, bad.reasons) if isinstance(bad, BadRow) else (bad["line"], bad["reasons"])
        writer.writerow([line, "；".join(reasons)])
    return out.getvalue()


def control_characters(values: dict[str, str], handler_class: type[RowImport[Any]]) -> list[str]:
    """A reason for each cell holding a control character (a tab or a line break only where the
    column is multi-line text)."""
    if not has_control_character("".join(values.values())):
        return []  # the common case: one search a row
    return [
        _("%(label)s含有无法显示的控制字符") % {"label": column.header}
        for column in handler_class.columns
        if has_control_character(values.get(column.key, ""), multiline=column.key in handler_class.multiline)
    ]


class RowImport(ABC, Generic[P]):
    """What one kind of record (clients, listings) brings to an import."""

    kind: ClassVar[str]
    columns: ClassVar[Sequence[Column]]
    # Columns of multi-line text, where a tab or a line break is kept; no column keeps another
    # control character.
    multiline: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *, importer: Agent, source_name: str, keys: Sequence[str]) -> None:
        self.importer = importer
        self.source_name = source_name
        self.keys = set(keys)

    def check_columns(self) -> None:
        """Raise ``TabularError`` when the columns present cannot make a record."""

    @abstractmethod
    def parse_row(self, raw: dict[str, str]) -> P | list[str]:
        """The row's values, or the reasons it is bad (pure: no database)."""

    def check_unparsed(self, rows: list[tuple[int, dict[str, str]]]) -> dict[int, list[str]]:
        """More reasons for rows that did not parse, so that one pass finds every problem of a row
        (an unknown community as well as a bad price): by default none."""
        return {}

    @abstractmethod
    def check(self, rows: list[tuple[int, P]]) -> dict[int, list[str]]:
        """Set-based checks of the parsed rows against each other and the database: reasons by line."""

    def recheck(self, rows: list[tuple[int, P]]) -> dict[int, list[str]]:
        """After the database refused a write (a unique constraint), why each row clashes with
        what was written meanwhile: by default, the checks run again."""
        return self.check(rows)

    @abstractmethod
    def write(self, rows: list[tuple[int, P]], advance: Callable[[int], None]) -> int:
        """Write the good rows (inside the caller's transaction); the number written."""


def import_file(
    *,
    handler_class: type[RowImport[Any]],
    importer: Agent,
    source: str | Path | IO[bytes],
    filename: str,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
    before_write: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import ``source`` as ``importer``. File-level problems raise ``TabularError``; a conflict
    with a write made meanwhile by someone else raises ``ConflictError`` (nothing written)."""
    started = time.perf_counter()
    report = progress or (lambda done, total: None)
    table = open_table(source, filename=filename, columns=handler_class.columns, mapping=mapping)
    handler = handler_class(importer=importer, source_name=filename, keys=table.keys)
    handler.check_columns()
    result = ImportResult(
        kind=handler.kind,
        dry_run=dry_run,
        skip_bad=skip_bad,
        ignored_columns=table.ignored,
        encoding=table.encoding,
    )
    passes = 1 if dry_run else 2
    estimated = max(table.estimated_rows, 1)
    report(0, estimated * passes)

    bad: dict[int, list[str]] = {}
    parsed: list[tuple[int, Any]] = []
    unparsed: list[tuple[int, dict[str, str]]] = []
    for row in table.rows:
        result.rows += 1
        if row.errors:
            # An undecodable or shifted row: its cells would only add confusing reasons.
            bad[row.line] = row.errors
        else:
            # A control character is reported alone: the cell's other reasons would only repeat it.
            outcome = control_characters(row.values, handler_class) or handler.parse_row(row.values)
            if isinstance(outcome, list):
                bad[row.line] = outcome
                unparsed.append((row.line, row.values))
            else:
                parsed.append((row.line, outcome))
        if result.rows % PROGRESS_EVERY == 0:
            estimated = max(estimated, result.rows)
            report(result.rows, estimated * passes)
    total = max(result.rows, 1) * passes
    report(result.rows, total)
    result.ended_after = table.reading.ended_after

    # Every check runs before the write transaction, so that the write lock (all of SQLite, while
    # it is held) is held only while writing; other people's requests keep answering meanwhile.
    for line, reasons in handler.check_unparsed(unparsed).items():
        bad[line].extend(reasons)
    for line, reasons in handler.check(parsed).items():
        bad.setdefault(line, []).extend(reasons)
    good = [(line, row) for line, row in parsed if line not in bad]
    result.good = len(good)
    result.bad_rows = [BadRow(line, bad[line]) for line in sorted(bad)]
    if not dry_run and good and (skip_bad or not bad):
        if before_write is not None:
            before_write(len(good))
        done = result.rows

        def advance(count: int) -> None:
            nonlocal done
            done += count
            report(done, total)

        try:
            with transaction.atomic():
                result.written = handler.write(good, advance)
        # The bulk writer's COPY raises the driver's own error, not Django's wrapper of it.
        except (IntegrityError, connection.Database.IntegrityError) as exc:  # type: ignore[attr-defined]
            # Inside the transaction the database's constraints are the final word: someone wrote
            # a row meanwhile that this file's rows now clash with. Nothing was written; the
            # checks, run again, name the lines.
            conflicts = handler.recheck(good)
            raise ConflictError(
                _("写入时与他人刚录入的数据冲突，没有写入任何数据，请重新导入。")
                + "".join(f"\n{BadRow(line, conflicts[line])}" for line in sorted(conflicts)),
                code="import_conflict",
                extra={"bad_rows": [BadRow(line, conflicts[line]).as_dict() for line in sorted(conflicts)]},
            ) from exc
    report(total, total)
    result.seconds = time.perf_counter() - started
    return result


# --- shared by the kinds -------------------------------------------------------------------------


class OwnerResolver:
    """Who a row belongs to: the importer, or (``经纪人账号`` column) a colleague within their scope.

    The rule of entry through the page: plain agents record for themselves only; managers for
    anyone of their store; administrators for anyone in the company. Owners belong to a store.
    An importer without a store (an administrator) who names nobody gets ``None``: for clients
    that is the public pool, as on the page; listings need an owner.
    """

    def __init__(self, importer: Agent) -> None:
        self.importer = importer
        self._by_username: dict[str, Agent] = {}
        self._by_name: dict[str, list[Agent]] = {}
        colleagues = Agent.objects.filter(company_id=importer.company_id, is_active=True).select_related(
            "user", "store"
        )
        for agent in colleagues:
            self._by_username[agent.user.username.lower()] = agent
            self._by_name.setdefault(agent.name, []).append(agent)

    def resolve(self, ref: str) -> Agent | str | None:
        """The owning agent (``None``: the importer has no store and named nobody), or why not."""
        importer = self.importer
        if not ref:
            return importer if importer.store_id is not None else None
        agent = self._by_username.get(ref.lower())
        if agent is None:
            named = self._by_name.get(ref, [])
            if len(named) > 1:
                return _("有 %(count)d 位经纪人叫“%(name)s”，请填写账号") % {"count": len(named), "name": ref}
            agent = named[0] if named else None
        if agent is None:
            return _("经纪人“%(ref)s”不存在或已离职") % {"ref": ref}
        if agent.pk != importer.pk and not can_see_owned(
            importer, company_id=agent.company_id, owner_id=agent.pk, store_id=agent.store_id
        ):
            if importer.role in (Role.AGENT, Role.SPECIALIST):
                return _("只能导入到自己名下，不能指定经纪人“%(ref)s”") % {"ref": ref}
            return _("经纪人“%(ref)s”不在您管理的范围内") % {"ref": ref}
        if agent.store_id is None:
            return _("经纪人“%(ref)s”不属于任何门店，不能作为归属") % {"ref": ref}
        return agent


def chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
