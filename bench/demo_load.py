"""Time ``anju demo`` at scale and print the result as JSON: seconds, rows, database size.

    python bench/demo_load.py --listings 1000000 --clients 1000000 --needs 1000000
    DATABASE_URL=postgres://... python bench/demo_load.py --listings 1000000 --clients 1000000 --needs 1000000
    python bench/demo_load.py --companies 3 --listings 5000 --clients 3000 --needs 2000   # three agencies

Without ``DATABASE_URL`` the run uses SQLite in a fresh temporary data directory, removed
afterwards. With it, the database must exist and hold no agency yet; it is migrated first and
left as it is (drop it yourself). ``--output FILE`` also writes the JSON to FILE.
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--needs", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--companies", type=int, default=1, help="agencies of these sizes each, in one database"
    )
    parser.add_argument(
        "--output", type=Path, help="also write the JSON here (e.g. bench/results/demo_load.json)"
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="anju-demo-bench-"))
    env = {**os.environ, "ANJU_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "anju.settings"}
    try:
        anju = [sys.executable, "-m", "anju"]
        subprocess.run([*anju, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
        started = time.perf_counter()
        demo = [*anju, "demo", "--no-progress", "--seed", str(args.seed)]
        demo += ["--listings", str(args.listings), "--clients", str(args.clients), "--needs", str(args.needs)]
        demo += ["--companies", str(args.companies)]
        finished = subprocess.run(demo, env=env, check=True, capture_output=True, text=True)  # noqa: S603
        seconds = time.perf_counter() - started
        os.environ.update(env)
        result = {
            "seconds": round(seconds, 1),
            **_measure(),
            "listings": args.listings,
            "clients": args.clients,
            "needs": args.needs,
            "companies": args.companies,
            "phases": _phases(finished.stdout),
        }
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


def _measure() -> dict:
    """Rows per demo table and the size of the database, read through Django after the run."""
    import django

    django.setup()
    from django.db import connection

    from anju.clients.models import Client, Interaction
    from anju.geo.models import Community
    from anju.listings.models import Listing, Property
    from anju.needs.models import Need
    from anju.org.models import Agent

    rows = {
        model._meta.label: model.objects.count()
        for model in (
            Agent,
            Community,
            Property,
            Listing,
            Client,
            Need,
            Need.districts.through,
            Need.business_areas.through,
            Need.communities.through,
            Interaction,
        )
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    else:
        # Checkpoint first, so that the size is the database file's and not half of it in the WAL.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = Path(connection.settings_dict["NAME"]).stat().st_size
    return {
        "backend": connection.vendor,
        "rows": rows,
        "total_rows": sum(rows.values()),
        "database_bytes": size,
        "database_mib": round(size / 2**20, 1),
    }


def _phases(output: str) -> dict[str, float]:
    """Seconds per phase, from the demo's summary line "各阶段用时：房源 12.3 秒，…"."""
    line = next((x for x in output.splitlines() if "各阶段用时：" in x), "")
    phases = {}
    for part in line.split("各阶段用时：")[-1].split("，"):
        label, _, seconds = part.strip().removesuffix(" 秒").rpartition(" ")
        if label:
            phases[label] = float(seconds)
    return phases


if __name__ == "__main__":
    main()
