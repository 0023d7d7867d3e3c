"""Fault: a job worker killed with SIGKILL in the middle of a job (issue 17, decision 0025).

Huey takes a job off the queue before it runs it, so the queue forgets a job whose worker dies. The
pending-jobs row the enqueueing write left is still there: the next worker sends it again at
startup once its lease is over, and the job, idempotent, has its effect once.

The worker's clock cannot be moved from here, so the lease's end is written into the row instead of
waited for (ten minutes by default).
"""

from __future__ import annotations

import signal
import uuid
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from anju.core.jobs import enqueue_on_commit
from anju.core.models import PendingJob
from anju.org.models import LoginRecord
from anju.org.tasks import record_login
from tests.core.test_jobs import login_job_arguments
from tests.factories import UserFactory
from tests.faults.processes import (
    STARTUP_SECONDS,
    anju_environment,
    require_postgres,
    shared_database_url,
    start_worker,
    stop_worker,
    wait_until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _waiting_on_a_lock() -> int:
    """Sessions of this database blocked on a lock (the worker's INSERT behind the test's lock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _queued(storage: Any) -> list[str]:
    """The names of the jobs waiting in the queue."""
    return [HUEY.serializer.deserialize(message).name for message in storage.enqueued_items()]


def test_a_job_whose_worker_is_killed_mid_run_runs_again_and_has_its_effect_once(
    redis_url, tmp_path, monkeypatch
):
    require_postgres()
    # given a queue of the test's own on Redis, and a sign-in to record
    queue_name = f"anju_fault_{uuid.uuid4().hex}"
    storage = RedisHuey(queue_name, url=redis_url).storage
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", storage)
    env = anju_environment(
        tmp_path, database_url=shared_database_url(), redis_url=redis_url, ANJU_QUEUE_NAME=queue_name
    )
    user = UserFactory()
    # and the table the job writes to locked by another session, so the job stops in the middle
    blocker = psycopg.connect(
        host=connection.settings_dict["HOST"] or "127.0.0.1",
        port=connection.settings_dict["PORT"] or 5432,
        user=connection.settings_dict["USER"],
        dbname=connection.settings_dict["NAME"],
    )
    first = second = None
    try:
        blocker.execute("LOCK TABLE org_loginrecord IN SHARE MODE")
        enqueue_on_commit(record_login, **login_job_arguments(user.pk, key="killed-mid-job"))
        assert PendingJob.objects.count() == 1
        # when a worker takes the job and is killed while it writes
        first = start_worker(env)
        wait_until(
            lambda: _waiting_on_a_lock() == 1,
            seconds=STARTUP_SECONDS,
            what="the job to start",
            watching=first,
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        blocker.rollback()
        # then the queue has forgotten the job, the effect did not happen, the row is still there
        assert not [name for name in _queued(storage) if name.endswith(".record_login")]
        assert not LoginRecord.objects.filter(key="killed-mid-job").exists()
        assert PendingJob.objects.count() == 1
        # when, the lease over, the next worker starts
        PendingJob.objects.update(resend_at=timezone.now())
        second = start_worker(env)
        wait_until(
            lambda: not PendingJob.objects.exists(),
            seconds=STARTUP_SECONDS,
            what="the job to run again",
            watching=second,
        )
        # then the job ran again, and its effect exists exactly once
        assert LoginRecord.objects.filter(key="killed-mid-job").count() == 1
        assert LoginRecord.objects.get(key="killed-mid-job").user_id == user.pk
    finally:
        blocker.close()
        if first is not None and first.poll() is None:
            first.kill()
        if second is not None:
            stop_worker(second)
        storage.flush_all()
