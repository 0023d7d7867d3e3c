"""Reading spreadsheets agencies already have: CSV (UTF-8, or GB18030/GBK as Excel saves it in China)
and XLSX, with Chinese column headers, into numbered rows of text.

What can go wrong with one row (an undecodable line, shifted columns) is that row's problem and is
reported with its line number; only a file that cannot be read at all (no header, required columns
missing, not a spreadsheet) raises ``TabularError``. Line numbers are those a person sees: the line
of a CSV file in a text editor, the row number in Excel.

The cell parsers at the end turn text into typed values or raise ``CellError`` with the reason in
Chinese; the per-kind import modules (``anju.imports.clients``, ``anju.imports.listings``) use them.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError
from anju.core.formats import FEN, WAN

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES
# Headers and values in files are Chinese, whatever language the interface speaks.
FILE_LANGUAGE = "zh-hans"
# The header is searched for among the first rows: exports often start with a title line.
HEADER_SEARCH_ROWS = 10


class TabularError(ApplicationError):
    """The file as a whole cannot be read; no row was looked at."""

    code = "tabular_invalid"


class CellError(ValueError):
    """One cell's value is unusable; the message says why, in Chinese."""


@dataclass(frozen=True)
class Column:
    """A column a kind of import understands: its key, its standard Chinese header, other names for it."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass
class TableRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # as in the file, for the report of bad rows
    # The values as in the file, when a mapping file read some of them otherwise.
    original: dict[str, str] | None = None


@dataclass
class Reading:
    """How much of a file was looked at: rows (records) and spreadsheet cells parsed, and the line
    after which an XLSX sheet was taken to end (a long run of empty rows), if it was."""

    rows: int = 0
    cells: int = 0
    ended_after: int | None = None
    header: list[str] = field(default_factory=list)  # the header's cells as in the file


@dataclass
class Table:
    """An opened file: which columns it has, and its data rows (read lazily, once)."""

    keys: list[str]
    ignored: list[str]
    estimated_rows: int
    encoding: str | None
    rows: Iterator[TableRow]
    reading: Reading = field(default_factory=Reading)


# --- headers -------------------------------------------------------------------------------------


_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)
def normalize_header(text: str) -> str:
    """One spelling per header: full-width → half-width, no spaces, no required-marks (``*小区``)."""
    value = unicodedata.normalize("NFKC", str(text or "")).replace("\ufeff", "")
    value = _SPACES.sub("", value).strip("*")
    return value.lower()


def header_lookup(columns: Sequence[Column]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in columns:
        for name in (column.key, column.header, *column.aliases):
            lookup.setdefault(normalize_header(name), column.key)
    return lookup


class FileMapping(dict[str, str]):
    """A mapping file (对照表) read: source header (normalised) → column key, as a dict; and in
    ``cell_values``, per column key, a cell's text (normalised) → the text read instead."""

    def __init__(
        self, columns: Mapping[str, str] | None = None, cell_values: dict[str, dict[str, str]] | None = None
    ) -> None:
        super().__init__(columns or {})
        self.cell_values: dict[str, dict[str, str]] = cell_values or {}

    def as_json(self) -> dict[str, Any]:
        return {"columns": dict(self), "values": self.cell_values}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> FileMapping:
        """From ``as_json()``; a plain ``{header: key}`` (what jobs stored before) is read too."""
        data = data or {}
        if isinstance(data.get("columns"), dict):
            return cls(data["columns"], {k: dict(v) for k, v in (data.get("values") or {}).items()})
        return cls({k: v for k, v in data.items() if isinstance(v, str)})

    def read(self, key: str, text: str) -> str:
        """The cell's text as the mapping has it read."""
        values = self.cell_values.get(key)
        if not values or not text:
            return text
        return values.get(normalize_header(text), text)


# The keys of a JSON mapping file, in Chinese or English.
_JSON_COLUMNS = ("列名", "columns")
_JSON_VALUES = ("取值", "values")
_CSV_TITLES = {"源列名", "source", "列名"}


def read_mapping(
    data: bytes,
    *,
    filename: str,
    columns: Sequence[Column],
    choices: Mapping[str, Mapping[str, str]] | None = None,
) -> FileMapping:
    """A mapping file (对照表), which a person writes: which column each header of the file is, and
    which value each cell text means. Either a CSV, one line each::

        源列名,标准列名
        楼盘名称,小区            ← the file's 楼盘名称 column is 小区
        备注2,                   ← an empty target: the column is not used
        装修,精装修,精装          ← in 装修, the cell 精装修 reads as 精装
        产权类型,满五唯一,商品房

    or a JSON file ``{"列名": {"楼盘名称": "小区"}, "取值": {"装修": {"精装修": "精装"}}}`` (the
    older ``{"源列名": "标准列名"}`` is read too). Targets are standard column names; a value's
    target must be one the column accepts (``choices``: column key → accepted spellings).
    """
    suffix = PurePath(filename).suffix.lower()
    text = _decode_whole(data)
    pairs: list[tuple[str, str]] = []
    triples: list[tuple[str, str, str]] = []
    if suffix == ".json":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TabularError(_("对照表不是有效的 JSON：%(error)s") % {"error": exc.msg}) from exc
        shape_error = TabularError(
            _(
                'JSON 对照表应为 {"列名": {"源列名": "标准列名"}, "取值": {"标准列名": {"原值": "标准值"}}} 的形式。'
            )
        )
        if not isinstance(loaded, dict):
            raise shape_error
        named = next((loaded[k] for k in _JSON_COLUMNS if k in loaded), None)
        values = next((loaded[k] for k in _JSON_VALUES if k in loaded), None)
        if named is None and values is None:
            named, values = loaded, {}
        if not isinstance(named or {}, dict) or not isinstance(values or {}, dict):
            raise shape_error
        for source, target in (named or {}).items():
            if not isinstance(target, str):
                raise shape_error
            pairs.append((str(source), target))
        for column, spellings in (values or {}).items():
            if not isinstance(spellings, dict) or not all(isinstance(v, str) for v in spellings.values()):
                raise shape_error
            triples.extend((str(column), str(raw), target) for raw, target in spellings.items())
    elif suffix in CSV_SUFFIXES:
        for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
            cells = [c.strip() for c in cells]
            while cells and not cells[-1]:
                cells.pop()
            if not cells or cells[0].startswith("#"):
                continue
            if number == 1 and normalize_header(cells[0]) in _CSV_TITLES:
                continue
            if len(cells) <= 2:
                pairs.append((cells[0], cells[1] if len(cells) == 2 else ""))
            elif len(cells) == 3:
                triples.append((cells[0], cells[1], cells[2]))
            else:
                raise TabularError(
                    _("对照表第 %(line)d 行应为“源列名,标准列名”或“标准列名,原值,标准值”。")
                    % {"line": number}
                )
    else:
        raise TabularError(_("对照表应为 .json 或 .csv 文件。"))
    lookup = header_lookup(columns)

    def column_key(target: str) -> str:
        key = lookup.get(normalize_header(target))
        if key is None:
            raise TabularError(
                _("对照表中的“%(target)s”不是标准列名。可用的列名：%(names)s")
                % {"target": target, "names": "、".join(c.header for c in columns)}
            )
        return key

    mapping = FileMapping()
    for source, target in pairs:
        if not source:
            raise TabularError(_("CSV 对照表每行应为两列：源列名,标准列名。"))
        if target:  # an empty target: the column is not used
            mapping[normalize_header(source)] = column_key(target)
    for column, raw, target in triples:
        key = mapping.get(normalize_header(column)) or column_key(column)
        accepted = (choices or {}).get(key)
        if accepted is not None and target:
            try:
                parse_choice(target, column, accepted)
            except CellError as exc:
                raise TabularError(_("对照表有误：%(error)s") % {"error": exc}) from None
        if raw:
            mapping.cell_values.setdefault(key, {})[normalize_header(raw)] = target
    return mapping


def _resolve_header(
    cells: Sequence[str], lookup: Mapping[str, str], mapping: Mapping[str, str]
) -> tuple[list[str | None], list[str]]:
    """The key of each header cell (None when not understood) and the headers ignored."""
    keys: list[str | None] = []
    ignored: list[str] = []
    for cell in cells:
        name = normalize_header(cell)
        key = (mapping.get(name) or lookup.get(name)) if name else None
        keys.append(key)
        if key is None and name:
            ignored.append(str(cell).strip())
    return keys, ignored


def _check_header(keys: list[str | None], columns: Sequence[Column], header_cells: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key is None:
            continue
        if key in seen:
            header = next(c.header for c in columns if c.key == key)
            raise TabularError(
                _("“%(first)s”和“%(second)s”两列都对应“%(header)s”，请删去一列或修改对照表。")
                % {"first": header_cells[seen[key]], "second": header_cells[index], "header": header}
            )
        seen[key] = index
    missing = [c.header for c in columns if c.required and c.key not in seen]
    if missing:
        raise TabularError(
            _("缺少必需的列：%(missing)s。请检查表头，或用对照表说明列名。") % {"missing": "、".join(missing)}
        )


# --- opening a file ------------------------------------------------------------------------------


def open_table(
    source: str | Path | IO[bytes],
    *,
    filename: str,
    columns: Sequence[Column],
    mapping: Mapping[str, str] | None = None,
    require: bool = True,
) -> Table:
    """Open a CSV or XLSX file; ``filename`` decides the format (uploads have no trustworthy path).

    ``require=False`` opens a file whose header lacks required columns (to suggest a mapping)."""
    suffix = PurePath(filename).suffix.lower()
    if not require:
        columns = [replace(column, required=False) for column in columns]
    if suffix in CSV_SUFFIXES:
        data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
        return _open_csv(data, columns=columns, mapping=mapping or {})
    if suffix in XLSX_SUFFIXES:
        return _open_xlsx(source, columns=columns, mapping=mapping or {})
    if suffix == ".xls":
        raise TabularError(_("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV。"))
    raise TabularError(_("只支持 CSV 和 XLSX 文件。"))


def _find_header(
    rows: Iterator[tuple[int, list[str], list[str]]],
    columns: Sequence[Column],
    mapping: Mapping[str, str],
    reading: Reading,
) -> tuple[int, list[str | None], list[str], Iterator[tuple[int, list[str], list[str]]]]:
    """The first row among the first few with at least two known headers (else the first non-empty).

    Returns the header's line, its keys, the headers ignored, and the rows after the header.
    """
    lookup = header_lookup(columns)
    looked_at: list[tuple[int, list[str], list[str]]] = []
    for line, cells, errors in rows:
        # Trailing empty header cells are padding (Excel pads every row to the widest one).
        while cells and not cells[-1].strip():
            cells = cells[:-1]
        looked_at.append((line, cells, errors))
        if not any(c.strip() for c in cells):
            continue
        keys, ignored = _resolve_header(cells, lookup, mapping)
        if sum(k is not None for k in keys) >= 2:
            _check_header(keys, columns, cells)
            reading.header = [str(c).strip() for c in cells]
            return line, keys, ignored, rows
        if len(looked_at) >= HEADER_SEARCH_ROWS:
            break
    first = next(((i, r) for i, r in enumerate(looked_at) if any(c.strip() for c in r[1])), None)
    if first is None:
        raise TabularError(_("文件是空的，没有表头。"))
    index, (line, cells, _errors) = first
    keys, ignored = _resolve_header(cells, lookup, mapping)
    _check_header(keys, columns, cells)
    reading.header = [str(c).strip() for c in cells]
    return line, keys, ignored, itertools.chain(looked_at[index + 1 :], rows)


def _data_rows(
    rows: Iterator[tuple[int, list[str], list[str]]],
    keys: list[str | None],
    *,
    fixed_width: bool,
    mapping: Mapping[str, str],
) -> Iterator[TableRow]:
    """Cells → values by key (as the mapping file reads them). ``fixed_width``: a CSV row must
    have as many cells as the header."""
    width = len(keys)
    read = mapping.read if isinstance(mapping, FileMapping) and mapping.cell_values else None
    for line, cells, errors in rows:
        if not any(c.strip() for c in cells):
            if errors:  # a line that could not be read into cells at all
                yield TableRow(line=line, values={key: "" for key in keys if key}, errors=list(errors))
            continue
        problems = list(errors)
        extra = cells[width:]
        if len(cells) < width and fixed_width:
            problems.append(
                _("本行有 %(cells)d 列，表头有 %(width)d 列（列错位或少了分隔符）")
                % {"cells": len(cells), "width": width}
            )
        elif any(c.strip() for c in extra):
            problems.append(
                _("本行有 %(cells)d 列，表头只有 %(width)d 列（列错位或多了分隔符）")
                % {"cells": len(cells), "width": width}
            )
        values = {key: clean_cell(cells[i]) if i < len(cells) else "" for i, key in enumerate(keys) if key}
        original = None
        if read is not None:
            original, values = values, {key: read(key, value) for key, value in values.items()}
        yield TableRow(line=line, values=values, errors=problems, cells=cells, original=original)


_EXCEL_TEXT = re.compile(r'^="(.*)"$')


def clean_cell(text: str) -> str:
    """Trim spaces (full-width too) and Excel's text wrappers (``="0123"``, a leading tab)."""
    value = text.strip().strip("\u3000\u00a0\ufeff").strip()
    if value[:1] != "=":
        return value
    match = _EXCEL_TEXT.match(value)
    return match.group(1).strip() if match else value


# --- CSV -----------------------------------------------------------------------------------------

UTF8 = "utf-8"
GB18030 = "gb18030"


def _decode_whole(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode(UTF8, errors="replace")
    try:
        return data.decode(UTF8)
    except UnicodeDecodeError:
        return data.decode(GB18030, errors="replace")


def _choose_encoding(lines: Sequence[bytes]) -> str:
    """UTF-8 unless more lines read as GB18030 (GBK's superset: Excel's "CSV" in China) than as UTF-8.

    Valid UTF-8 with Chinese in it is almost never GBK by accident, so each line that is valid
    UTF-8 counts for UTF-8 only.
    """
    utf8 = gb = 0
    for raw in lines:
        if raw.isascii():
            continue
        try:
            raw.decode(UTF8)
        except UnicodeDecodeError:
            try:
                raw.decode(GB18030)
            except UnicodeDecodeError:
                continue
            gb += 1
        else:
            utf8 += 1
    return GB18030 if gb > utf8 else UTF8


def _encoding_label(encoding: str) -> str:
    return "UTF-8" if encoding == UTF8 else "GBK/GB18030"


def _decoded_lines(lines: Sequence[bytes], encoding: str, bad: set[int]) -> Iterator[str]:
    """Each physical line decoded; a line that does not decode is kept (with replacement
    characters, so that the CSV reader stays in step) and its number added to ``bad``."""
    last = len(lines) - 1
    for index, raw in enumerate(lines):
        ending = "\n" if index < last else ""
        try:
            text = raw.decode(encoding)
            if encoding == GB18030 and not raw.isascii() and _is_utf8(raw):
                # Valid GB18030 too, but a UTF-8 line pasted into a GBK file reads as nonsense.
                bad.add(index + 1)
        except UnicodeDecodeError:
            text = raw.decode(encoding, errors="replace")
            bad.add(index + 1)
        yield text + ending


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode(UTF8)
    except UnicodeDecodeError:
        return False
    return True


class _CsvRecords:
    """(first line, cells, problems) per record of a CSV file; a quoted cell may span lines.

    A quote that is never closed would make the CSV reader take every following line into one
    cell. Once the header's ``width`` is known, a record spanning lines is checked: when it has
    the wrong number of cells, when its quotes do not pair up, or when a line swallowed into it
    looks like a whole row of its own, its first line is reported (its quote is not closed) and
    reading starts again on the next line, so no line is lost without a word.
    """

    def __init__(self, lines: Sequence[bytes], encoding: str, delimiter: str) -> None:
        self.bad: set[int] = set()
        self.texts = list(_decoded_lines(lines, encoding, self.bad))
        self.encoding = encoding
        self.delimiter = delimiter
        self.width: int | None = None

    def _reader(self, index: int) -> Iterator[list[str]]:
        texts = self.texts
        return csv.reader((texts[i] for i in range(index, len(texts))), delimiter=self.delimiter)

    def __iter__(self) -> Iterator[tuple[int, list[str], list[str]]]:
        index = 0  # the next record starts on line index + 1
        base = 0  # the reader was started on line base + 1
        reader = self._reader(0)
        while True:
            start = index + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, [], [_("无法解析此行：%(error)s") % {"error": exc}]
                index = base = start
                reader = self._reader(index)
                continue
            end = base + reader.line_num  # type: ignore[attr-defined]
            if end > start and self._unclosed(start, end, cells):
                yield start, [], [_("此行的引号没有闭合，后面的行会被并进一个单元格；请删去或补全这个引号")]
                index = base = start
                reader = self._reader(index)
                continue
            index = end
            problems = []
            if any(start <= n <= end for n in self.bad):
                problems.append(
                    _("编码错误：此行不是 %(encoding)s 编码的文字，请把整个文件另存为 UTF-8 或 GBK 后重试")
                    % {"encoding": _encoding_label(self.encoding)}
                )
            yield start, cells, problems

    def _unclosed(self, start: int, end: int, cells: list[str]) -> bool:
        """Whether a record spanning lines ``start``..``end`` is an unclosed quote, not a cell
        holding line breaks."""
        width = self.width
        if width is None:
            return False  # still looking for the header
        if len(cells) < width or any(c.strip() for c in cells[width:]):
            return True
        raw = self.texts[start - 1 : end]
        if sum(text.count('"') for text in raw) % 2:
            return True  # still open at the end of the file
        return width >= 3 and any(text.count(self.delimiter) >= width - 1 for text in raw[1:])


def _open_csv(data: bytes, *, columns: Sequence[Column], mapping: Mapping[str, str]) -> Table:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text": UTF-16 with a BOM, tab-separated.
        data = data.decode("utf-16").encode(UTF8)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encoding = UTF8
        lines = data.split(b"\n")
    else:
        lines = data.split(b"\n")
        encoding = _choose_encoding(lines)
    first_line = next((raw for raw in lines if raw.strip()), b"")
    delimiter = "\t" if b"\t" in first_line and b"," not in first_line else ","
    reader = _CsvRecords(lines, encoding, delimiter)
    reading = Reading()
    line, keys, ignored, records = _find_header(iter(reader), columns, mapping, reading)
    reader.width = len(keys)
    # The rows after the header: every remaining non-blank line, an estimate when cells hold line breaks.
    estimated = sum(1 for raw in lines[line:] if raw.strip())
    return Table(
        keys=[k for k in keys if k],
        ignored=ignored,
        estimated_rows=estimated,
        encoding=encoding,
        rows=_data_rows(records, keys, fixed_width=True, mapping=mapping),
        reading=reading,
    )


# --- XLSX ----------------------------------------------------------------------------------------


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# A sheet's own extent (its "dimension", and where its last cell is) is never trusted: a few-KB
# file can claim A1:XFD1048576. Rows are read as the XML has them (never padded to the extent),
# only the header's columns are kept, and the data ends after this many empty rows in a row.
EMPTY_ROWS_END = 1000
# Before the header is found, a row is read this wide at most.
HEADER_COLUMNS = 1000
# Cells past the header that shift a row are counted this far at most.
EXTRA_COLUMNS = 100


def _open_xlsx(
    source: str | Path | IO[bytes], *, columns: Sequence[Column], mapping: Mapping[str, str]
) -> Table:
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # InvalidFileException, zipfile.BadZipFile and friends: not a workbook
        raise TabularError(_("无法读取这个 XLSX 文件，请确认它是 Excel 工作簿。")) from exc
    sheet = workbook.worksheets[0]
    reading = Reading()
    width = HEADER_COLUMNS

    def records() -> Iterator[tuple[int, list[str], list[str]]]:
        last_filled = 0
        try:
            with sheet._get_source() as xml:
                parser = WorkSheetParser(
                    xml,
                    sheet._shared_strings,
                    data_only=True,
                    epoch=workbook.epoch,
                    date_formats=workbook._date_formats,
                    timedelta_formats=workbook._timedelta_formats,
                )
                previous = 0
                for number, cells in parser.parse():
                    reading.rows += 1
                    reading.cells += len(cells)
                    if number - last_filled > EMPTY_ROWS_END:
                        reading.ended_after = last_filled
                        return
                    for gap in range(previous + 1, number):  # rows the XML leaves out are empty
                        yield gap, [], []
                    previous = number
                    row = _xlsx_row(cells, width)
                    if any(row):
                        last_filled = number
                    yield number, row, []
        finally:
            workbook.close()

    line, keys, ignored, rows = _find_header(records(), columns, mapping, reading)
    width = len(keys)
    return Table(
        keys=[k for k in keys if k],
        ignored=ignored,
        estimated_rows=max(min(sheet.max_row or 0, MAX_ESTIMATE) - line, 0),
        encoding=None,
        rows=_data_rows(rows, keys, fixed_width=False, mapping=mapping),
        reading=reading,
    )


# An estimate of the rows (for progress only) is never taken above this from a sheet's extent.
MAX_ESTIMATE = 200_000


def _xlsx_row(cells: list[dict[str, Any]], width: int) -> list[str]:
    """The first ``width`` cells as text; past them, only whether something is there (a shifted row)."""
    row = [""] * width
    beyond = 0
    for cell in cells:
        column, value = cell["column"], cell["value"]
        if column <= width:
            row[column - 1] = _xlsx_text(value)
        elif value is not None and _xlsx_text(value).strip():
            beyond = max(beyond, min(column, width + EXTRA_COLUMNS))
    if beyond:
        row += [""] * (beyond - width - 1) + ["…"]
    return row


# --- cell parsers --------------------------------------------------------------------------------

_MONEY_NOISE = re.compile(r"[,，\s¥￥]|元")
_AREA_NOISE = re.compile(r"[,，\s]|㎡|平方米|平米|平|m²|m2|M2", re.IGNORECASE)


def _number(text: str, label: str, original: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(_("%(label)s“%(value)s”不是数字") % {"label": label, "value": original}) from None
    if not value.is_finite():
        raise CellError(_("%(label)s“%(value)s”不是数字") % {"label": label, "value": original})
    return value


def parse_money(text: str, label: str, *, wan: bool = False) -> Decimal:
    """Yuan to the fen. ``320万`` is 3,200,000; with ``wan`` a bare number is in 万元 too."""
    original = text
    value = _MONEY_NOISE.sub("", unicodedata.normalize("NFKC", text))
    factor = Decimal(1)
    if value.endswith("万"):
        value, factor = value[:-1], WAN
    elif wan:
        factor = WAN
    amount = _number(value, label, original) * factor
    if amount != amount.quantize(FEN):
        raise CellError(_("%(label)s“%(value)s”精确到分即可") % {"label": label, "value": original})
    return amount.quantize(FEN)


def parse_area(text: str, label: str) -> Decimal:
    original = text
    value = _AREA_NOISE.sub("", unicodedata.normalize("NFKC", text))
    area = _number(value, label, original)
    if area != area.quantize(FEN):
        raise CellError(_("%(label)s“%(value)s”最多保留两位小数") % {"label": label, "value": original})
    return area.quantize(FEN)


_INTEGER = re.compile(r"-?\d+")


def parse_int(text: str, label: str) -> int:
    value = unicodedata.normalize("NFKC", text).strip()
    if not _INTEGER.fullmatch(value):
        raise CellError(_("%(label)s“%(value)s”不是整数") % {"label": label, "value": text})
    return int(value)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str, label: str) -> dt.date:
    value = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                break
    raise CellError(
        _("%(label)s“%(value)s”不是有效日期（例如 2024-05-01）") % {"label": label, "value": text}
    )


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "对"}
_FALSE = {"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "不是"}


def parse_bool(text: str, label: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(_("%(label)s“%(value)s”应填“是”或“否”") % {"label": label, "value": text})


class Choices(dict[str, str]):
    """Spelling → code; ``labels`` are the spellings an error message suggests."""

    labels: tuple[str, ...] = ()
    lookup: dict[str, str] | None = None  # normalised spelling → code, built once


def parse_choice(text: str, label: str, choices: Mapping[str, str]) -> str:
    """A value by its Chinese label, its code or another known spelling (``精装``, ``fine``, ``精装修``)."""
    lookup = getattr(choices, "lookup", None) or {normalize_header(k): v for k, v in choices.items()}
    code = lookup.get(normalize_header(text))
    if code is not None:
        return code
    shown = getattr(choices, "labels", ()) or tuple(n for n in choices if not n.isascii())
    raise CellError(
        _("%(label)s“%(value)s”无效，可填：%(choices)s")
        % {"label": label, "value": text, "choices": "、".join(shown)}
    )


def choices_of(text_choices: Any, **extra: str) -> Choices:
    """Label → code for a TextChoices class, codes too, plus extra spellings.

    The labels are the Chinese ones whatever language is active: spreadsheets are written in
    Chinese, and this runs once, at import time, in whichever request comes first.
    """
    with translation.override(FILE_LANGUAGE):
        mapping = Choices({str(label): value for value, label in text_choices.choices})
        mapping.labels = tuple(str(label) for label in text_choices.labels if str(label))
    mapping.update({value: value for value in text_choices.values})
    mapping.update(extra)
    mapping.lookup = {normalize_header(k): v for k, v in mapping.items()}
    return mapping


def check_length(text: str, label: str, limit: int) -> str:
    if len(text) > limit:
        raise CellError(
            _("%(label)s太长（%(length)d 个字），最多 %(limit)d 个字")
            % {"label": label, "length": len(text), "limit": limit}
        )
    return text
