"""Load benchmark: simulated agents doing an agent's day against the production stack; prints a table
and writes JSON.

    .venv/bin/python bench/load.py                          # SQLite, then PostgreSQL + Redis; 30 s a level
    .venv/bin/python bench/load.py --database postgresql --duration 120
    .venv/bin/python bench/load.py --database postgresql --listings 1000000 --clients 1000000 --needs 1000000
    .venv/bin/python bench/load.py --database postgresql --companies 3 --database-url postgres://…/anju_load_3

For each database it starts the stack with ``bench/stack.py`` (SQLite: one ``anju serve`` with 2
gunicorn workers; PostgreSQL + Redis: 4 workers; two ``anju worker`` processes either way), loads the
demo agency when the database holds none (``--companies N``: N competing agencies in the one
database, the agents of every one of them acting), gives every demo agent and store manager an API token,
then runs Locust headless (``bench/load_agents.py``) level after level, each for ``--duration``
seconds once every simulated agent has started, signed in and acted once (statistics are reset
then, so sign-in and setup don't count; each agent's first action comes a think time after its setup):

- 10, 50 and 200 agents (``--users``), each acting every 5–15 s;
- saturation, ``--saturation-users`` agents with no think time: the workbench alone, then the whole mix;
- the baseline of the same run: ``/healthz`` at saturation, what the server answers when the
  application does no work (the ceiling every page is measured against).

Per page: requests per second, p50/p95/p99 (ms, as Locust's histogram rounds them), requests and
errors (any status but 200/201, a redirect to the sign-in page included), and the slowest page of
each level. The stack's memory (RSS and PSS summed over every process of its process groups;
PostgreSQL's and Redis' servers apart) is read at the end of every level; the largest is kept.
The JSON goes to ``--output`` (default ``bench/results/load.json``); the table also shows each
page's p95 of the previous result at that path, when there is one.

The data stays between runs: SQLite in ``var/load-sqlite``, PostgreSQL in the database
``--database-url`` names (default ``anju_load``); the demo is loaded only into an empty one.
Run it on a quiet machine: the load generator shares the cores with the server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, REPO, Stack, StackConfig

AGENT_FILE = Path(__file__).resolve().parent / "load_agents.py"
TOKEN_NAME = "负载测试"  # noqa: S105 (the name of the tokens, not one)
# The token script runs inside ``anju shell``: one token per demo agent and store manager of the
# first COMPANIES demo agencies, the previous run's revoked. It writes a file rather than printing:
# the shell may print a banner.
TOKENS_SCRIPT = """
import json, os
from django.contrib.auth import get_user_model
from anju.demo import agency
from anju.org.models import ApiToken
from anju.org.services import token_create, token_revoke
accounts = []
for spec in agency.COMPANIES[:COMPANIES]:
    for person in agency.STAFF:
        if person.role not in ("agent", "manager"):
            continue
        username = spec.username_prefix + person.username
        user = get_user_model().objects.get(username=username)
        for old in ApiToken.objects.filter(user=user, name=NAME, revoked_at__isnull=True):
            token_revoke(token=old)
        _token, raw = token_create(user=user, name=NAME)
        accounts.append({"username": username, "password": agency.DEMO_PASSWORD, "token": raw})
with open(os.environ["ANJU_LOAD_ACCOUNTS_OUT"], "w", encoding="utf-8") as out:
    json.dump(accounts, out)
"""
GOAL_P95_MS = 300
GOAL_WORKBENCH_RPS = 150


@dataclass(frozen=True)
class Level:
    name: str
    users: int
    think: str  # "5,15" or "0"
    user_class: str = "Agent"  # a class of bench/load_agents.py


def levels(args: argparse.Namespace) -> list[Level]:
    found = [Level(f"{n} agents, 5–15 s apart", n, "5,15") for n in args.users]
    n = args.saturation_users
    found += [
        Level(f"saturation: workbench ({n} agents, no wait)", n, "0", user_class="WorkbenchAgent"),
        Level(f"saturation: whole mix ({n} agents, no wait)", n, "0"),
        Level(f"baseline: /healthz ({n} clients, no wait)", n, "0", user_class="Probe"),
    ]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=int, default=30, help="seconds each level is measured")
    parser.add_argument("--users", type=lambda s: [int(x) for x in s.split(",")], default=[10, 50, 200])
    parser.add_argument("--saturation-users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=10, help="agents started per second")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--bind", default="127.0.0.1:8100")
    parser.add_argument(
        "--web-workers", type=int, help="gunicorn workers (default 2 on SQLite, 4 on PostgreSQL)"
    )
    parser.add_argument("--job-workers", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, help="SQLite's data directory (default var/load-sqlite)")
    parser.add_argument("--listings", type=int, help="demo size when the database is empty")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--needs", type=int)
    parser.add_argument(
        "--companies", type=int, default=1, help="demo agencies in the one database; agents of each act"
    )
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results" / "load.json")
    args = parser.parse_args()
    # Stopped from outside: leave through the ``finally`` that stops the stack.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    previous = _previous(args.output)
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    result: dict[str, Any] = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in os.getloadavg()]},
        "duration_seconds_per_level": args.duration,
        "spawn_rate": args.spawn_rate,
        "runs": [],
    }
    for database in databases:
        _run_database(database, args, result)
    result["goals"] = _goals(result["runs"])
    _write(args.output, result)
    _print_table(result, previous)
    print(f"\nJSON: {args.output}")


def _run_database(database: str, args: argparse.Namespace, result: dict[str, Any]) -> None:
    """Measures every level on one database; the JSON is written after each (a run stopped halfway
    keeps what it measured)."""
    sqlite = database == "sqlite"
    config = StackConfig(
        data_dir=(args.data_dir or REPO / "var" / "load-sqlite")
        if sqlite
        else REPO / "var" / "load-postgresql",
        database_url=None if sqlite else args.database_url,
        redis_url=None if sqlite else args.redis_url,
        bind=args.bind,
        web_workers=args.web_workers or (2 if sqlite else 4),
        job_workers=args.job_workers,
        listings=args.listings,
        clients=args.clients,
        needs=args.needs,
        companies=args.companies,
    )
    say = lambda text: print(f"[{database}] {text}", file=sys.stderr, flush=True)  # noqa: E731
    stack = Stack.start(config, say=say)
    run: dict[str, Any] = {
        "database": database,
        "web_workers": config.web_workers,
        "job_workers": config.job_workers,
        "demo_size": _demo_size(config),
        "levels": [],
        "memory_peak": {},
    }
    result["runs"].append(run)
    try:
        with tempfile.TemporaryDirectory(prefix="anju-load-") as work:
            accounts = Path(work) / "accounts.json"
            _tokens(config, accounts)
            for level in levels(args):
                say(f"{level.name}: {args.duration} s…")
                measured = _run_level(level, config.url, accounts, Path(work), args)
                memory = stack.memory()
                measured["memory_after"] = memory
                run["levels"].append(measured)
                if memory["stack"]["pss_mib"] > run["memory_peak"].get("stack", {}).get("pss_mib", -1):
                    run["memory_peak"] = memory
                _write(args.output, result)
    finally:
        run["stop"] = stack.stop()
        _write(args.output, result)


def _demo_size(config: StackConfig) -> dict[str, Any]:
    return {
        "listings": config.listings or "default",
        "clients": config.clients or "default",
        "needs": config.needs or "default",
        "companies": config.companies,
    }


def _tokens(config: StackConfig, out: Path) -> None:
    env = {**config.environment(), "ANJU_LOAD_ACCOUNTS_OUT": str(out)}
    script = f"NAME = {TOKEN_NAME!r}\nCOMPANIES = {config.companies}\n" + TOKENS_SCRIPT
    command = [sys.executable, "-m", "anju", "shell", "-c", script]
    subprocess.run(command, env=env, check=True, cwd=REPO, stdout=subprocess.DEVNULL)  # noqa: S603


def _run_level(
    level: Level, url: str, accounts: Path, work: Path, args: argparse.Namespace
) -> dict[str, Any]:
    ramp = math.ceil(level.users / args.spawn_rate)
    prefix = work / f"level-{len(list(work.glob('level-*.json')))}"
    command = [sys.executable, "-m", "locust", "-f", str(AGENT_FILE), "--headless", "--only-summary"]
    command += ["--host", url, "-u", str(level.users), "-r", str(args.spawn_rate)]
    # A safety limit only: the Locust file stops itself after the measured window (ANJU_LOAD_DURATION).
    command += ["-t", f"{ramp + args.duration + 900}s", "--stop-timeout", "10"]
    command += ["--loglevel", "WARNING"]
    command.append(level.user_class)
    env = {**os.environ, "ANJU_LOAD_AGENTS": str(accounts), "ANJU_LOAD_THINK": level.think}
    env["ANJU_LOAD_DURATION"] = str(args.duration)
    report = Path(f"{prefix}.json")
    env["ANJU_LOAD_REPORT"] = str(report)
    started = time.monotonic()
    finished = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode not in (0, 1):  # 1: some requests failed, which the figures say
        sys.stderr.write(finished.stderr[-3000:])
        raise RuntimeError(f"locust exited {finished.returncode} at {level.name}")
    if not report.exists():
        sys.stderr.write(finished.stderr[-3000:])
        raise RuntimeError(f"locust wrote no figures at {level.name}")
    figures = json.loads(report.read_text(encoding="utf-8"))
    pages = {name: row for name, row in figures["pages"].items() if not name.startswith("setup:")}
    failures = figures["setup_failures"]
    total = {**figures["total"], "setup_failures": len(failures)}
    return {
        "level": level.name,
        "users": level.users,
        "think_seconds": level.think,
        "seconds": round(time.monotonic() - started, 1),
        "total": total,
        "pages": pages,
        "slowest_page": max(pages, key=lambda n: pages[n]["p95_ms"] or 0, default=None),
        "errors": figures["errors"],
        "setup_failures": failures[:20],
    }


def _goals(runs: list[dict[str, Any]]) -> dict[str, Any]:
    errors = sum(
        level["total"].get("errors", 0) + level["total"].get("setup_failures", 0)
        for run in runs
        for level in run["levels"]
    )
    goals: dict[str, Any] = {"errors_total": errors, "zero_errors": errors == 0}
    for run in runs:
        at_200 = next((x for x in run["levels"] if x["users"] == 200 and x["think_seconds"] != "0"), None)
        if at_200:
            worst = max((p["p95_ms"] or 0) for p in at_200["pages"].values())
            goals[f"{run['database']}: every page p95 < {GOAL_P95_MS} ms at 200 agents"] = worst < GOAL_P95_MS
        workbench = next((x for x in run["levels"] if x["level"].startswith("saturation: workbench")), None)
        if workbench:
            rps = workbench["pages"].get("web: workbench", {}).get("rps", 0)
            goals[f"{run['database']}: workbench at saturation > {GOAL_WORKBENCH_RPS} rps"] = (
                rps > GOAL_WORKBENCH_RPS
            )
    return goals


def _previous(path: Path) -> dict[tuple[str, str, str], float | None]:
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        (run["database"], level["level"], page): figures["p95_ms"]
        for run in old.get("runs", [])
        for level in run["levels"]
        for page, figures in level["pages"].items()
    }


def _write(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _print_table(result: dict[str, Any], previous: dict[tuple[str, str, str], float | None]) -> None:
    header = f"{'page':<38}{'rps':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'req':>7}{'err':>5}"
    header += f"{'p95 before':>11}" if previous else ""
    for run in result["runs"]:
        print(f"\n## {run['database']}: {run['web_workers']} web workers, {run['job_workers']} job workers")
        for level in run["levels"]:
            print(f"\n{level['level']}  (slowest: {level['slowest_page']})")
            print(header)
            for name, row in [*level["pages"].items(), ("all", level["total"])]:
                if not row:
                    continue
                line = f"{name:<38}{row['rps']:>8.1f}{_ms(row['p50_ms']):>7}{_ms(row['p95_ms']):>7}"
                line += f"{_ms(row['p99_ms']):>7}{row['requests']:>7}{row['errors']:>5}"
                if previous:
                    line += f"{_ms(previous.get((run['database'], level['level'], name))):>11}"
                print(line)
            for error in level["errors"][:5]:
                print(f"  error ×{error['count']}: {error['name']}: {error['error']}")
            if level["total"].get("setup_failures"):
                print(f"  setups failed: {level['total']['setup_failures']} ({level['setup_failures'][0]})")
        peak = run["memory_peak"]
        if peak:
            print(
                f"\nmemory (largest, end of a level): stack {peak['stack']['rss_mib']:.0f} MiB RSS, "
                f"{peak['stack']['pss_mib']:.0f} MiB PSS in {peak['stack']['processes']} processes; "
                f"services apart: PostgreSQL {peak['services']['postgresql']['pss_mib']:.0f} MiB PSS, "
                f"Redis {peak['services']['redis']['pss_mib']:.0f} MiB PSS"
            )
    print("\ngoals:", json.dumps(result.get("goals", {}), ensure_ascii=False))


if __name__ == "__main__":
    main()
