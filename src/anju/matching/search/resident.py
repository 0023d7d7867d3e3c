"""The match layout held in memory as NumPy columns: the two questions at a million rows.

``ListingRow`` and ``NeedRow`` stay the source of truth (decision 0009). When a company's layout
is big (``settings.MATCH_RESIDENT_MIN_ROWS`` rows), each process loads a copy of it in the
background and answers from the copy: a need's candidates are a few contiguous slices of the
listings sorted by (kind, district, price); a listing's are a prefix of the needs sorted by (kind,
district, lowest price). The scoring terms are the same ones the database evaluates — they run on
NumPy arrays as they render to SQL — so both answer exactly alike.

Every layout write is logged in ``LayoutChange``. Before answering, a question reads the changes
its connection can see that the copy does not hold and re-reads those rows (the "overlay"): the
answer is copy + overlay, exactly what the database shows this connection, its own transaction's
uncommitted writes included. On PostgreSQL a change is "held" when its transaction was visible to
the snapshot the copy was read in (``pg_visible_in_snapshot``), so a transaction that commits late
is never missed; on SQLite writers take turns and the change id alone says it.

The engine asks the database instead (returns ``None`` here) until a copy is loaded, after a
rebuild, when the copy is older than the change log keeps, or while more than ``OVERLAY_MAX``
objects have changed since it was read; a fresh copy is then loaded in the background.

The processes of a machine share one copy (``settings.MATCH_SHARED_DIR``): the process that reads
the database writes the copy's columns there as ``.npy`` files with a manifest (the company, the
mark, the read time, the blocks) and maps them read-only, so the page cache holds the numbers once
however many web and job workers answer from them. A process that needs a copy first maps the
newest shared one still usable by the same rules (its age from the read time, no rebuild since its
mark, few enough changes); one process at a time reads the database for a company (a file lock).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, connections

from anju.core.memory import give_back
from anju.matching.models import (
    LISTING_ROW_COLUMNS,
    NEED_ROW_COLUMNS,
    LayoutChange,
    ListingRow,
    NeedPlace,
    NeedRow,
)
from anju.matching.search.layout import BAND_BOUNDS, OVERLAY_MAX
from anju.matching.search.scoring import (
    MAX_POINTS,
    NO_PREFERENCES,
    ListingSide,
    NeedSide,
    Preferences,
    adjustment_terms,
    clamp,
    hard_fit_term,
    total_of,
)

log = logging.getLogger(__name__)

RELOAD_AFTER_CHANGES = 5_000  # objects changed since the copy was read: read a fresh one
# OVERLAY_MAX (from layout) changes or more: the database answers until the fresh copy is in.
RELOAD_AFTER_SECONDS = 6 * 3600
USABLE_SECONDS = 20 * 3600  # the change log keeps two days (``prune_changes``); stay well inside
SIZE_CHECK_SECONDS = 600
SHARED_GRACE_SECONDS = 300  # a shared copy no longer the newest is removed this long after
LOCK_WAIT_SECONDS = 600  # waiting longer for another process's read: read a private copy
MANIFEST = "manifest.json"
FETCH = 50_000
_SMALL = 10**8  # columns whose values stay within ±this are held as int32 (room for the terms' ×11)
_NEED_COLUMNS = tuple(c for c in NEED_ROW_COLUMNS if c not in ("company_id", "band"))
_LISTING_COLUMNS = tuple(c for c in LISTING_ROW_COLUMNS if c != "company_id")
_NEED_SIDE = tuple(name for name in NeedSide.__dataclass_fields__ if name != "places")


# --- the copy --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """What the copy holds: every change up to ``change_id``, and on PostgreSQL those visible to
    ``snapshot`` (``xmin`` is its lowest transaction still running then)."""

    change_id: int
    snapshot: str | None = None
    xmin: int = 0
    reader: int = -1  # the reading transaction, when it had written (its writes were read too)


@dataclass
class Table:
    """Rows as columns, sorted by (kind, district, ``by``); ``blocks`` locates each (kind, district)."""

    columns: dict[str, np.ndarray]
    blocks: dict[tuple[int, int], tuple[int, int]]

    @classmethod
    def of(cls, columns: dict[str, np.ndarray], by: str, id_column: str) -> Table:
        order = np.lexsort((columns[id_column], columns[by], columns["district"], columns["kind"]))
        columns = {name: _compact(values[order]) for name, values in columns.items()}
        blocks: dict[tuple[int, int], tuple[int, int]] = {}
        if len(order):
            key = columns["kind"].astype(np.int64) * (1 << 40) + columns["district"]
            starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            ends = np.r_[starts[1:], len(key)]
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                blocks[(int(columns["kind"][start]), int(columns["district"][start]))] = (start, end)
        return cls(columns, blocks)

    def take(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        return {name: values[rows] for name, values in self.columns.items()}


@dataclass
class Copy:
    company_id: int
    mark: Mark
    listings: Table
    needs: Table  # one row per (need, district): the bands are the database's device
    place_codes: np.ndarray  # NeedPlace, sorted by place
    place_needs: np.ndarray
    read_at: float = field(default_factory=time.time)  # wall clock: copies travel between processes
    load_seconds: float = 0.0  # reading the database, or mapping a shared copy
    shared: Path | None = None  # the directory its arrays are mapped from (read-only)
    mapped: bool = False  # another process read it: this one only mapped its files

    @property
    def age(self) -> float:
        return time.time() - self.read_at


@dataclass
class Overlay:
    """The rows changed since the copy was read, as the asking connection sees them now."""

    listing_ids: np.ndarray
    listings: dict[str, np.ndarray]
    need_ids: np.ndarray
    needs: dict[str, np.ndarray]
    place_needs: np.ndarray
    place_codes: np.ndarray


def _compact(values: np.ndarray) -> np.ndarray:
    if len(values) and values.min() >= -_SMALL and values.max() <= _SMALL:
        return values.astype(np.int32)
    return values.astype(np.int64)


def _read(sql: str, params: list, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """A query's rows as int64 columns, fetched in chunks (from a server-side cursor on PostgreSQL,
    as ``QuerySet.iterator`` does) so a million rows never sit in memory as tuples."""
    chunks: list[np.ndarray] = []
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            chunks.append(np.array(rows, dtype=np.int64))
    table = np.concatenate(chunks) if chunks else np.empty((0, len(names)), dtype=np.int64)
    return {name: np.ascontiguousarray(table[:, i]) for i, name in enumerate(names)}


def _first_band_sql() -> str:
    """True for the one row of each (need, district) in the lowest band the need spans."""
    branches = []
    for kind, bounds in BAND_BOUNDS.items():
        whens = " ".join(f"WHEN {band} THEN {bound}" for band, bound in enumerate(bounds, start=1))
        branches.append(f"(kind = {kind} AND price_low >= (CASE band {whens} ELSE 0 END))")
    return f"(band = 0 OR {' OR '.join(branches)})"


def _mark() -> Mark:
    table = LayoutChange._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(MAX(id), 0), pg_current_snapshot()::text,"  # noqa: S608 - our table
                f" COALESCE(pg_current_xact_id_if_assigned()::text::bigint, -1) FROM {table}"
            )
            change_id, snapshot, reader = cursor.fetchone()
            return Mark(change_id, snapshot, int(snapshot.split(":")[0]), reader)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        return Mark(cursor.fetchone()[0])


def _listing_rows(where: str, params: list) -> dict[str, np.ndarray]:
    sql = f"SELECT {', '.join(_LISTING_COLUMNS)} FROM {ListingRow._meta.db_table} WHERE {where}"  # noqa: S608
    return _read(sql, params, _LISTING_COLUMNS)


def _need_rows(where: str, params: list) -> dict[str, np.ndarray]:
    sql = (
        f"SELECT {', '.join(_NEED_COLUMNS)} FROM {NeedRow._meta.db_table}"  # noqa: S608
        f" WHERE {where} AND {_first_band_sql()}"
    )
    return _read(sql, params, _NEED_COLUMNS)


def _place_rows(where: str, params: list) -> dict[str, np.ndarray]:
    sql = f"SELECT need_id, place FROM {NeedPlace._meta.db_table} WHERE {where}"  # noqa: S608
    return _read(sql, params, ("need_id", "place"))


def load(company_id: int, *, reuse: bool = False) -> Copy:
    """Read the company's layout into memory and install it for this process; returns the copy.

    The copy is shared with the machine's other processes when it can be (see ``_shared_place``).
    With ``reuse``, the newest shared copy still usable is mapped instead of reading the database.
    """
    generation = _generation[0]
    with _shared_place(company_id) as place:
        copy = _adopt(company_id, place) if reuse and place is not None else None
        if copy is None:
            copy = _read_copy(company_id)
            if place is not None:
                copy = _publish(copy, place)
            # The rows as fetched, the unsorted columns, the private arrays once mapped: 30–70 MB
            # a process at 200,000 rows that glibc would otherwise keep.
            give_back()
    with _lock:
        if generation == _generation[0]:  # not forgotten while it was read
            _copies[company_id] = copy
    return copy


def _read_copy(company_id: int) -> Copy:
    started = time.perf_counter()
    mark = _mark()  # first: rows read after it may be newer, never older (the overlay re-reads)
    listings = _listing_rows("company_id = %s", [company_id])
    needs = _need_rows("company_id = %s", [company_id])
    places = _place_rows("1 = 1", [])
    held = np.isin(places["need_id"], needs["need_id"])
    order = np.argsort(places["place"][held], kind="stable")
    copy = Copy(
        company_id=company_id,
        mark=mark,
        listings=Table.of(listings, "price", "listing_id"),
        needs=Table.of(needs, "price_low", "need_id"),
        place_codes=places["place"][held][order],
        place_needs=places["need_id"][held][order],
    )
    copy.load_seconds = time.perf_counter() - started
    log.info("read the match layout of company %s from the database in %.1f s", company_id, copy.load_seconds)
    return copy


def forget() -> None:
    """Drop this process's copies, and any being read, once those reads are done."""
    for thread in list(_threads):
        thread.join()
    with _lock:
        _generation[0] += 1
        _copies.clear()
        _sizes.clear()


# --- one copy for the processes of a machine -------------------------------------------------------


@contextlib.contextmanager
def _shared_place(company_id: int) -> Iterator[Path | None]:
    """The directory of the company's shared copies, locked by this process while it is used;
    ``None``: keep a private copy (sharing is off, the directory cannot be written, or the copy is
    read inside a transaction — it may hold that transaction's uncommitted writes, which no other
    process may see)."""
    root = settings.MATCH_SHARED_DIR
    if not root or connection.in_atomic_block:
        yield None
        return
    place = Path(root) / str(int(company_id))
    try:
        place.mkdir(parents=True, exist_ok=True)
        handle = open(place / ".lock", "a+b")  # noqa: SIM115 - closed below, after the yield
    except OSError as error:
        log.warning(
            "the match layout cannot be shared in %s (%s): this process keeps its own copy", place, error
        )
        yield None
        return
    with handle:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:  # another process may be reading the database for this company: wait for it
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    log.warning(
                        "waited %s s for the shared match layout in %s: reading a private copy",
                        LOCK_WAIT_SECONDS,
                        place,
                    )
                    yield None
                    return
                time.sleep(0.2)
        try:
            yield place
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _arrays(copy: Copy) -> dict[str, np.ndarray]:
    return {
        **{f"listings.{name}": values for name, values in copy.listings.columns.items()},
        **{f"needs.{name}": values for name, values in copy.needs.columns.items()},
        "place_codes": copy.place_codes,
        "place_needs": copy.place_needs,
    }


def _database() -> str:
    """Which database a copy was read from (a machine may run more than one installation)."""
    db = connection.settings_dict
    return f"{connection.vendor}:{db.get('HOST') or ''}:{db.get('PORT') or ''}:{db['NAME']}"


def _change_at(change_id: int) -> str | None:
    """When change ``change_id`` was logged: with the id, it tells this database's history from
    another's (a recreated database counts its changes from 1 again)."""
    at = LayoutChange.objects.filter(pk=change_id).values_list("at", flat=True).first()
    return at.isoformat() if at is not None else None


def _publish(copy: Copy, place: Path) -> Copy:
    """Write ``copy`` into ``place`` for the machine's other processes and return it mapped from
    there (its private arrays are then freed); unchanged when it cannot be written."""
    change_at = _change_at(copy.mark.change_id)
    if change_at is None:  # nothing logged yet: nothing would tell what the copy holds
        return copy
    arrays = _arrays(copy)
    writing = place / f".writing-{uuid.uuid4().hex}"
    final = place / f"{round(copy.read_at * 1e6):017d}-{copy.mark.change_id}-{os.getpid()}"
    manifest = {
        "format": 1,
        "company_id": copy.company_id,
        "database": _database(),
        "generation": copy.mark.change_id,
        "mark": {
            "change_id": copy.mark.change_id,
            "snapshot": copy.mark.snapshot,
            "xmin": copy.mark.xmin,
            "reader": copy.mark.reader,
        },
        "change_at": change_at,
        "read_at": copy.read_at,
        "load_seconds": copy.load_seconds,
        "blocks": {
            name: [[*key, *rows] for key, rows in table.blocks.items()]
            for name, table in (("listings", copy.listings), ("needs", copy.needs))
        },
        "lengths": {name: len(values) for name, values in arrays.items()},
    }
    try:
        writing.mkdir()
        for name, values in arrays.items():
            np.save(writing / f"{name}.npy", values, allow_pickle=False)
        (writing / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")  # last: it completes
        writing.rename(final)
    except OSError as error:
        log.warning(
            "the match layout cannot be shared in %s (%s): this process keeps its own copy", place, error
        )
        shutil.rmtree(writing, ignore_errors=True)
        return copy
    _prune(place, final)
    found = _map(final, copy.company_id)
    if found is None:
        return copy
    mapped, _manifest = found
    mapped.load_seconds = copy.load_seconds
    log.info("shared the match layout of company %s in %s", copy.company_id, final)
    return mapped


def _map(path: Path, company_id: int) -> tuple[Copy, dict[str, Any]] | None:
    """The shared copy in ``path``, its arrays mapped read-only; ``None`` when it is incomplete,
    damaged, or another company's or database's."""
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        if (manifest["format"], manifest["company_id"], manifest["database"]) != (1, company_id, _database()):
            return None
        arrays = {}
        for name, length in manifest["lengths"].items():
            values = np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if values.shape != (length,):
                raise ValueError(f"{name} holds {values.shape} values, not {length}")
            arrays[name] = np.asarray(values)  # a plain read-only view of the mapped pages
        tables = {}
        for side in ("listings", "needs"):
            columns = {name.split(".", 1)[1]: v for name, v in arrays.items() if name.startswith(f"{side}.")}
            blocks = {
                (kind, district): (start, end) for kind, district, start, end in manifest["blocks"][side]
            }
            tables[side] = Table(columns, blocks)
        copy = Copy(
            company_id=company_id,
            mark=Mark(**manifest["mark"]),
            listings=tables["listings"],
            needs=tables["needs"],
            place_codes=arrays["place_codes"],
            place_needs=arrays["place_needs"],
            read_at=float(manifest["read_at"]),
            shared=path,
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.info("ignoring the shared match layout in %s: %s", path, error)
        return None
    return copy, manifest


def _adopt(company_id: int, place: Path) -> Copy | None:
    """The newest shared copy of the company, mapped, if it is still usable: younger than
    ``RELOAD_AFTER_SECONDS``, read from this database, no rebuild and at most
    ``RELOAD_AFTER_CHANGES`` changes since its mark. Damaged or incomplete ones are passed over."""
    candidates = sorted(
        (
            entry
            for entry in place.iterdir()
            if not entry.name.startswith(".") and (entry / MANIFEST).is_file()
        ),
        key=lambda entry: entry.name,
        reverse=True,
    )
    for path in candidates:
        started = time.perf_counter()
        found = _map(path, company_id)
        if found is None:
            continue
        copy, manifest = found
        if copy.age > RELOAD_AFTER_SECONDS or _change_at(copy.mark.change_id) != manifest["change_at"]:
            return None
        changed = _changed(copy)
        if changed is None or len(changed[0]) + len(changed[1]) > RELOAD_AFTER_CHANGES:
            return None
        copy.load_seconds = time.perf_counter() - started
        copy.mapped = True
        _prune(place, path)
        log.info("mapped the match layout of company %s from %s", company_id, path)
        return copy
    return None


def _prune(place: Path, newest: Path) -> None:
    """Remove the company's shared copies older than ``newest`` once they have not been the newest
    for ``SHARED_GRACE_SECONDS`` (processes mapping one keep it: Linux frees the pages only when
    they unmap), and what a writer that died left (the caller holds the lock: nobody is writing)."""
    now = time.time()
    for entry in place.iterdir():
        try:
            if entry.name.startswith(".writing-"):
                shutil.rmtree(entry)
            elif entry.is_dir() and not entry.name.startswith(".") and entry.name < newest.name:
                superseded = entry / ".superseded"
                if not superseded.exists():
                    superseded.touch()
                elif now - superseded.stat().st_mtime > SHARED_GRACE_SECONDS:
                    shutil.rmtree(entry)
        except OSError as error:
            log.warning("could not remove the old shared match layout %s: %s", entry, error)


# --- which copy answers ----------------------------------------------------------------------------

_copies: dict[int, Copy] = {}
_loading: set[int] = set()
_threads: set[threading.Thread] = set()
_sizes: dict[int, tuple[float, int]] = {}
_generation = [0]
_lock = threading.Lock()


def answering(company_id: int) -> tuple[Copy, Overlay] | None:
    """The copy and overlay to answer from, or ``None``: ask the database (and maybe start a load)."""
    copy = _copies.get(company_id)
    if copy is None:
        if _big(company_id):
            _load_in_background(company_id)
        return None
    if copy.age > RELOAD_AFTER_SECONDS:
        _load_in_background(company_id)
    if copy.age > USABLE_SECONDS:
        return None
    changed = _changed(copy)
    if changed is None:
        _load_in_background(company_id)
        return None
    listing_ids, need_ids = changed
    if len(listing_ids) + len(need_ids) > RELOAD_AFTER_CHANGES:
        _load_in_background(company_id)
    return copy, _overlay(company_id, listing_ids, need_ids)


def copies_held() -> int:
    """How many companies' copies this process holds (the ``anju_match_resident_copies`` gauge)."""
    return len(_copies)


def _big(company_id: int) -> bool:
    checked = _sizes.get(company_id)
    if checked is None or time.monotonic() - checked[0] > SIZE_CHECK_SECONDS:
        needed = settings.MATCH_RESIDENT_MIN_ROWS
        rows = 0
        for model in (ListingRow, NeedRow):  # counted only as far as the threshold
            rows += model.objects.filter(company_id=company_id)[: max(needed - rows, 0)].count()
        checked = _sizes[company_id] = (time.monotonic(), rows)
    return checked[1] >= settings.MATCH_RESIDENT_MIN_ROWS


def _load_in_background(company_id: int) -> None:
    with _lock:
        if company_id in _loading:
            return
        _loading.add(company_id)

    def run() -> None:
        try:
            load(company_id, reuse=True)
        except Exception:  # the database keeps answering; the next question tries again
            log.exception("loading the match layout of company %s into memory failed", company_id)
        finally:
            connections.close_all()  # this thread's own connections
            with _lock:
                _loading.discard(company_id)
                _threads.discard(thread)

    thread = threading.Thread(target=run, name=f"match-layout-{company_id}", daemon=True)
    with _lock:
        _threads.add(thread)
    thread.start()


def _changed(copy: Copy) -> tuple[list[int], list[int]] | None:
    """The listings and needs changed since the copy was read; ``None`` after a rebuild or too many."""
    table, mark = LayoutChange._meta.db_table, copy.mark
    sql = f"SELECT listing_id, need_id FROM {table} WHERE company_id = %s AND id > %s"  # noqa: S608
    params: list[Any] = [copy.company_id, mark.change_id]
    if mark.snapshot is not None:
        sql += (
            f" UNION SELECT listing_id, need_id FROM {table} WHERE company_id = %s AND xid >= %s"  # noqa: S608
            " AND xid <> %s AND NOT pg_visible_in_snapshot(xid::text::xid8, %s::pg_snapshot)"
        )
        params += [copy.company_id, mark.xmin, mark.reader, mark.snapshot]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {OVERLAY_MAX * 2 + 1}", params)
        rows = cursor.fetchall()
    listing_ids = {lid for lid, nid in rows if lid is not None}
    need_ids = {nid for lid, nid in rows if nid is not None}
    rebuilt = any(lid is None and nid is None for lid, nid in rows)
    if rebuilt or len(rows) > OVERLAY_MAX * 2 or len(listing_ids) + len(need_ids) > OVERLAY_MAX:
        return None
    return sorted(listing_ids), sorted(need_ids)


def _overlay(company_id: int, listing_ids: list[int], need_ids: list[int]) -> Overlay:
    listings = _by_ids(_listing_rows, _LISTING_COLUMNS, "listing_id", listing_ids, company_id)
    needs = _by_ids(_need_rows, _NEED_COLUMNS, "need_id", need_ids, company_id)
    places = _by_ids(_place_rows, ("need_id", "place"), "need_id", need_ids, None)
    return Overlay(
        listing_ids=np.array(listing_ids, dtype=np.int64),
        listings=listings,
        need_ids=np.array(need_ids, dtype=np.int64),
        needs=needs,
        place_needs=places["need_id"],
        place_codes=places["place"],
    )


def _by_ids(
    read: Callable[[str, list], dict[str, np.ndarray]],
    names: tuple[str, ...],
    column: str,
    ids: list[int],
    company_id: int | None,
) -> dict[str, np.ndarray]:
    """The rows whose ``column`` is one of ``ids`` (no query when there are none: the usual case)."""
    parts = [{name: np.empty(0, dtype=np.int64) for name in names}]
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        where = f"{column} IN ({', '.join(str(int(i)) for i in batch)})"
        if company_id is not None:
            where += f" AND company_id = {int(company_id)}"
        parts.append(read(where, []))
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _with_overlay(
    table: Table, rows: np.ndarray, id_column: str, changed: np.ndarray, overlay: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The copy's ``rows`` (less those changed since) and the overlay's rows, as one set of columns."""
    if len(changed):
        rows = rows[_without(table.columns[id_column][rows], changed)]
    found = table.take(rows)
    if not len(overlay[id_column]):
        return found
    return {name: np.concatenate([found[name], overlay[name]]) for name in found}


def _where(columns: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    return columns if keep.all() else {name: values[keep] for name, values in columns.items()}


def _without(ids: np.ndarray, changed: np.ndarray) -> np.ndarray:
    """Which of ``ids`` were not changed since the copy (their copied rows still hold)."""
    return ~np.isin(ids, changed) if len(changed) else np.ones(len(ids), dtype=bool)


# --- need -> listings ------------------------------------------------------------------------------


def listings_scan(
    answer: tuple[Copy, Overlay],
    *,
    need: NeedSide,
    loose: NeedSide,
    districts: list[int],
    category: Callable[[dict[str, np.ndarray]], np.ndarray],
    preferences: Preferences,
    limit: int,
    offset: int = 0,
) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Counts by ``category`` of the listings meeting ``loose``, and the best ``limit`` of category 0
    after the first ``offset``."""
    copy, overlay = answer
    table, cols = copy.listings, copy.listings.columns
    ranges = []
    for district in districts:
        lo, hi = table.blocks.get((int(need.kind), int(district)), (0, 0))
        prices = cols["price"][lo:hi]
        start = np.searchsorted(prices, need.price_low, "left")
        ranges.append(np.arange(lo + start, lo + np.searchsorted(prices, need.price_high, "right")))
    rows = np.concatenate(ranges) if ranges else np.empty(0, dtype=np.int64)
    candidates = _with_overlay(table, rows, "listing_id", overlay.listing_ids, overlay.listings)
    side = ListingSide(**{name: candidates[name] for name in ListingSide.__dataclass_fields__})
    fits = np.asarray(hard_fit_term(loose, side, np.isin(candidates["district"], districts)), dtype=bool)
    candidates = _where(candidates, fits)
    categories = category(candidates)
    counts = {code: int(n) for code, n in enumerate(np.bincount(categories)) if n}
    best: list[tuple[int, int]] = []
    chosen = np.flatnonzero(categories == 0)
    if limit > 0 and len(chosen) > offset:
        side = ListingSide(**{name: candidates[name][chosen] for name in ListingSide.__dataclass_fields__})
        scores = np.asarray(total_of(need, side, preferences), dtype=np.int64)
        ids = candidates["listing_id"][chosen].astype(np.int64)
        best = [(int(ids[i]), int(scores[i])) for i in _best(ids, scores, offset + limit)[offset:]]
    return counts, best


def _best(ids: np.ndarray, scores: np.ndarray, limit: int | None) -> np.ndarray:
    """Positions of the ``limit`` best (all if ``None``): score descending, ties by id ascending."""
    key = (MAX_POINTS - np.clip(scores, 0, MAX_POINTS)).astype(np.int64) * (1 << 48) + ids
    if limit is not None and len(key) > limit:
        chosen = np.argpartition(key, limit - 1)[:limit]
        return chosen[np.argsort(key[chosen])]
    return np.argsort(key)


# --- listing -> needs ------------------------------------------------------------------------------


def needs_scan(
    answer: tuple[Copy, Overlay],
    *,
    listing: ListingSide,
    rejected: list[int],
    preferences: Callable[[list[int]], dict[int, Preferences]],
    limit: int | None,
) -> tuple[int, dict[str, np.ndarray]]:
    """How many needs ``listing`` satisfies, and the best ``limit`` (all if ``None``) as columns
    ``need_id``, ``client_id``, ``agent_id``, ``has_feedback`` and ``score``, best first."""
    copy, overlay = answer
    table, cols = copy.needs, copy.needs.columns
    ranges = []
    for district in sorted({0, int(listing.district)}):
        lo, hi = table.blocks.get((int(listing.kind), district), (0, 0))
        end = lo + int(np.searchsorted(cols["price_low"][lo:hi], listing.price, "right"))
        ranges.append(lo + np.flatnonzero(cols["price_high"][lo:end] >= listing.price))
    rows = np.concatenate(ranges)
    candidates = _with_overlay(table, rows, "need_id", overlay.need_ids, overlay.needs)
    districts = (candidates["district"] == 0) | (candidates["district"] == listing.district)
    fits = np.asarray(hard_fit_term(_need_side(candidates, None), listing, districts), dtype=bool)
    if rejected:
        fits &= _without(candidates["need_id"], np.array(rejected, dtype=np.int64))
    matching = _where(candidates, fits)
    ids = matching["need_id"].astype(np.int64)
    # Only needs that name places ask whether the listing is in one of them.
    inside = np.zeros(len(ids), dtype=bool)
    naming = np.flatnonzero(matching["has_places"] != 0)
    inside[naming] = np.isin(ids[naming], _liking(copy, overlay, listing))
    scores = np.asarray(total_of(_need_side(matching, inside), listing, NO_PREFERENCES), dtype=np.int64)
    learned = np.flatnonzero(matching["has_feedback"] != 0)
    if len(learned):
        found_preferences = preferences([int(i) for i in ids[learned]])
        for at in learned.tolist():
            learned_here = found_preferences.get(int(ids[at]))
            if learned_here is not None and learned_here.adjustments:
                scores[at] = clamp(int(scores[at]) + sum(adjustment_terms(learned_here, listing)))
    order = _best(ids, scores, limit)
    best = {name: matching[name][order] for name in ("need_id", "client_id", "agent_id", "has_feedback")}
    return len(ids), {**best, "score": scores[order]}


def _need_side(columns: dict[str, np.ndarray], inside: np.ndarray | None) -> NeedSide:
    """The needs' side of the terms; ``inside``: whether the listing is in a place each names
    (``None`` where no term reads it)."""
    return NeedSide(**{name: columns[name] for name in _NEED_SIDE}, places=lambda _c, _a: inside)


def _liking(copy: Copy, overlay: Overlay, listing: ListingSide) -> np.ndarray:
    """The needs that name the listing's business area or community."""
    found = []
    for code in (2 * int(listing.business_area), 2 * int(listing.community) + 1):
        lo, hi = np.searchsorted(copy.place_codes, [code, code + 1])
        found.append(copy.place_needs[lo:hi])
    base = np.concatenate(found)
    base = base[_without(base, overlay.need_ids)]
    codes = (2 * int(listing.business_area), 2 * int(listing.community) + 1)
    return np.concatenate([base, overlay.place_needs[np.isin(overlay.place_codes, codes)]])
