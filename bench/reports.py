"""Time the reports (报表) over an existing demo database, as its administrator sees them; print JSON.

    ANJU_DATA_DIR=<dir with a demo> python bench/reports.py
    DATABASE_URL=postgres://... python bench/reports.py

Make the million-client data first with ``bench/demo_load.py`` (or ``anju demo --listings 1000000
--clients 1000000 --needs 1000000``). Each report is computed for the whole company over the last 30
days and over the last year, and for one store over the last year; the slowest must stay under 2
seconds. ``--output FILE`` also writes the JSON there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

LIMIT_MS = 2000


def _millis(work: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from anju.clients.models import Client
    from anju.org.models import Agent, Company, Role
    from anju.reports.selectors import REPORTS, measure_list, report_window

    company = Company.objects.order_by("pk").first()
    if company is None:
        raise SystemExit("no company: make the demo first")
    admin = Agent.objects.filter(company=company, role=Role.ADMIN).first()
    store_id = (
        Agent.objects.filter(company=company, store__isnull=False).values_list("store_id", flat=True).first()
    )
    assert admin is not None and store_id is not None
    today = timezone.localdate()
    windows = {
        "company_30_days": report_window(admin, start=today - dt.timedelta(days=29), end=today),
        "company_year": report_window(admin, start=today - dt.timedelta(days=364), end=today),
        "store_year": report_window(
            admin, start=today - dt.timedelta(days=364), end=today, store_id=store_id
        ),
    }
    read_ms = {
        f"{report}_{scope}": _millis(lambda build=build, window=window: build(window), args.repeat)
        for scope, window in windows.items()
        for report, build in REPORTS.items()
    }
    read_ms["list_clients_company_year"] = _millis(
        lambda: measure_list(windows["company_year"], "clients"), args.repeat
    )
    slowest = max(read_ms.values())
    result = {
        "database": connection.vendor,
        "clients": Client.objects.filter(company=company).count(),
        "read_ms": read_ms,
        "slowest_ms": slowest,
        "under_2_seconds": slowest < LIMIT_MS,
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
