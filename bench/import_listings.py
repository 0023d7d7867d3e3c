"""Time ``anju import listings`` on N valid rows against an agency already holding M flats, while
other users keep using the API, and print the result as JSON.

    python bench/import_listings.py                      # 100,000 rows, 1,000,000 flats, SQLite
    python bench/import_listings.py --scale 0.02         # the same at 2 %: a quick try
    DATABASE_URL=postgres://... python bench/import_listings.py --output bench/results/import_pg.json

The run loads the demo agency first (``anju demo``) into a scratch database: SQLite in a fresh
temporary data directory (removed afterwards) or, with ``DATABASE_URL``, a PostgreSQL database
that must exist and hold no agency yet (it is migrated and left as it is: drop it yourself).
It then adds ``--flats`` flats to the demo's communities with the bulk writer (``seed_seconds``),
in other buildings but with the same room numbers as the file's, so that a duplicate check that
does not look at whole addresses would fetch them all.

It writes a CSV of N valid listings in the demo company's communities, as an agency's
spreadsheet would have them (Chinese headers, prices in 万), and measures:

* ``check_seconds``: ``anju import listings --dry-run`` (read, parse, check; nothing written),
  as the command reports it;
* ``seconds``: ``anju import listings`` (the checks, then the writing in one transaction), as
  the command reports it; ``process_seconds`` is the whole command, Python's start included;
* ``peak_rss_mb``: the import process's own peak resident memory (its ``VmHWM``; target: under 500 MB);
* ``process_cpu_seconds``: the CPU time the import process used (the database server's not
  counted), and ``load_average`` at the end: on a shared machine, wall time says little alone;
* ``requests``: while the import runs, ``--users`` threads each ask the API for a page of
  listings with their own token (whose use is recorded: a write), again and again: how many
  requests, how many failed (target: none), and their latency (p50, p95, max, in ms);
* ``bulk_create_seconds``: a plain ``bulk_create`` of the same flats and listings, without any
  reading or checking — what the ORM's own bulk path costs (rolled back afterwards);
* ``writer_seconds``: the rows written by the multi-row writer the import uses, without reading
  or checking — the lower bound for the writing part (rolled back afterwards).

Both baselines run the foreign-key checks that PostgreSQL defers to commit before rolling back,
so that they pay what a committed write pays.

The target is 100,000 rows in under 20 seconds against 1,000,000 flats, on SQLite and on
PostgreSQL, on a two-core machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HEADER = [
    "小区",
    "区县",
    "楼栋",
    "单元",
    "门牌号",
    "所在楼层",
    "总楼层",
    "户型",
    "建筑面积",
    "朝向",
    "装修",
    "类型",
]
HEADER += ["挂牌价", "挂牌日期", "建成年份", "电梯", "标题"]
IMPORTER = "zhangwei"  # an agent of the demo's 光谷店
FEN = Decimal("0.01")
SEED_BATCH = 50_000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--flats", type=int, default=1_000_000, help="flats the agency already holds")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply --rows and --flats by this (e.g. 0.02 to try it)"
    )
    parser.add_argument("--demo-listings", type=int, default=5000, help="listings the demo starts with")
    parser.add_argument("--users", type=int, default=3, help="threads using the API during the import")
    parser.add_argument(
        "--no-baselines", action="store_true", help="skip the bulk_create and writer baselines"
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch data directory and file (printed)"
    )
    parser.add_argument(
        "--profile", type=Path, help="run the import under cProfile and write its statistics here (slower)"
    )
    parser.add_argument(
        "--output", type=Path, help="also write the JSON here (e.g. bench/results/import.json)"
    )
    args = parser.parse_args()
    args.rows = max(int(args.rows * args.scale), 1)
    args.flats = int(args.flats * args.scale)

    work = Path(tempfile.mkdtemp(prefix="anju-import-bench-"))
    os.environ["ANJU_DATA_DIR"] = str(work / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "anju.settings"
    try:
        result = _run(args, work)
    finally:
        if args.keep:
            print(f"kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    if result["requests"]["errors"]:
        sys.exit("other users' requests failed during the import")


def _run(args: argparse.Namespace, work: Path) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from anju.listings.models import Listing, Property

    call_command("migrate", "--noinput", verbosity=0)
    call_command(
        "demo",
        "--no-progress",
        "--listings",
        str(args.demo_listings),
        "--clients",
        "1000",
        stdout=io.StringIO(),
    )
    seed_seconds = _timed(lambda: _seed_flats(args.flats))
    flats = Property.objects.count()
    path = work / "listings.csv"
    rows = _write_csv(path, args.rows, random.Random(args.seed))
    before = Listing.objects.count()

    baselines = {}
    if not args.no_baselines:
        baselines["bulk_create_seconds"] = round(_timed(lambda: _plain_bulk_create(rows)), 2)
        baselines["writer_seconds"] = round(_timed(lambda: _plain_writer(rows)), 2)
    command = ["import", "listings", str(path), "--as", IMPORTER, "--no-progress"]
    check = _command([*command, "--dry-run"])
    tokens = _tokens(args.users)
    connection.close()  # the threads and the import open their own
    users = _Users(tokens)
    users.start()
    imported = _command(command, profile=args.profile)
    requests = users.stop()
    written = Listing.objects.count() - before
    if written != args.rows:
        sys.exit(f"expected {args.rows} listings written, found {written}: {imported['output']}")
    return {
        "rows": args.rows,
        "flats_before": flats,
        "database": connection.vendor,
        "seconds": imported["seconds"],
        "rows_per_second": round(args.rows / imported["seconds"]),
        "process_seconds": imported["process_seconds"],
        "process_cpu_seconds": imported["cpu_seconds"],
        "load_average": [round(load, 1) for load in os.getloadavg()],
        "peak_rss_mb": imported["peak_rss_mb"],
        "check_seconds": check["seconds"],
        "check_peak_rss_mb": check["peak_rss_mb"],
        "requests": requests,
        "seed_seconds": round(seed_seconds, 2),
        **baselines,
        "demo_listings": args.demo_listings,
        "cpus": os.cpu_count(),
    }


_SECONDS = re.compile(r"用时 ([\d.]+) 秒")
_PEAK = re.compile(r"^anju-peak-kib (\d+)$", re.M)
# The command, with its own high-water mark of resident memory printed as it exits. The kernel's
# figure for a child (``ru_maxrss``) also counts the memory of the process it was forked from, this
# benchmark holding the file's rows and a seeded million flats: every import looked as large as it.
_LAUNCH = """
import atexit, sys

def _peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print("anju-peak-kib", line.split()[1], file=sys.stderr)

atexit.register(_peak)
from anju.cli import main

sys.argv = ["anju", *sys.argv[1:]]
main()
"""


def _command(arguments: list[str], profile: Path | None = None) -> dict:
    """Run ``anju ARGUMENTS`` in its own process: its own figure of seconds, wall time, peak memory."""
    started = time.perf_counter()
    launch = ["-m", "cProfile", "-o", str(profile), "-m", "anju"] if profile else ["-c", _LAUNCH]
    process = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, *launch, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),
    )
    output = process.stdout.read().decode() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process_seconds = time.perf_counter() - started
    if process.returncode:
        sys.exit(f"anju {' '.join(arguments)} failed:\n{output}")
    found = _SECONDS.search(output)
    peak = _PEAK.search(output)
    return {
        "seconds": round(float(found.group(1)), 2) if found else round(process_seconds, 2),
        "process_seconds": round(process_seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(int(peak.group(1)) / 1024) if peak else None,
        "output": output[-2000:],
    }


def _tokens(count: int) -> list[str]:
    """An API token for each of ``count`` demo employees (their use is recorded: a write)."""
    from anju.org.models import Agent
    from anju.org.services import token_create

    agents = Agent.objects.filter(is_active=True, store__isnull=False).select_related("user")[:count]
    return [token_create(user=agent.user, name="bench")[1] for agent in agents]


class _Users:
    """Threads asking the API for a page of listings, again and again, until stopped."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._use, args=(token,)) for token in tokens]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def _use(self, token: str) -> None:
        from django.db import connection
        from django.test import Client

        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        try:
            while not self.stopping.is_set():
                started = time.perf_counter()
                try:
                    response = client.get("/api/v1/listings", {"limit": 20})
                    if response.status_code != 200:
                        self.errors.append(f"HTTP {response.status_code}: {response.content[:200]!r}")
                except Exception as exc:  # every failure is a figure here
                    self.errors.append(repr(exc))
                self.latencies.append((time.perf_counter() - started) * 1000)
                time.sleep(0.05)
        finally:
            connection.close()

    def stop(self) -> dict:
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        values = sorted(self.latencies)
        return {
            "users": len(self.threads),
            "count": len(values),
            "errors": len(self.errors),
            "first_errors": self.errors[:3],
            "p50_ms": round(statistics.median(values), 1) if values else None,
            "p95_ms": round(values[int(len(values) * 0.95)], 1) if values else None,
            "max_ms": round(values[-1], 1) if values else None,
        }


def _seed_flats(count: int) -> None:
    """``count`` flats in the demo company's communities, written by the bulk writer: in buildings
    the file never uses (``A…``), with the room numbers the file uses."""
    from django.db import connection, transaction
    from django.utils import timezone

    from anju.core.bulk import (
        TableWriter,
        defer_indexes_and_foreign_keys,
        next_id,
        reset_sequences,
        run_statements,
    )
    from anju.geo.models import Community
    from anju.imports.listings import PROPERTY_COLUMNS
    from anju.listings.models import Property

    communities = list(Community.objects.order_by("id").values_list("id", "company_id"))
    now = timezone.now()
    first = next_id(Property)
    writer = TableWriter(Property, PROPERTY_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # the default 2 MB cache rereads the indexes for each row
            cursor.execute("PRAGMA cache_size = -262144")
        restore = defer_indexes_and_foreign_keys([Property])
        for start in range(0, count, SEED_BATCH):
            batch = []
            for n in range(start, min(start + SEED_BATCH, count)):
                community_id, company_id = communities[n % len(communities)]
                flat = n // len(communities)
                building, rest = divmod(flat, 4 * 33 * 2)
                unit, rest = divmod(rest, 33 * 2)
                floor, door = divmod(rest, 2)
                batch.append(
                    (first + n, now, now, company_id, community_id, f"A{building + 1}", str(unit + 1),
                     f"{floor + 1}{door + 1:02d}", floor + 1, "", 33, Decimal("89.50"), None, 3, 2, 1, "SN",
                     "fine", 2010, True, "commodity")
                )  # fmt: skip
            writer.write(batch)
        run_statements(restore, lambda: None)
    reset_sequences([Property])


def _timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _write_csv(path: Path, count: int, rng: random.Random) -> list[dict]:
    """``count`` valid listings spread over the demo company's communities, in flats the demo never uses."""
    from anju.geo.models import Community

    communities = list(Community.objects.select_related("district").order_by("id"))
    rows = []
    for n in range(count):
        community = communities[n % len(communities)]
        flat = n // len(communities)  # the community's n-th imported flat
        building, rest = divmod(flat, 4 * 33 * 2)
        unit, rest = divmod(rest, 33 * 2)
        floor, door = divmod(rest, 2)
        rooms = rng.choice((1, 2, 2, 3, 3, 3, 4))
        area = Decimal(rng.uniform(35 + 20 * rooms, 55 + 25 * rooms)).quantize(FEN)
        reference = community.reference_price or Decimal(15000)
        rent = rng.random() < 0.15
        price = (area * reference * Decimal(rng.uniform(0.85, 1.15)) / 1000).quantize(Decimal(1)) * 1000
        rows.append(
            {
                "小区": community.name,
                "区县": community.district.name,
                "楼栋": f"B{building + 1}栋",
                "单元": str(unit + 1),
                "门牌号": f"{floor + 1}{door + 1:02d}",
                "所在楼层": str(floor + 1),
                "总楼层": "33",
                "户型": f"{rooms}室{min(rooms, 2)}厅{1 if rooms < 3 else 2}卫",
                "建筑面积": str(area),
                "朝向": rng.choice(("南北", "南", "东南", "西南")),
                "装修": rng.choice(("毛坯", "简装", "精装", "豪装")),
                "类型": "出租" if rent else "出售",
                "挂牌价": str((price * Decimal("0.002")).quantize(Decimal(100)))
                if rent
                else f"{price / 10000}万",
                "挂牌日期": f"2024-{rng.randint(1, 12)}-{rng.randint(1, 28)}",
                "建成年份": str(community.build_year or 2010),
                "电梯": "是",
                "标题": f"{community.name} {rooms}室 诚心出售",
                "_community": community,
                "_rent": rent,
                "_price": (price * Decimal("0.002")).quantize(Decimal(100)) if rent else price,
            }
        )
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=HEADER, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _plain_bulk_create(rows: list[dict]) -> None:
    """The ORM's bulk path for the same rows, no reading or checking; rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from anju.listings.models import Listing, Property
    from anju.org.models import Agent

    agent = Agent.objects.get(user__username=IMPORTER)
    with transaction.atomic():
        flats = [_property(Property, agent, row) for row in rows]
        Property.objects.bulk_create(flats, batch_size=1000)
        listings = [
            Listing(
                company_id=agent.company_id,
                property=flat,
                kind="rent" if row["_rent"] else "sale",
                price=row["_price"],
                unit_price=(row["_price"] / flat.area).quantize(FEN, rounding=ROUND_HALF_UP),
                agent=agent,
                store_id=agent.store_id,
                district_id=row["_community"].district_id,
                community=row["_community"],
                rooms=flat.rooms,
                area=flat.area,
                listed_on=timezone.localdate(),
            )
            for flat, row in zip(flats, rows, strict=True)
        ]
        Listing.objects.bulk_create(listings, batch_size=1000)
        _check_deferred_constraints()
        transaction.set_rollback(True)


def _plain_writer(rows: list[dict]) -> None:
    """The multi-row writer the import uses, on the same rows, no reading or checking; rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from anju.core.bulk import TableWriter, reserve_ids
    from anju.imports.listings import LISTING_COLUMNS, PROPERTY_COLUMNS
    from anju.listings.models import Listing, Property
    from anju.org.models import Agent

    agent = Agent.objects.get(user__username=IMPORTER)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        flat_ids = reserve_ids(Property, len(rows))
        listing_ids = reserve_ids(Listing, len(rows))
        flats, listings = [], []
        for flat_id, listing_id, row in zip(flat_ids, listing_ids, rows, strict=True):
            community = row["_community"]
            rooms = int(row["户型"][0])
            area = Decimal(row["建筑面积"])
            flats.append(
                (flat_id, now, now, agent.company_id, community.pk, row["楼栋"][:-1], row["单元"], row["门牌号"],
                 int(row["所在楼层"]), "", 33, area, None, rooms, min(rooms, 2), 1 if rooms < 3 else 2, "SN", "fine",
                 int(row["建成年份"]), True, "commodity")
            )  # fmt: skip
            price = row["_price"]
            listings.append(
                (listing_id, now, now, agent.company_id, flat_id, "rent" if row["_rent"] else "sale", "active",
                 price, (price / area).quantize(FEN, rounding=ROUND_HALF_UP), agent.pk, agent.store_id,
                 community.district_id, community.pk, rooms, area, today, "", "general", "")
            )  # fmt: skip
        TableWriter(Property, PROPERTY_COLUMNS).write(flats)
        TableWriter(Listing, LISTING_COLUMNS).write(listings)
        _check_deferred_constraints()
        transaction.set_rollback(True)


def _check_deferred_constraints() -> None:
    """Run the foreign-key checks PostgreSQL defers to commit, which a rolled-back baseline would skip.

    (SQLite checks its deferred foreign keys as rows go in and only counts violations at commit.)
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _property(model, agent, row: dict):  # type: ignore[no-untyped-def]
    rooms = int(row["户型"][0])
    return model(
        company_id=agent.company_id,
        community=row["_community"],
        building=row["楼栋"].removesuffix("栋"),
        unit=row["单元"],
        room_number=row["门牌号"],
        floor=int(row["所在楼层"]),
        total_floors=33,
        area=Decimal(row["建筑面积"]),
        rooms=rooms,
        halls=min(rooms, 2),
        baths=1 if rooms < 3 else 2,
        orientation="SN",
        decoration="fine",
        build_year=int(row["建成年份"]),
        has_elevator=True,
    )


if __name__ == "__main__":
    main()
