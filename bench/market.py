"""Time the market refresh and the reads behind the 行情 pages on an existing demo database; print JSON.

    ANJU_DATA_DIR=<dir with a demo> python bench/market.py
    DATABASE_URL=postgres://... python bench/market.py

Make the demo first (``anju demo --listings 1000000 --clients 1000``); the refresh replaces the
demo company's asking-price figures, nothing else. ``--output FILE`` also writes the JSON there.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def _millis(work: Callable[[], object], repeat: int = 20) -> float:
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
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    import django

    django.setup()
    from django.db import connection

    from anju.listings.models import Listing
    from anju.market.models import Scope
    from anju.market.selectors import Place, company_city, district_summary, market_places, market_series
    from anju.market.services import market_refresh
    from anju.org.models import Agent, Company

    company = Company.objects.order_by("pk").first()
    if company is None:
        raise SystemExit("no company: make the demo first")
    viewer = Agent.objects.filter(company=company).first()
    assert viewer is not None
    started = time.perf_counter()
    refresh = market_refresh(company=company)
    refresh_seconds = time.perf_counter() - started
    city = company_city(company)
    assert city is not None
    city_place = Place(Scope.CITY, city.pk, city.name)
    districts = market_places(company=company, scope=Scope.DISTRICT, kind="sale")
    district = districts[0].place
    result = {
        "database": connection.vendor,
        "listings": Listing.objects.filter(company=company).count(),
        "refresh_seconds": round(refresh_seconds, 1),
        "rows": refresh.rows,
        "read_ms": {
            "city_series_12_months": _millis(
                lambda: market_series(company=company, place=city_place, kind="sale", months=12)
            ),
            "districts_this_month": _millis(
                lambda: market_places(company=company, scope=Scope.DISTRICT, kind="sale")
            ),
            "district_summary": _millis(
                lambda: district_summary(viewer=viewer, district=district, kind="sale")
            ),
        },
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
