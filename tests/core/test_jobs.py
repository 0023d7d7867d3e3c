"""Background jobs on real queue storage: SQLite (the default), Redis (``REDIS_URL``) and a worker process.

The rest of the suite runs Huey in immediate mode (``tests/pytest_env.py``); here the application's
own Huey instance gets real storage back for the length of a test, so that what is enqueued can be
seen in the queue and is run the way a worker runs it: dequeue, then execute.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from huey import RedisHuey
from huey.api import Huey
from huey.contrib.djhuey import HUEY
from huey.signals import SIGNAL_ERROR
from huey.storage import BaseStorage, SqliteStorage

from anju.core.jobs import enqueue_on_commit
from anju.org.models import LoginRecord
from anju.org.tasks import record_login
from tests.factories import UserFactory

# How long the worker process may take to start, pick the job up and write the row.
WORKER_DEADLINE_SECONDS = 30


def login_job_arguments(user_id: int, key: str | None = None) -> dict:
    return {
        "user_id": user_id,
        "at": timezone.now().isoformat(),
        "ip_address": "10.0.0.8",
        "user_agent": "Mozilla/5.0 (iPhone) 安居测试",
        "key": key or uuid.uuid4().hex,
    }


def run_pending_jobs(huey: Huey) -> int:
    """Run what is queued the way a worker does: dequeue, execute; the number of jobs run.

    Huey catches a job's exception and schedules a retry; here a failed job fails the test.
    """
    failures: list[str] = []

    def on_error(signal: str, task: object, exc: BaseException | None = None) -> None:
        failures.append(f"{task}: {exc!r}")

    huey.signal(SIGNAL_ERROR)(on_error)
    count = 0
    try:
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
            count += 1
    finally:
        huey.disconnect_signal(on_error, SIGNAL_ERROR)
    assert failures == [], "jobs failed"
    return count


@pytest.fixture
def sqlite_storage(tmp_path: Path) -> BaseStorage:
    return SqliteStorage(name=HUEY.name, filename=str(tmp_path / "jobs.sqlite3"))


@pytest.fixture
def redis_storage(redis_url: str) -> Iterator[BaseStorage]:
    # A queue name of its own: the test database of Redis is shared with other tests and workers.
    storage = RedisHuey(f"anju_test_{uuid.uuid4().hex}", url=redis_url, read_timeout=0.2).storage
    yield storage
    storage.flush_all()
    storage.conn.close()


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def queue(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Huey:
    """The application's Huey instance with real storage (SQLite file or Redis) instead of immediate mode."""
    storage = request.getfixturevalue(f"{request.param}_storage")
    # Huey keeps the mode in ``_immediate``; its public setter would also open the configured storage.
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", storage)
    return HUEY


@pytest.mark.django_db(transaction=True)
def test_a_queued_login_job_is_stored_until_a_worker_runs_it(queue):
    # given
    user = UserFactory()
    # when
    record_login(**login_job_arguments(user.pk))
    # then
    assert len(queue) == 1
    assert not LoginRecord.objects.filter(user=user).exists()
    # when
    ran = run_pending_jobs(queue)
    # then
    assert ran == 1
    assert len(queue) == 0
    record = LoginRecord.objects.get(user=user)
    assert record.ip_address == "10.0.0.8"
    assert record.user_agent == "Mozilla/5.0 (iPhone) 安居测试"


@pytest.mark.django_db(transaction=True)
def test_a_login_job_delivered_twice_records_the_login_once(queue):
    # given: the same message twice in the queue, as after a worker died before acknowledging it
    user = UserFactory()
    job = record_login.s(**login_job_arguments(user.pk, key="request-42"))
    queue.enqueue(job)
    queue.enqueue(job)
    # when
    ran = run_pending_jobs(queue)
    # then
    assert ran == 2
    assert LoginRecord.objects.filter(user=user).count() == 1
    assert LoginRecord.objects.get(user=user).key == "request-42"


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_transaction_that_rolls_back_is_never_sent(queue):
    # given
    user = UserFactory()

    class Abandoned(Exception):
        pass

    # when
    with pytest.raises(Abandoned), transaction.atomic():
        enqueue_on_commit(record_login, **login_job_arguments(user.pk, key="abandoned"))
        raise Abandoned
    with transaction.atomic():  # the same enqueue in a transaction that commits is sent
        enqueue_on_commit(record_login, **login_job_arguments(user.pk, key="committed"))
    # then
    assert len(queue) == 1
    assert run_pending_jobs(queue) == 1
    assert list(LoginRecord.objects.filter(user=user).values_list("key", flat=True)) == ["committed"]


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_transaction_is_sent_once_when_it_commits(queue):
    # given
    user = UserFactory()
    # when
    with transaction.atomic():
        enqueue_on_commit(record_login, **login_job_arguments(user.pk))
        # then: nothing leaves before the commit
        assert len(queue) == 0
    # then
    assert len(queue) == 1
    assert run_pending_jobs(queue) == 1
    assert LoginRecord.objects.filter(user=user).count() == 1


def _anju(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "anju", *args],
        env=_worker_environment(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def _worker_environment(data_dir: Path) -> dict[str, str]:
    """The environment of a fresh installation in ``data_dir``: SQLite for data and jobs, no immediate mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "ANJU_"))}
    env.update(
        {"ANJU_DATA_DIR": str(data_dir), "ANJU_WORKERS": "1", "DJANGO_SETTINGS_MODULE": "anju.settings"}
    )
    return env


def _login_records(database: Path, key: str) -> list[tuple[int, str]]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT user_id, ip_address FROM org_loginrecord WHERE key = ?", (key,)).fetchall()


def test_the_worker_command_runs_jobs_queued_before_it_started(tmp_path: Path):
    # given: an installation with one user, and a login job waiting in its queue
    data_dir = tmp_path / "data"
    _anju(data_dir, "migrate", "--noinput")
    _anju(
        data_dir,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.create(username='ops')",
    )
    with sqlite3.connect(data_dir / "anju.sqlite3") as db:
        (user_id,) = db.execute("SELECT id FROM auth_user WHERE username = 'ops'").fetchone()
    job = record_login.s(**login_job_arguments(user_id, key="before-start"))
    SqliteStorage(name=HUEY.name, filename=str(data_dir / "jobs.sqlite3")).enqueue(
        HUEY.serialize_task(job), job.priority
    )
    # when
    worker = subprocess.Popen(
        [sys.executable, "-m", "anju", "worker"],
        env=_worker_environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + WORKER_DEADLINE_SECONDS
        while not (rows := _login_records(data_dir / "anju.sqlite3", "before-start")):
            if worker.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGINT)  # Huey's graceful shutdown
        try:
            output, _ = worker.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    # then
    assert rows == [(user_id, "10.0.0.8")], f"the worker did not run the job; its output:\n{output}"
