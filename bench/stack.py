"""The production stack on this machine in one command, for testing and benchmarks.

    python bench/stack.py start                       # PostgreSQL + Redis, 4 web workers, 2 job workers
    python bench/stack.py start --sqlite              # SQLite: one web server (2 workers), 2 job workers
    python bench/stack.py start --listings 1000000 --clients 1000000 --needs 1000000
    python bench/stack.py status                      # its processes and their memory (RSS, PSS)
    python bench/stack.py stop                        # SIGTERM to every group, SIGKILL after --timeout (40 s)

``start`` starts PostgreSQL and Redis when they do not answer (as ``.ci/run`` does), creates the
database when missing, runs ``anju migrate``, loads the demo agency when the database holds no
agency yet (``anju demo --if-empty``, at the default size or at ``--listings/--clients/--needs``),
then starts ``anju serve --workers N`` and two ``anju worker`` processes, each in a process group of
its own, and writes their ids to ``<data dir>/stack.json``. ``stop`` reads that file and stops the
groups together: SIGTERM to all, then SIGKILL to whatever is left after the timeout. PostgreSQL
and Redis are shared services and stay up.

``bench/load.py`` uses it as a library: ``Stack.start(StackConfig(...))``, ``stack.memory()``,
``stack.stop()``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/anju_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
STATE_FILE = "stack.json"
READY_SECONDS = 300  # a ceiling: a loaded machine takes a while to collect static files and boot
# gunicorn gives its workers 30 s (its graceful timeout) to finish the requests they hold; a busy
# Python process also takes a while to exit on a loaded machine. SIGKILL only after that.
STOP_SECONDS = 40.0


@dataclass
class StackConfig:
    """What to run. ``database_url`` None means SQLite in ``data_dir``; then ``redis_url`` is unused
    (the job queue is SQLite as well, as a single store runs it)."""

    data_dir: Path
    database_url: str | None = DEFAULT_DATABASE_URL
    redis_url: str | None = DEFAULT_REDIS_URL
    bind: str = "127.0.0.1:8100"
    web_workers: int = 4
    job_workers: int = 2
    demo: bool = True
    listings: int | None = None
    clients: int | None = None
    needs: int | None = None
    companies: int = 1  # demo agencies in the one database (``anju demo --companies``)

    @property
    def database(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    @property
    def url(self) -> str:
        return f"http://{self.bind}"

    def environment(self) -> dict[str, str]:
        """The environment of every process of the stack: nothing inherited chooses the database."""
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env.update(ANJU_DATA_DIR=str(self.data_dir), DJANGO_SETTINGS_MODULE="anju.settings")
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # the stack's own, under its data directory
        env.pop("ANJU_JOBS_IMMEDIATE", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
            if self.redis_url:
                env["REDIS_URL"] = self.redis_url
        return env


@dataclass
class StackProcess:
    name: str
    pid: int
    pgid: int
    command: list[str]
    log: str


@dataclass
class Stack:
    config: StackConfig
    processes: list[StackProcess] = field(default_factory=list)
    # Popen handles when this process started the stack (reaped on stop); empty when read from a file.
    _children: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict, repr=False)

    # --- start -------------------------------------------------------------------------------

    @classmethod
    def start(cls, config: StackConfig, *, say: Any = print) -> Stack:
        config.data_dir = config.data_dir.resolve()
        config.data_dir.mkdir(parents=True, exist_ok=True)
        (config.data_dir / "logs").mkdir(exist_ok=True)
        if config.database_url:
            ensure_services(config.database_url, config.redis_url, say=say)
            create_database(config.database_url)
        env = config.environment()
        anju = [sys.executable, "-m", "anju"]
        say(f"migrate ({config.database})…")
        subprocess.run([*anju, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=REPO)  # noqa: S603
        if config.demo:
            demo = [*anju, "demo", "--if-empty", "--no-progress"]
            for option in ("listings", "clients", "needs"):
                if (value := getattr(config, option)) is not None:
                    demo += [f"--{option}", str(value)]
            demo += ["--companies", str(config.companies)]
            say("demo (only when the database holds no agency)…")
            with open(config.data_dir / "logs" / "demo.log", "ab") as log:
                subprocess.run(demo, env=env, check=True, cwd=REPO, stdout=log, stderr=log)  # noqa: S603
        stack = cls(config)
        try:
            stack._spawn("web", [*anju, "serve", "--bind", config.bind, "--workers", str(config.web_workers)])
            for number in range(1, config.job_workers + 1):
                stack._spawn(f"worker-{number}", [*anju, "worker"])
            stack.save()
            stack._wait_ready()
        except BaseException:
            stack.stop()
            raise
        say(f"stack up at {config.url} ({config.database}; pids in {config.data_dir / STATE_FILE})")
        return stack

    def _spawn(self, name: str, command: list[str]) -> None:
        log_path = self.config.data_dir / "logs" / f"{name}.log"
        with open(log_path, "ab") as log:
            child = subprocess.Popen(  # noqa: S603
                command,
                env=self.config.environment(),
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as one, children included
            )
        self._children[child.pid] = child
        self.processes.append(StackProcess(name, child.pid, os.getpgid(child.pid), command, str(log_path)))

    def _wait_ready(self) -> None:
        """Until /readyz says the database, the migrations and the queue answer."""
        deadline = time.monotonic() + READY_SECONDS
        last = ""
        while time.monotonic() < deadline:
            for process in self.processes:
                child = self._children.get(process.pid)
                if child is not None and child.poll() is not None:
                    raise RuntimeError(f"{process.name} exited ({child.returncode}); see {process.log}")
            try:
                with urllib.request.urlopen(self.config.url + "/readyz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError as exc:
                last = str(exc)
            time.sleep(0.3)
        raise RuntimeError(f"the stack did not become ready in {READY_SECONDS} s: {last}")

    # --- state -------------------------------------------------------------------------------

    def save(self) -> None:
        state = {
            "config": {**asdict(self.config), "data_dir": str(self.config.data_dir)},
            "processes": [asdict(p) for p in self.processes],
        }
        (self.config.data_dir / STATE_FILE).write_text(json.dumps(state, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, data_dir: Path) -> Stack:
        state = json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
        config = StackConfig(**{**state["config"], "data_dir": Path(state["config"]["data_dir"])})
        return cls(config, [StackProcess(**p) for p in state["processes"]])

    # --- stop --------------------------------------------------------------------------------

    def stop(self, timeout: float = STOP_SECONDS) -> dict[str, Any]:
        """SIGTERM to every group at once, SIGKILL to what is left after ``timeout`` seconds.
        Returns what happened: the seconds it took and the parts that had to be killed."""
        started = time.monotonic()
        groups = [p.pgid for p in self.processes]
        for pgid in groups:
            _signal_group(pgid, signal.SIGTERM)
        killed: list[str] = []
        deadline = started + timeout
        while time.monotonic() < deadline and any(group_pids(g) for g in groups):
            self._reap()
            time.sleep(0.1)
        for process in self.processes:
            if group_pids(process.pgid):
                killed.append(process.name)
                _signal_group(process.pgid, signal.SIGKILL)
        while any(group_pids(g) for g in groups) and time.monotonic() < deadline + 5:
            self._reap()
            time.sleep(0.1)
        self._reap()
        (self.config.data_dir / STATE_FILE).unlink(missing_ok=True)
        return {"seconds": round(time.monotonic() - started, 2), "killed_groups": killed}

    def _reap(self) -> None:
        for child in self._children.values():
            child.poll()

    # --- memory ------------------------------------------------------------------------------

    def memory(self) -> dict[str, Any]:
        """RSS and PSS (MiB) of every process of the stack, its groups' children included, summed;
        and, apart, the shared services it uses (PostgreSQL's server and Redis: every database they
        hold counts, so read those on a quiet machine)."""
        per_name: dict[str, dict[str, float]] = {}
        total = {"processes": 0, "rss_mib": 0.0, "pss_mib": 0.0}
        for process in self.processes:
            pids = group_pids(process.pgid)
            figures = _sum_memory(pids)
            per_name[process.name] = figures
            for key in total:
                total[key] += figures[key]
        services = {
            "postgresql": _sum_memory(pids_named("postgres")),
            "redis": _sum_memory(pids_named("redis-server")),
        }
        return {
            "stack": _rounded(total),
            "by_process_group": {name: _rounded(f) for name, f in per_name.items()},
            "services": {name: _rounded(f) for name, f in services.items()},
        }


# --- processes -----------------------------------------------------------------------------------


def group_pids(pgid: int) -> list[int]:
    """Live (not zombie) processes whose process group is ``pgid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry)
        if fields and fields[2] != "Z" and int(fields[4]) == pgid:
            found.append(int(entry.name))
    return found


def pids_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _stat_fields(entry: Path) -> list[str] | None:
    try:
        raw = (entry / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    head, _, rest = raw.rpartition(")")
    return [head.split(" (", 1)[0], head.split(" (", 1)[-1], *rest.split()]


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _sum_memory(pids: list[int]) -> dict[str, float]:
    rss = pss = 0
    counted = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:  # gone meanwhile, or a kernel thread
            continue
        values = {}
        for line in text.splitlines()[1:]:
            key, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                values[key] = int(rest.split()[0])
        rss += values.get("Rss", 0)
        pss += values.get("Pss", 0)
        counted += 1
    return {"processes": counted, "rss_mib": rss / 1024, "pss_mib": pss / 1024}


def _rounded(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in figures.items()}


# --- services ------------------------------------------------------------------------------------


def ensure_services(database_url: str, redis_url: str | None, *, say: Any = print) -> None:
    """Start PostgreSQL and Redis when they do not answer, the way ``.ci/run`` does."""
    pg = urlsplit(database_url)
    pg_host, pg_port = pg.hostname or "127.0.0.1", pg.port or 5432
    if not _postgres_answers(pg_host, pg_port):
        versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(x) for x in v.split(".")])
        say(f"starting PostgreSQL {versions[-1]}…")
        subprocess.run(  # noqa: S603
            ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],  # noqa: S607
            check=True,
        )
    if redis_url:
        redis = urlsplit(redis_url)
        r_host, r_port = redis.hostname or "127.0.0.1", redis.port or 6379
        if not _redis_answers(r_host, r_port):
            say("starting Redis…")
            Path("/var/lib/redis").mkdir(parents=True, exist_ok=True)
            Path("/var/log/redis").mkdir(parents=True, exist_ok=True)
            command = ["redis-server", "--daemonize", "yes", "--bind", r_host, "--port", str(r_port)]
            command += ["--save", "", "--appendonly", "no", "--dir", "/var/lib/redis"]
            command += ["--logfile", "/var/log/redis/anju-stack.log"]
            subprocess.run(command, check=True)  # noqa: S603
    deadline = time.monotonic() + 30
    while not _postgres_answers(pg_host, pg_port) or (redis_url and not _redis_answers(r_host, r_port)):
        if time.monotonic() > deadline:
            raise RuntimeError("PostgreSQL or Redis does not answer after 30 s")
        time.sleep(0.5)


def _postgres_answers(host: str, port: int) -> bool:
    command = ["pg_isready", "-q", "-h", host, "-p", str(port), "-t", "2"]
    return subprocess.run(command, check=False).returncode == 0  # noqa: S603


def _redis_answers(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# --- command line --------------------------------------------------------------------------------


def config_from(args: argparse.Namespace) -> StackConfig:
    sqlite = args.sqlite
    return StackConfig(
        data_dir=args.data_dir or REPO / "var" / ("stack-sqlite" if sqlite else "stack-postgresql"),
        database_url=None if sqlite else args.database_url,
        redis_url=None if sqlite else args.redis_url,
        bind=args.bind,
        web_workers=args.web_workers or (2 if sqlite else 4),
        job_workers=args.job_workers,
        demo=not args.no_demo,
        listings=args.listings,
        clients=args.clients,
        needs=args.needs,
        companies=args.companies,
    )


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL (created when missing)"
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--bind", default="127.0.0.1:8100")
    parser.add_argument(
        "--web-workers", type=int, help="gunicorn workers (default 4 on PostgreSQL, 2 on SQLite)"
    )
    parser.add_argument("--job-workers", type=int, default=2, help="`anju worker` processes")
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo agency")
    parser.add_argument("--listings", type=int, help="demo size (default: the demo's own)")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--needs", type=int)
    parser.add_argument("--companies", type=int, default=1, help="demo agencies in the one database")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL + Redis")
    parser.add_argument(
        "--data-dir", type=Path, help="ANJU_DATA_DIR (default var/stack-postgresql or var/stack-sqlite)"
    )
    parser.add_argument("--timeout", type=float, default=STOP_SECONDS, help="stop: seconds before SIGKILL")
    add_stack_arguments(parser)
    args = parser.parse_args()
    data_dir: Path = args.data_dir or REPO / "var" / ("stack-sqlite" if args.sqlite else "stack-postgresql")
    if args.action == "start":
        if (data_dir / STATE_FILE).exists() and any(
            group_pids(p.pgid) for p in Stack.load(data_dir).processes
        ):
            sys.exit(f"a stack is already running from {data_dir}: `python bench/stack.py stop` first")
        Stack.start(config_from(args))
        return
    if not (data_dir / STATE_FILE).exists():
        sys.exit(f"no stack was started from {data_dir}")
    stack = Stack.load(data_dir)
    if args.action == "stop":
        print(json.dumps(stack.stop(timeout=args.timeout)))
    else:
        alive = {p.name: group_pids(p.pgid) for p in stack.processes}
        print(json.dumps({"url": stack.config.url, "alive": alive, "memory": stack.memory()}, indent=2))


if __name__ == "__main__":
    main()
