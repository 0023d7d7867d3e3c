"""Real processes for the fault tests: Anju's own (``anju serve``, ``anju worker``, ``anju jobs``), and a
private PostgreSQL or Redis a test may stop and start without disturbing the shared ones.

Anju's processes get a clean environment: the data directory, database and queue named here, nothing
inherited from the test run (no immediate jobs, no other ``ANJU_`` switch).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection

from tests.conftest import skip_or_fail

STARTUP_SECONDS = 120  # how long a process may take to start and answer (a loaded machine is slow)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shared_database_url() -> str:
    """The URL of the database this test runs in (PostgreSQL), for Anju processes to share it."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        skip_or_fail("postgres", "the faults run Anju's processes on PostgreSQL (DATABASE_URL=postgres://…)")


def anju_environment(
    data_dir: Path, *, database_url: str, redis_url: str = "", **extra: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "ANJU_"))}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # each installation its own, under its data directory
    env.update(
        {
            "ANJU_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "anju.settings",
            "SECRET_KEY": "test-only-not-secret",
            "ANJU_WORKERS": "1",
            **extra,
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _stop(process: subprocess.Popen[Any], how: int = signal.SIGTERM) -> str:
    if process.poll() is None:
        process.send_signal(how)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output or ""


@contextmanager
def served(env: dict[str, str], *, workers: int = 1) -> Iterator[str]:
    """``anju serve`` on a free port (static files not collected: the faults need pages and the API,
    and collecting takes most of a minute); yields its address once it says it is up."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [
            sys.executable,
            "-m",
            "anju",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--skip-collectstatic",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert "安居已启动" in first, f"anju serve did not start: {first}{_stop(server)}"
        site = f"http://127.0.0.1:{port}"
        # gunicorn listens before its workers have loaded Anju; a worker takes requests once loaded
        wait_until(
            lambda: _answers(f"{site}/healthz"), seconds=STARTUP_SECONDS, every=0.5, what="a web worker"
        )
        yield site
    finally:
        _stop(server)


def _answers(url: str) -> bool:
    try:
        return request(url, timeout=STARTUP_SECONDS).status == 200
    except OSError:
        return False


def start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "anju", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(worker: subprocess.Popen[str]) -> str:
    """Huey's graceful shutdown (SIGINT); what the worker printed."""
    return _stop(worker, signal.SIGINT)


def anju(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "anju", *args], env=env, capture_output=True, text=True, timeout=300
    )


def wait_until(
    condition: Any,
    *,
    seconds: float = 30,
    every: float = 0.1,
    what: str = "",
    watching: subprocess.Popen[str] | None = None,
) -> Any:
    """Poll ``condition`` until it is true; on timeout fail, with what ``watching`` printed."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline or (watching is not None and watching.poll() is not None):
            printed = f"; it printed:\n{stop_worker(watching)}" if watching is not None else ""
            raise AssertionError(f"waited {seconds} s for {what or condition}{printed}")
        time.sleep(every)
    return value


# --- HTTP --------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    url: str, *, token: str = "", method: str = "GET", data: Any = None, cookie: str = "", timeout: float = 30
) -> Answer:
    """One HTTP request; an error status is an answer too (a refused connection raises ``OSError``)."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310 - http only
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:  # noqa: S310
            return Answer(answer.status, answer.read().decode(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode(errors="replace"), dict(error.headers))


# --- a private PostgreSQL ------------------------------------------------------------------------


def _postgres_bindir() -> Path | None:
    candidates = []
    if pg_config := shutil.which("pg_config"):
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)  # noqa: S603
        candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


@dataclass
class PrivatePostgres:
    bindir: Path
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/anju"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        # PostgreSQL refuses to run as root: CI runs as root, so its tools run as the postgres user.
        as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(  # noqa: S603
            [*as_owner, *args], capture_output=True, text=True, timeout=120, check=check
        )

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        done = self._run(
            str(self.bindir / "pg_ctl"), action, "-D", str(self.data / "cluster"), "-w", "-t", "60",
            "-l", str(self.data / "server.log"), "-o", options, *extra, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"pg_ctl {action}: {done.stdout}{done.stderr}"


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL cluster of the test's own on a free port, with a database ``anju`` holding a copy
    of the test's database (schema and rows, as migrations and the test left them)."""
    bindir = _postgres_bindir()
    if bindir is None:
        skip_or_fail("postgres", "initdb and pg_ctl are not installed")
    assert bindir is not None
    # Under /tmp itself, not pytest's folder: the postgres user must be able to reach it.
    data = Path(tempfile.mkdtemp(prefix="anju-fault-pg-"))
    server = PrivatePostgres(bindir, data, free_port())
    try:
        if os.geteuid() == 0:
            shutil.chown(data, "postgres", "postgres")
        initialised = server._run(
            str(bindir / "initdb"), "-D", str(data / "cluster"), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync", check=False,
        )  # fmt: skip
        assert initialised.returncode == 0, initialised.stderr
        server.pg_ctl("start")
        source = shared_database_url()
        subprocess.run(  # noqa: S603
            [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "anju"],
            check=True,
            capture_output=True,
        )
        dump = subprocess.run(  # noqa: S603
            [str(bindir / "pg_dump"), "--no-owner", "--no-privileges", "-d", source],
            check=True,
            capture_output=True,
        )
        subprocess.run(  # noqa: S603
            [str(bindir / "psql"), "-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", server.url],
            input=dump.stdout,
            check=True,
            capture_output=True,
        )
        yield server
    finally:
        server._run(
            str(bindir / "pg_ctl"), "stop", "-D", str(data / "cluster"), "-m", "immediate", check=False
        )
        shutil.rmtree(data, ignore_errors=True)


# --- a private Redis ---------------------------------------------------------------------------


@dataclass
class PrivateRedis:
    binary: str
    folder: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, seconds=20, what="redis-server to answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=1).ping())
        except redis.RedisError:
            return False


@contextmanager
def private_redis(folder: Path) -> Iterator[PrivateRedis]:
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("redis", "redis-server is not installed")
    assert binary is not None
    server = PrivateRedis(binary, folder, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
