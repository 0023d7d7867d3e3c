"""The memory the processes of a machine spend on the matching copy, private or shared, as JSON.

    python bench/match_memory.py --listings 1000000 --needs 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/anju_bench_match --reuse-database \\
        --out bench/results/match-memory-postgresql.json

The data comes from ``anju demo`` as in ``bench/match.py`` (the same ``--reuse`` / ``--reuse-database``
/ ``--keep`` options, so a database one of its runs kept can be measured). Then, for each count of
``--processes`` (default 1 and 4) and each way of holding the copy: ``none`` (Django started, no
copy: what a worker costs anyway), ``private`` (``ANJU_MATCH_SHARED_DIR`` empty: each process reads
its own copy from the database) and ``shared`` (the processes start together with an empty shared
directory: one reads the database and writes the copy, the others wait for it and map its files).
Each process touches every value of its copy, as a worker that has answered for a while has, and
the sums of the processes' RSS and PSS (``/proc/<pid>/smaps_rollup``; PSS divides a shared page
among the processes mapping it) are reported in MiB, with each process's load time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from match import report, scratch_demo

# One holder: Django started, the company's copy held (``none``: not), every value touched.
HOLDER = """
import json, sys, time
import django
django.setup()
import numpy as np
from anju.matching.search import resident
from anju.org.models import Company
company = Company.objects.get()
started = time.perf_counter()
found = {"mapped": False, "load_seconds": 0.0, "megabytes": 0}
if sys.argv[1] != "none":
    copy = resident.load(company.pk, reuse=True)
    arrays = [*copy.listings.columns.values(), *copy.needs.columns.values(), copy.place_codes, copy.place_needs]
    touched = sum(int(np.asarray(values).sum()) for values in arrays)
    found = {
        "mapped": copy.mapped,
        "load_seconds": round(copy.load_seconds, 2),
        "megabytes": round(sum(values.nbytes for values in arrays) / 2**20),
    }
print(json.dumps(found), flush=True)
sys.stdin.readline()
"""

FIELDS = ("Rss", "Pss", "Pss_Anon", "Pss_File", "Shared_Clean", "Private_Clean", "Private_Dirty")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--needs", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, help="clients in the demo (default: as many as listings)")
    parser.add_argument("--database-url", help="PostgreSQL URL of a scratch database (default: SQLite)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--processes", default="1,4", help="counts of processes holding the copy")
    parser.add_argument("--keep", action="store_true", help="keep the data")
    parser.add_argument(
        "--reuse", type=Path, help="measure the SQLite data directory of an earlier --keep run"
    )
    parser.add_argument(
        "--reuse-database", action="store_true", help="measure the PostgreSQL database --database-url names"
    )
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()

    with scratch_demo(args, prefix="anju-match-memory-") as (env, _clients, _seconds):
        runs = []
        for count in [int(n) for n in args.processes.split(",")]:
            for way in ("none", "private", "shared"):
                runs.append(_measure(env, way, count))
                print(json.dumps(runs[-1]), file=sys.stderr)
        result = {
            "listings": args.listings,
            "needs": args.needs,
            "backend": "postgresql" if args.database_url else "sqlite",
            "copy_megabytes": max(max(run["megabytes"]) for run in runs),
            "runs": runs,
        }
    report(result, args.out)


def _measure(env: dict[str, str], way: str, count: int) -> dict:
    """Start ``count`` holders together, wait until each holds its copy, and sum their memory."""
    shared = Path(tempfile.mkdtemp(prefix="anju-match-shared-"))
    env = {**env, "ANJU_MATCH_SHARED_DIR": str(shared) if way == "shared" else ""}
    started = time.perf_counter()
    holders = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and snippet
            [sys.executable, "-c", HOLDER, way],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        reports = []
        for holder in holders:
            assert holder.stdout is not None
            reports.append(json.loads(holder.stdout.readline()))
        ready_seconds = time.perf_counter() - started
        memory = [_smaps(holder.pid) for holder in holders]
    finally:
        for holder in holders:
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.flush()
        for holder in holders:
            holder.wait(timeout=60)
        shutil.rmtree(shared, ignore_errors=True)
    return {
        "holding": way,
        "processes": count,
        "rss_mib_sum": round(sum(m["Rss"] for m in memory) / 1024),
        "pss_mib_sum": round(sum(m["Pss"] for m in memory) / 1024),
        "all_ready_seconds": round(ready_seconds, 1),
        "load_seconds": [report["load_seconds"] for report in reports],
        "mapped": [report["mapped"] for report in reports],
        "megabytes": [report["megabytes"] for report in reports],
        "per_process_mib": [{name: round(m[name] / 1024) for name in FIELDS} for m in memory],
    }


def _smaps(pid: int) -> dict[str, int]:
    """The process's memory totals in KiB."""
    totals = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        totals[name] = int(value.split()[0])
    return totals


if __name__ == "__main__":
    main()
