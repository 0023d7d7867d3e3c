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

import contextlib
import csv
import datetime as dt
import difflib
import io
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, ClassVar, Generic, TypeVar

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from anju.core.errors import ConflictError
from anju.core.memory import cyclic_gc_paused, give_back
from anju.core.planner import refresh_statistics_after_write
from anju.core.tabular import (
    EMPTY_ROWS_END,
    CellError,
    Column,
    normalize_header,
    open_table,
    parse_choice,
)
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
    cells: list[str] = field(default_factory=list)  # the row as in the file, for the report

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "reasons": self.reasons, "cells": self.cells}

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
    # What the write did besides the rows (e.g. "新建小区 12 个"), for the summary.
    notes: list[str] = field(default_factory=list)
    # An XLSX sheet taken to end after this row (a long run of empty rows followed it).
    ended_after: int | None = None
    header: list[str] = field(default_factory=list)  # the file's header, as in the file
    # A dry run's preview: per column, how its values were read.
    readings: list[FieldReading] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        """Bad rows stopped the import: nothing was written (or would have been, in a dry run)."""
        return bool(self.bad_rows) and not self.skip_bad


# A dry run's preview keeps this many distinct values of a column (the first met), and this many
# unreadable values of a column of choices (for a suggested mapping).
SAMPLE_VALUES = 12
UNREADABLE_VALUES = 200
UNREADABLE = "?"  # what an unreadable value became, in a preview


@dataclass
class FieldReading:
    """How one column's values were read in a dry run: raw text → (rows, what it became)."""

    key: str
    header: str
    samples: dict[str, list[Any]] = field(default_factory=dict)  # raw → [rows, shown]
    other_rows: int = 0  # rows holding a value past the samples
    unreadable: dict[str, int] = field(default_factory=dict)  # raw → rows, for a column of choices

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "header": self.header,
            "samples": [[raw, rows, shown] for raw, (rows, shown) in self.samples.items()],
            "other_rows": self.other_rows,
        }

    def lines(self) -> list[str]:
        """As the command prints it: ``装修：精装修 → 精装 ×12；其他 → ? ×3``."""
        parts = [
            f"{raw} → {shown if shown is not None else '…'} ×{rows}"
            for raw, (rows, shown) in self.samples.items()
        ]
        if self.other_rows:
            parts.append(_("其他值 %(rows)d 行") % {"rows": self.other_rows})
        return [f"{self.header}：" + "；".join(parts)]


def ended_note(result: ImportResult) -> str:
    """What the person is told when a sheet was taken to end before its claimed extent."""
    if result.ended_after is None:
        return ""
    return _("第 %(line)d 行之后连续 %(count)d 行都是空的，视为表格到此结束，后面的内容没有读取。") % {
        "line": result.ended_after,
        "count": EMPTY_ROWS_END,
    }


def bad_rows_csv(bad_rows: Iterable[BadRow | dict[str, Any]], header: Sequence[str] = ()) -> str:
    """The bad-row report as CSV text: line number, reasons, then the row's cells as in the file
    (under the file's own header), so that it can be corrected and imported again."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("行号"), _("问题"), *header])
    for bad in bad_rows:
        row = bad.as_dict() if isinstance(bad, BadRow) else bad
        writer.writerow([row["line"], "；".join(row["reasons"]), *row.get("cells", ())])
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

    # Columns whose cells are one of a few values: column key → accepted spellings. A mapping
    # file's values for them are checked, and a suggested mapping offers them.
    value_choices: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    # How a preview shows what a column became, where that is not the parsed row's attribute of
    # the column's key.
    readers: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}

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

    def notes(self) -> list[str]:
        """What the check planned or the write did besides the rows, for the summary: by default
        nothing."""
        return []


def import_file(
    *,
    handler_class: type[RowImport[Any]],
    importer: Agent,
    source: str | Path | IO[bytes],
    filename: str,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
    before_write: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import ``source`` as ``importer``. File-level problems raise ``TabularError``; a conflict
    with a write made meanwhile by someone else raises ``ConflictError`` (nothing written)."""
    with _page_cache(), cyclic_gc_paused():
        result = _import_file(
            handler_class=handler_class,
            importer=importer,
            source=source,
            filename=filename,
            mapping=mapping,
            dry_run=dry_run,
            skip_bad=skip_bad,
            progress=progress,
            before_write=before_write,
        )
    refresh_statistics_after_write(result.written)
    return result


# SQLite's page cache while importing, in KiB. Its default (2 MB) holds a sliver of the indexes of
# an agency's million flats: each inserted row then reads its index pages again, and writing
# 100,000 flats took many times longer, with the database's write lock held all along.
SQLITE_IMPORT_CACHE_KIB = 65536


@contextlib.contextmanager
def _page_cache() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def _import_file(
    *,
    handler_class: type[RowImport[Any]],
    importer: Agent,
    source: str | Path | IO[bytes],
    filename: str,
    mapping: Mapping[str, str] | None,
    dry_run: bool,
    skip_bad: bool,
    progress: Progress | None,
    before_write: Callable[[int], None] | None,
) -> ImportResult:
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
        header=table.reading.header,
    )
    preview = _Preview(handler_class, table.keys) if dry_run else None
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
            if preview is not None:
                preview.add(row.values, row.original, None if isinstance(outcome, list) else outcome)
        if result.rows % PROGRESS_EVERY == 0:
            estimated = max(estimated, result.rows)
            report(result.rows, estimated * passes)
    total = max(result.rows, 1) * passes
    report(result.rows, total)
    result.ended_after = table.reading.ended_after
    give_back()  # the file's cells, read and dropped: the checks and the write reuse the pages

    # Every check runs before the write transaction, so that the write lock (all of SQLite, while
    # it is held) is held only while writing; other people's requests keep answering meanwhile.
    for line, reasons in handler.check_unparsed(unparsed).items():
        bad[line].extend(reasons)
    for line, reasons in handler.check(parsed).items():
        bad.setdefault(line, []).extend(reasons)
    good = [(line, row) for line, row in parsed if line not in bad]
    give_back()
    result.good = len(good)
    result.bad_rows = [BadRow(line, bad[line]) for line in sorted(bad)]
    if preview is not None:
        result.readings = preview.readings()
    if result.bad_rows:
        _attach_cells(
            result.bad_rows, source, filename=filename, columns=handler_class.columns, mapping=mapping
        )
    if not dry_run and good and (skip_bad or not bad):
        if before_write is not None:
            before_write(len(good))
        done = result.rows

        def advance(count: int) -> None:
            nonlocal done
            done += count
            report(done, total)
            give_back()  # each batch's statements and values, dropped: keep the peak at one batch's

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
    # What the write did, or on a dry run would do, besides the rows (e.g. 新建小区 12 个).
    result.notes = handler.notes()
    report(total, total)
    result.seconds = time.perf_counter() - started
    return result


# Rows of a report that carry their cells (a file bad throughout is reported by line and reason).
REPORT_CELLS_ROWS = 20_000


def _attach_cells(
    bad_rows: list[BadRow],
    source: str | Path | IO[bytes],
    *,
    filename: str,
    columns: Sequence[Column],
    mapping: Mapping[str, str] | None,
) -> None:
    """The cells of the bad rows as in the file, read again (the rows are not kept while checking,
    so that a large file costs no memory for them)."""
    if not isinstance(source, str | Path):
        if not source.seekable():
            return
        source.seek(0)
    wanted = {bad.line: bad for bad in bad_rows[:REPORT_CELLS_ROWS]}
    for row in open_table(source, filename=filename, columns=columns, mapping=mapping).rows:
        bad = wanted.pop(row.line, None)
        if bad is not None:
            bad.cells = row.cells
        if not wanted:
            break


class _Preview:
    """A dry run's reading of each column: a sample of its distinct values → what each became."""

    def __init__(self, handler_class: type[RowImport[Any]], keys: Sequence[str]) -> None:
        headers = {column.key: column.header for column in handler_class.columns}
        self.fields = {key: FieldReading(key, headers[key]) for key in keys}
        self.choices = handler_class.value_choices
        self.readers = handler_class.readers
        self.labels = {key: _choice_labels(choices) for key, choices in self.choices.items()}

    def add(self, values: Mapping[str, str], original: Mapping[str, str] | None, parsed: Any) -> None:
        """One row: its values as read, as in the file (when a mapping read them otherwise), and
        what they became (None: the row is bad)."""
        for key, value in values.items():
            raw = original[key] if original is not None else value
            if not raw:
                continue
            reading = self.fields[key]
            sample = reading.samples.get(raw)
            if sample is not None:
                sample[0] += 1
                if sample[1] is None and parsed is not None:
                    sample[1] = self.shown(key, value, parsed)
                continue
            shown = self.shown(key, value, parsed)
            if shown == UNREADABLE and len(reading.unreadable) < UNREADABLE_VALUES:
                reading.unreadable[raw] = reading.unreadable.get(raw, 0) + 1
            if len(reading.samples) < SAMPLE_VALUES:
                reading.samples[raw] = [1, shown]
            else:
                reading.other_rows += 1

    def shown(self, key: str, value: str, parsed: Any) -> str | None:
        """What ``value`` became: from the parsed row, or for a column of choices from the value
        alone (a row bad for another reason still shows how this cell reads); None: not known."""
        choices = self.choices.get(key)
        if choices is not None:
            try:
                code = parse_choice(value, key, choices)
            except CellError:
                return UNREADABLE
            return self.labels[key].get(code, code)
        if parsed is None:
            return None
        reader = self.readers.get(key)
        if reader is not None:
            return _show(reader(parsed))
        if hasattr(parsed, key):
            return _show(getattr(parsed, key))
        return None

    def readings(self) -> list[FieldReading]:
        return [reading for reading in self.fields.values() if reading.samples]


def _choice_labels(choices: Mapping[str, str]) -> dict[str, str]:
    """Code → the label a person reads (the first Chinese spelling of it)."""
    labels: dict[str, str] = {}
    for spelling in getattr(choices, "labels", ()) or choices:
        code = choices.get(spelling)
        if code is not None:
            labels.setdefault(code, spelling)
    return labels


def _show(value: Any) -> str:
    if value is None or value == "":
        return _("（空）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def suggest_mapping(
    *,
    handler_class: type[RowImport[Any]],
    source: str | Path | IO[bytes],
    filename: str,
    mapping: Mapping[str, str] | None = None,
) -> str:
    """A mapping file (CSV, see ``anju.core.tabular.read_mapping``) for a person to check and
    complete: each header not understood, with the standard column it most looks like (or empty:
    not used), and each value of a column of choices that is not understood, with the accepted
    value it most looks like (or empty, to fill in). The file is read for this alone, even when
    its header lacks a required column (the suggestion is how to name it)."""
    table = open_table(
        source, filename=filename, columns=handler_class.columns, mapping=mapping, require=False
    )
    preview = _Preview(handler_class, table.keys)
    for row in table.rows:
        if not row.errors:
            preview.add(row.values, row.original, None)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["源列名", "标准列名"])  # a file, read in Chinese whatever the interface speaks
    names: dict[str, str] = {}
    for column in handler_class.columns:
        for name in (column.header, *column.aliases):
            names.setdefault(normalize_header(name), column.header)
    for header in table.ignored:
        name = normalize_header(header)
        close = [n for n in names if len(n) >= 2 and (n in name or name in n)]
        close = close or difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
        writer.writerow([header, names[close[0]] if close else ""])
    for reading in preview.readings():
        choices = handler_class.value_choices.get(reading.key)
        if not choices or not reading.unreadable:
            continue
        labels = list(_choice_labels(choices).values())
        for raw in reading.unreadable:
            close = [label for label in labels if label in raw or raw in label]
            close = close or difflib.get_close_matches(raw, labels, n=1, cutoff=0.3)
            writer.writerow([reading.header, raw, close[0] if close else ""])
    return out.getvalue()


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
