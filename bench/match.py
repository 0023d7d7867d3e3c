"""Time the matching engine at scale, next to a plain NumPy full scan, and print the result as JSON.

    python bench/match.py --listings 1000000 --needs 1000000 --out bench/results/match-sqlite.json
    python bench/match.py --listings 1000000 --needs 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/anju_bench_match --out bench/results/match-postgresql.json

The data comes from ``anju demo --listings N --clients N --needs N`` into a fresh temporary data
directory (SQLite) or into the database ``--database-url`` names (PostgreSQL: created here when
missing, must hold no agency, dropped afterwards unless ``--keep``). Then, warm (every question
asked once first): need → top 20 listings for ``--samples`` varied needs, and listing → every
matching need (counted, the best 50 explained) for as many varied listings, through the engine's
functions — first with the database alone answering (``database_only``), then as the engine runs
at this size, from the copy of the layout each process holds in memory (``anju.matching.search.resident``,
read before timing; its load time and size are reported); and the same two questions answered
by a NumPy full scan over the same layout rows, the lower bound the engine is compared with.
Times are milliseconds; p50 and p95 over the samples.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--needs", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, help="clients in the demo (default: as many as listings)")
    parser.add_argument("--database-url", help="PostgreSQL URL of a scratch database (default: SQLite)")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--keep", action="store_true", help="keep the data (SQLite directory or PostgreSQL database)"
    )
    parser.add_argument(
        "--reuse", type=Path, help="measure the SQLite data directory of an earlier --keep run"
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="measure the PostgreSQL database --database-url names, as an earlier --keep run left it",
    )
    parser.add_argument(
        "--out", type=Path, help="also write the JSON here (e.g. bench/results/match-sqlite.json)"
    )
    args = parser.parse_args()

    with scratch_demo(args, prefix="anju-match-bench-") as (env, clients, demo_seconds):
        os.environ.update(env)
        result = {
            "listings": args.listings,
            "needs": args.needs,
            "clients": clients,
            "demo_seconds": round(demo_seconds, 1),
            **_measure(args.samples, args.seed),
        }
    report(result, args.out)


@contextlib.contextmanager
def scratch_demo(args: argparse.Namespace, *, prefix: str) -> Iterator[tuple[dict[str, str], int, float]]:
    """The demo agency of ``args`` (listings, needs, clients, seed) in a scratch SQLite data directory
    or the PostgreSQL database ``args.database_url`` names, or the one ``--reuse``/``--reuse-database``
    point at; yields the environment that reaches it, the clients and the demo's seconds (0 when
    reused). Afterwards the scratch data goes, unless ``--keep`` or reused."""
    reusing = bool(args.reuse or (args.reuse_database and args.database_url))
    data_dir = args.reuse or Path(tempfile.mkdtemp(prefix=prefix))
    env = {**os.environ, "ANJU_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "anju.settings"}
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
        _create_database(args.database_url)
    clients = args.clients or max(args.listings, args.needs)
    try:
        started = time.perf_counter()
        if not reusing:
            anju = [sys.executable, "-m", "anju"]
            subprocess.run([*anju, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
            demo = [
                *anju,
                "demo",
                "--no-progress",
                "--seed",
                str(args.seed),
                "--listings",
                str(args.listings),
            ]
            demo += ["--clients", str(clients), "--needs", str(args.needs)]
            subprocess.run(demo, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        yield env, clients, time.perf_counter() - started
    finally:
        if not (args.keep or args.reuse):
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"data kept in {data_dir}", file=sys.stderr)
        if args.database_url and not (args.keep or reusing):
            _drop_database(args.database_url)


def report(result: dict, out: Path | None) -> None:
    """Print the result as JSON, and write it to ``out`` too when given."""
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _create_database(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _drop_database(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _percentiles(samples: list[float]) -> dict[str, float]:
    import numpy as np

    values = np.array(samples) * 1000
    return {
        "p50_ms": round(float(np.percentile(values, 50)), 2),
        "p95_ms": round(float(np.percentile(values, 95)), 2),
        "max_ms": round(float(values.max()), 2),
    }


def _timed(calls: list[Any]) -> tuple[list[float], list[Any]]:
    for call in calls:  # warm: every question once
        call()
    times, results = [], []
    for call in calls:
        started = time.perf_counter()
        results.append(call())
        times.append(time.perf_counter() - started)
    return times, results


def _measure(samples: int, seed: int) -> dict:
    import django

    django.setup()
    import numpy as np
    from django.conf import settings
    from django.db import connection

    from anju.listings.models import Listing
    from anju.matching.models import ListingRow, NeedPlace, NeedRow
    from anju.matching.search import engine, layout, resident
    from anju.matching.search.criteria import criteria_for_need
    from anju.needs.models import Need, NeedStatus
    from anju.org.models import Company

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (ListingRow, NeedRow, NeedPlace):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        else:
            cursor.execute("ANALYZE")
    from django.utils import timezone

    company = Company.objects.get()
    # Every question is asked at one instant: otherwise listings crossing the freshness cutoff
    # between the database's run and the copy's (a minute apart at 1M) show as disagreements.
    now = timezone.now()
    cutoff = layout.fresh_cutoff_epoch(company, now)
    rng = random.Random(seed)
    need_ids = list(
        Need.objects.filter(status=NeedStatus.ACTIVE, kind__in=("buy", "rent")).values_list("pk", flat=True)
    )
    listing_ids = list(
        ListingRow.objects.filter(status=0, fresh_at__gte=cutoff).values_list("listing_id", flat=True)
    )
    needs = [Need.objects.select_related("company").get(pk=i) for i in sorted(rng.sample(need_ids, samples))]
    listings = [
        Listing.objects.select_related("company").get(pk=i) for i in sorted(rng.sample(listing_ids, samples))
    ]

    def need_calls() -> list[Any]:
        return [lambda n=n: engine.listings_for_need(n, limit=20, now=now) for n in needs]

    def listing_calls() -> list[Any]:
        return [lambda x=x: engine.needs_for_listing(x, limit=50, now=now) for x in listings]

    # The database alone first (no copy in memory), then the engine as it runs at this size: from
    # the copy each process holds (``anju.matching.search.resident``), read here before timing.
    resident.forget()
    threshold = settings.MATCH_RESIDENT_MIN_ROWS
    settings.MATCH_RESIDENT_MIN_ROWS = 10**15  # no copy is read while the database alone answers
    database_need_times, database_need_results = _timed(need_calls())
    database_listing_times, database_listing_results = _timed(listing_calls())
    settings.MATCH_RESIDENT_MIN_ROWS = threshold
    copy = resident.load(company.pk)
    copy_bytes = (
        sum(values.nbytes for table in (copy.listings, copy.needs) for values in table.columns.values())
        + copy.place_codes.nbytes
        + copy.place_needs.nbytes
    )
    assert resident.answering(company.pk) is not None
    need_times, need_results = _timed(need_calls())
    listing_times, listing_results = _timed(listing_calls())

    bound = _NumpyBound(np, company.pk, cutoff)
    criteria = [criteria_for_need(n) for n in needs]
    bound_need_times, bound_need_results = _timed([lambda c=c: bound.listings_for(c) for c in criteria])
    bound_listing_times, bound_listing_results = _timed([lambda x=x: bound.needs_for(x.pk) for x in listings])
    agree_needs = sum(
        [m.listing_id for m in got.items] == want
        for got, want in zip(need_results, bound_need_results, strict=True)
    )
    agree_listings = sum(
        got.total == want for got, want in zip(listing_results, bound_listing_results, strict=True)
    )
    agree_database = sum(
        got == want for got, want in zip(need_results, database_need_results, strict=True)
    ) + sum(got == want for got, want in zip(listing_results, database_listing_results, strict=True))
    fitting = [r.total_fitting for r in need_results]
    matched = [r.total for r in listing_results]
    return {
        "backend": connection.vendor,
        "layout_rows": {"listing_rows": ListingRow.objects.count(), "need_rows": NeedRow.objects.count()},
        "need_to_top20_listings": _percentiles(need_times),
        "listing_to_needs_top50_of_all": _percentiles(listing_times),
        "resident_copy": {
            "load_seconds": round(copy.load_seconds, 1),
            "megabytes": round(copy_bytes / 2**20),
            "need_rows_held": len(copy.needs.columns["need_id"]),
        },
        "database_only": {
            "need_to_top20_listings": _percentiles(database_need_times),
            "listing_to_needs_top50_of_all": _percentiles(database_listing_times),
        },
        "numpy_bound": {
            "need_to_top20_listings": _percentiles(bound_need_times),
            "listing_to_all_needs": _percentiles(bound_listing_times),
            "load_seconds": round(bound.load_seconds, 1),
        },
        "agreement_with_numpy": {
            "needs": f"{agree_needs}/{samples}",
            "listings": f"{agree_listings}/{samples}",
        },
        "copy_and_database_answers_equal": f"{agree_database}/{2 * samples}",
        "fitting_listings_per_need": {"median": int(np.median(fitting)), "max": int(max(fitting))},
        "matching_needs_per_listing": {"median": int(np.median(matched)), "max": int(max(matched))},
    }


class _NumpyBound:
    """The layout's rows held in memory as NumPy columns, scanned in full for every question."""

    def __init__(self, np: Any, company_id: int, cutoff: int) -> None:
        from django.db import connection

        from anju.matching.models import LISTING_ROW_COLUMNS, NEED_ROW_COLUMNS, ListingRow, NeedPlace, NeedRow

        started = time.perf_counter()
        self.np, self.cutoff = np, cutoff
        self.listings = self._load(connection, ListingRow, LISTING_ROW_COLUMNS, company_id)
        needs = self._load(connection, NeedRow, NEED_ROW_COLUMNS, company_id)
        # One row per (need, district): the bands are the database's device, not the scan's.
        _keys, first = np.unique(needs["need_id"] * 4096 + needs["district"], return_index=True)
        self.needs = {name: column[first] for name, column in needs.items()}
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT need_id, place FROM {NeedPlace._meta.db_table}")  # noqa: S608
            places = np.array(cursor.fetchall() or [(0, 0)], dtype=np.int64)
        self.place_need, self.place_code = places[:, 0], places[:, 1]
        self.load_seconds = time.perf_counter() - started

    def _load(self, connection: Any, model: Any, columns: tuple[str, ...], company_id: int) -> dict:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {model._meta.db_table} WHERE company_id = %s",  # noqa: S608
                [company_id],
            )
            rows = self.np.array(cursor.fetchall(), dtype=self.np.int64)
        return {name: self.np.ascontiguousarray(rows[:, i]) for i, name in enumerate(columns)}

    def listings_for(self, criteria: Any) -> list[int]:
        from anju.matching.search.scoring import (
            NO_PREFERENCES,
            ListingSide,
            hard_fit_term,
            pure_need_side,
            total_of,
        )

        np, cols = self.np, self.listings
        n = pure_need_side(criteria)
        side = ListingSide(**{name: cols[name] for name in ListingSide.__dataclass_fields__})
        everywhere = np.ones(len(cols["district"]), dtype=bool)
        districts = (
            np.isin(cols["district"], list(criteria.district_ids)) if criteria.district_ids else everywhere
        )
        fit = hard_fit_term(n, side, districts)
        available = fit & (cols["status"] == 0) & (cols["fresh_at"] >= self.cutoff)
        chosen = np.flatnonzero(available)
        sub = ListingSide(**{name: getattr(side, name)[chosen] for name in ListingSide.__dataclass_fields__})
        scores = total_of(n, sub, NO_PREFERENCES)
        ids = cols["listing_id"][chosen]
        order = np.lexsort((ids, -np.asarray(scores)))[:20]
        return [int(i) for i in ids[order]]

    def needs_for(self, listing_id: int) -> int:
        from anju.matching.search.scoring import (
            NO_PREFERENCES,
            ListingSide,
            NeedSide,
            hard_fit_term,
            total_of,
        )

        np, cols, needs = self.np, self.listings, self.needs
        at = int(np.flatnonzero(cols["listing_id"] == listing_id)[0])
        lst = ListingSide(**{name: int(cols[name][at]) for name in ListingSide.__dataclass_fields__})
        codes = (2 * lst.business_area, 2 * lst.community + 1)
        liking = self.place_need[np.isin(self.place_code, codes)]

        def places(_community: Any, _area: Any) -> Any:
            return np.isin(needs["need_id"], liking)

        side = NeedSide(**{name: needs[name] for name in NeedSide.__dataclass_fields__ if name != "places"},
                        places=places)  # fmt: skip
        districts = (needs["district"] == 0) | (needs["district"] == lst.district)
        chosen = np.flatnonzero(hard_fit_term(side, lst, districts))
        sub = NeedSide(
            **{name: needs[name][chosen] for name in NeedSide.__dataclass_fields__ if name != "places"},
            places=lambda _c, _a: np.isin(needs["need_id"][chosen], liking),
        )
        scores = np.asarray(total_of(sub, lst, NO_PREFERENCES))
        ids = needs["need_id"][chosen]
        order = np.lexsort((ids, -scores))
        return len(ids[order])


if __name__ == "__main__":
    main()
