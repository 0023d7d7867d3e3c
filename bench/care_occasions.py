"""Time the nightly occasions job (greetings for the next 7 days) over many clients; print JSON.

    python bench/care_occasions.py --clients 1000000
    DATABASE_URL=postgres://... python bench/care_occasions.py --clients 1000000

Makes its own agency in a fresh database: without ``DATABASE_URL`` a SQLite file in a temporary
data directory (removed afterwards); with it, an existing empty database, migrated first and left
as it is (drop it yourself). The clients have solar birthdays (two in three) or lunar ones (some
in a leap month, some on day 30), half of them consented to SMS. Timed: the occasions of the 7
days alone (``client_occasions``), the job's first run (drafting the greetings) and its second run
(which must draft nothing). ``--today`` picks the night (default 2026-12-07, a week without a
festival; 2026-09-20 has 中秋 and 国庆 in its week, a greeting to every consenting client).
``--output FILE`` also writes the JSON to FILE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

BATCH = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 12, 7))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--output", type=Path, help="also write the JSON here (e.g. bench/results/care_occasions.json)"
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="anju-occasions-bench-"))
    os.environ.setdefault("ANJU_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    try:
        subprocess.run([sys.executable, "-m", "anju", "migrate", "--noinput", "-v0"], check=True)
        result = _run(args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


def _run(args: argparse.Namespace) -> dict:
    import django

    django.setup()
    from django.db import connection

    from anju.outreach.greetings import greetings_draft
    from anju.outreach.occasions import client_occasions

    company_id, agents = _agency()
    started = time.perf_counter()
    _clients(company_id, agents, args.clients, random.Random(args.seed))
    made = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # As autovacuum would have long before a night's job: without statistics PostgreSQL plans
        # the million fresh rows as a few hundred (the job took 26 s instead of 3 s).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from anju.clients.models import Client

    clients = Client.objects.filter(company_id=company_id, owner__isnull=False)
    end = args.today + dt.timedelta(days=6)
    now = dt.datetime.combine(args.today, dt.time(2, 45), tzinfo=ZoneInfo("Asia/Shanghai"))
    started = time.perf_counter()
    occasions = sum(1 for _occasion in client_occasions(clients, args.today, end, festivals=False))
    occasions_seconds = time.perf_counter() - started
    started = time.perf_counter()
    first = greetings_draft(company_id=company_id, today=args.today, now=now)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = greetings_draft(company_id=company_id, today=args.today, now=now)
    second_seconds = time.perf_counter() - started
    return {
        "database": connection.vendor,
        "clients": args.clients,
        "today": args.today.isoformat(),
        "setup_seconds": round(made, 1),
        "personal_occasions": occasions,
        "occasions_seconds": round(occasions_seconds, 2),
        "job_first_run": {**first.as_dict(), "seconds": round(first_seconds, 2)},
        "job_second_run": {**second.as_dict(), "seconds": round(second_seconds, 2)},
    }


def _agency() -> tuple[int, list[int]]:
    from django.contrib.auth import get_user_model

    from anju.org.models import Agent, Company, Store

    company = Company.objects.create(name="基准测试地产", city="武汉")
    store = Store.objects.create(company=company, name="基准店")
    users = get_user_model()
    agents = [
        Agent.objects.create(
            user=users.objects.create(username=f"bench{n}"), company=company, store=store, name=f"经纪人{n}"
        ).pk
        for n in range(50)
    ]
    return company.pk, agents


def _clients(company_id: int, agents: list[int], total: int, rng: random.Random) -> None:
    from django.utils import timezone

    from anju.clients.models import Client, Consent
    from anju.org.models import Agent

    store_id = Agent.objects.get(pk=agents[0]).store_id
    now = timezone.now()
    first_id = (Client.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for start in range(0, total, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, total)):
            fields: dict = {}
            if n % 3 == 2:
                fields = {
                    "birthday_calendar": "lunar",
                    "lunar_birth_month": rng.randint(1, 12),
                    "lunar_birth_day": rng.randint(1, 30),
                    "lunar_birth_leap": rng.random() < 0.02,
                }
            else:
                fields = {
                    "birthday_calendar": "solar",
                    "birthday": dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 45)),
                }
            rows.append(
                Client(
                    id=first_id + n,
                    company_id=company_id,
                    owner_id=agents[n % len(agents)],
                    store_id=store_id,
                    name=f"客户{n}",
                    mobile=f"139{n:08d}",
                    created_at=now,
                    updated_at=now,
                    **fields,
                )
            )
        Client.objects.bulk_create(rows, batch_size=5000)
        Consent.objects.bulk_create(
            [
                Consent(
                    client_id=row.pk,
                    channel="sms",
                    granted=True,
                    how="门店书面签字",
                    recorded_by_id=row.owner_id,
                    at=now,
                )
                for row in rows
                if row.pk % 2 == 0
            ],
            batch_size=5000,
        )
    from anju.core.bulk import reset_sequences

    reset_sequences([Client, Consent])


if __name__ == "__main__":
    main()
