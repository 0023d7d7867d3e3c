"""Time the nightly client-care jobs (tiers, then cadence) over a demo agency; print JSON.

    python bench/care_jobs.py --clients 1000000
    python bench/care_jobs.py --clients 1000000 --database-url postgres://.../care_bench
    ANJU_DATA_DIR=<dir with a demo> python bench/care_jobs.py --existing

The demo is made first in a scratch SQLite data directory (or the PostgreSQL database named, created
and dropped here), with its listings, needs, follow-ups, showings and deals. Then, in one run:

* ``tiers_first_seconds``: the nightly tier job on clients never scored (every client gets its first
  tier, so every client also gets its first ``TierChange`` row);
* ``tiers_again_seconds``: the same job the next night, nothing new (idempotent: no change recorded);
* ``cadence_seconds``: the nightly cadence job alone;
* the baseline, ``per_client_seconds_estimate``: the same work done one client at a time (the path a
  follow-up takes), timed on ``--baseline-clients`` clients and scaled to all of them.

The figures of a full run go to decision 0020. ``--out FILE`` also writes the JSON there.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from match import _create_database, _drop_database


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--listings", type=int, help="listings in the demo (default: a tenth of the clients)")
    parser.add_argument("--needs", type=int, help="needs in the demo (default: two for three clients)")
    parser.add_argument("--baseline-clients", type=int, default=200)
    parser.add_argument("--database-url", help="PostgreSQL URL of a scratch database (default: SQLite)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--out", type=Path, help="also write the JSON here (e.g. bench/results/care-sqlite.json)"
    )
    parser.add_argument(
        "--existing",
        action="store_true",
        help="measure the demo already in ANJU_DATA_DIR / DATABASE_URL (made by bench/demo_load.py or"
        " anju demo) instead of making one; its tiers are reset and recomputed, nothing else is touched",
    )
    args = parser.parse_args()

    if args.existing:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
        _report({"existing_demo": True, **_measure(args.baseline_clients)}, args.out)
        return
    data_dir = Path(tempfile.mkdtemp(prefix="anju-care-bench-"))
    env = {**os.environ, "ANJU_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "anju.settings"}
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
        _create_database(args.database_url)
    listings = args.listings or max(args.clients // 10, 1000)
    needs = args.needs or args.clients * 2 // 3
    try:
        anju = [sys.executable, "-m", "anju"]
        subprocess.run([*anju, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
        demo = [*anju, "demo", "--no-progress", "--seed", str(args.seed), "--listings", str(listings)]
        demo += ["--clients", str(args.clients), "--needs", str(needs)]
        started = time.perf_counter()
        subprocess.run(demo, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        demo_seconds = time.perf_counter() - started
        os.environ.update(env)
        result = {
            "clients": args.clients,
            "listings": listings,
            "needs": needs,
            "demo_seconds": round(demo_seconds, 1),
        }
        result.update(_measure(args.baseline_clients))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if args.database_url:
            _drop_database(args.database_url)
    _report(result, args.out)


def _report(result: dict[str, object], out: Path | None) -> None:
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")


def _seconds(work: object) -> tuple[float, object]:
    started = time.perf_counter()
    answer = work()  # type: ignore[operator]
    return round(time.perf_counter() - started, 2), answer


def _measure(baseline_clients: int) -> dict[str, object]:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from anju.care.models import TierChange
    from anju.care.services import cadence_recompute, tiers_recompute
    from anju.clients.models import Client
    from anju.org.models import Company

    company = Company.objects.order_by("pk").first()
    if company is None:
        raise SystemExit("the demo made no company")
    # The demo scores its clients; start from none scored, as a first night in production would.
    Client.objects.filter(company=company).update(tier="", tier_reasons="", next_contact_on=None)
    TierChange.objects.filter(client__company=company).delete()
    first_seconds, first = _seconds(lambda: tiers_recompute(company_id=company.pk))
    again_seconds, again = _seconds(lambda: tiers_recompute(company_id=company.pk))
    cadence_seconds, covered = _seconds(lambda: cadence_recompute(company_id=company.pk))
    sample = list(
        Client.objects.filter(company=company).order_by("pk").values_list("pk", flat=True)[:baseline_clients]
    )
    one_by_one, _answer = _seconds(
        lambda: [tiers_recompute(company_id=company.pk, client_ids=[pk]) for pk in sample]
    )
    scored = Client.objects.filter(company=company, merged_into__isnull=True)
    return {
        "database": connection.vendor,
        "tiers_first_seconds": first_seconds,
        "tiers_first": first,
        "tiers_again_seconds": again_seconds,
        "tiers_again": again,
        "cadence_seconds": cadence_seconds,
        "cadence_moved": covered,
        "tiers": dict(sorted(scored.values_list("tier").annotate(n=Count("pk")).values_list("tier", "n"))),
        "clients_scored": scored.count(),
        "baseline_clients": len(sample),
        "per_client_seconds_estimate": round(one_by_one / max(len(sample), 1) * scored.count(), 1),
    }


if __name__ == "__main__":
    main()
