"""Time ``anju import listings`` on N valid rows and print the result as JSON.

    python bench/import_listings.py                      # 100,000 rows, SQLite
    DATABASE_URL=postgres://... python bench/import_listings.py --output bench/results/import_pg.json

The run loads the demo agency first (``anju demo``) into a scratch database: SQLite in a fresh
temporary data directory (removed afterwards) or, with ``DATABASE_URL``, a PostgreSQL database
that must exist and hold no agency yet (it is migrated and left as it is: drop it yourself).

It then writes a CSV of N valid listings in the demo company's communities, as an agency's
spreadsheet would have them (Chinese headers, prices in 万), and measures in the same process:

* ``check_seconds``: ``anju import listings --dry-run`` (read, parse, check; nothing written);
* ``seconds``: ``anju import listings`` (the same, and the writing, in one transaction);
* ``bulk_create_seconds``: a plain ``bulk_create`` of the same flats and listings, without any
  reading or checking — what the ORM's own bulk path costs (rolled back afterwards);
* ``writer_seconds``: the rows written by the multi-row writer the import uses, without reading
  or checking — the lower bound for the writing part (rolled back afterwards).

Both baselines run the foreign-key checks that PostgreSQL defers to commit before rolling back,
so that they pay what a committed write pays.

The target is 100,000 rows in under 20 seconds on SQLite on a two-core machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import sys
import tempfile
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--demo-listings", type=int, default=5000, help="listings the demo starts with")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--output", type=Path, help="also write the JSON here (e.g. bench/results/import.json)"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="anju-import-bench-"))
    os.environ["ANJU_DATA_DIR"] = str(work / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "anju.settings"
    try:
        result = _run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")


def _run(args: argparse.Namespace, work: Path) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from anju.listings.models import Listing

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
    path = work / "listings.csv"
    rows = _write_csv(path, args.rows, random.Random(args.seed))
    before = Listing.objects.count()

    bulk_create_seconds = _timed(lambda: _plain_bulk_create(rows))
    writer_seconds = _timed(lambda: _plain_writer(rows))
    command = ["import", "listings", str(path), "--as", IMPORTER, "--no-progress"]
    check_seconds = _timed(lambda: call_command(*command, "--dry-run", stdout=io.StringIO()))
    seconds = _timed(lambda: call_command(*command, stdout=io.StringIO()))
    written = Listing.objects.count() - before
    if written != args.rows:
        sys.exit(f"expected {args.rows} listings written, found {written}")
    return {
        "rows": args.rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(args.rows / seconds),
        "database": connection.vendor,
        "check_seconds": round(check_seconds, 2),
        "bulk_create_seconds": round(bulk_create_seconds, 2),
        "writer_seconds": round(writer_seconds, 2),
        "demo_listings": args.demo_listings,
        "cpus": os.cpu_count(),
    }


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
                 int(row["所在楼层"]), 33, area, None, rooms, min(rooms, 2), 1 if rooms < 3 else 2, "SN", "fine",
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
