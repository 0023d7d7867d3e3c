"""Pending jobs (decision 0025): a job enqueued by a write is kept until a worker has run it, so a
queue that cannot be reached or a worker that dies loses nothing.

The queue is real storage (a SQLite file, or Redis), as in ``test_jobs``; an unreachable queue is a
Redis on a port nobody listens on.
"""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client as HttpClient
from django.utils import timezone
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from anju.core.jobs import enqueue_on_commit, pending_jobs_resend, resend_after
from anju.core.models import PendingJob
from anju.org.models import LoginRecord
from anju.org.tasks import record_login
from tests.core.test_jobs import login_job_arguments, queue, redis_storage, run_pending_jobs, sqlite_storage  # noqa: F401
from tests.factories import UserFactory
from tests.web.test_operations import metric_value, scrape

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue_down(queue, monkeypatch):  # noqa: F811 - fixture
    """Switches the application's queue to a Redis nobody answers at; ``up()`` switches it back."""
    working = queue.storage
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = RedisHuey("anju_unreachable", url=f"redis://127.0.0.1:{port}/0?socket_connect_timeout=1")

    class Switch:
        def down(self) -> None:
            monkeypatch.setattr(HUEY, "storage", closed.storage)

        def up(self) -> None:
            monkeypatch.setattr(HUEY, "storage", working)

    switch = Switch()
    switch.down()
    return switch


def test_a_job_is_pending_from_its_transaction_until_a_worker_ran_it(queue):  # noqa: F811
    # given
    user = UserFactory()
    # when
    with transaction.atomic():
        enqueue_on_commit(record_login, **login_job_arguments(user.pk, key="kept"))
        # then: written with the transaction, not sent before it commits
        assert PendingJob.objects.count() == 1
        assert len(queue) == 0
    # then: sent, and still pending until it ran
    assert len(queue) == 1
    [pending] = PendingJob.objects.all()
    assert pending.name.endswith("record_login")
    # when a worker runs it
    assert run_pending_jobs(queue) == 1
    # then
    assert not PendingJob.objects.exists()
    assert list(LoginRecord.objects.values_list("key", flat=True)) == ["kept"]


def test_a_rolled_back_write_leaves_no_pending_job(queue):  # noqa: F811
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(record_login, **login_job_arguments(user.pk))
        raise RuntimeError("rolled back")
    assert not PendingJob.objects.exists()
    assert len(queue) == 0


def test_a_write_while_the_queue_is_down_keeps_its_job_and_sends_it_when_it_is_back(queue_down, queue):  # noqa: F811
    # given
    user = UserFactory()
    # when the write commits while the queue does not answer
    with transaction.atomic():
        enqueue_on_commit(record_login, **login_job_arguments(user.pk, key="while-down"))
    # then nothing failed, and the job waits, due at once
    [pending] = PendingJob.objects.all()
    assert pending.resend_at <= timezone.now()
    # when the sweeper runs while the queue is still down
    report = pending_jobs_resend()
    # then it says so and keeps the job
    assert report == {"sent": 0, "waiting": 1, "unreachable": 1}
    # when the queue is back and the sweeper runs
    queue_down.up()
    assert pending_jobs_resend() == {"sent": 1, "waiting": 0, "unreachable": 0}
    # then the worker runs it once and the row goes
    assert run_pending_jobs(queue) == 1
    assert list(LoginRecord.objects.values_list("key", flat=True)) == ["while-down"]
    assert not PendingJob.objects.exists()


def test_a_job_its_worker_took_and_never_finished_is_sent_again_after_the_lease(queue, time_machine):  # noqa: F811
    # given a job sent, then taken off the queue by a worker that died before running it
    user = UserFactory()
    enqueue_on_commit(record_login, **login_job_arguments(user.pk, key="orphan"))
    assert queue.dequeue() is not None
    assert len(queue) == 0
    # when the sweeper runs before the lease is over
    assert pending_jobs_resend()["sent"] == 0
    # and after it
    time_machine.move_to(timezone.now() + resend_after() + dt.timedelta(seconds=1), tick=False)
    assert pending_jobs_resend()["sent"] == 1
    # then it runs, once
    assert run_pending_jobs(queue) == 1
    assert LoginRecord.objects.filter(key="orphan").count() == 1
    assert not PendingJob.objects.exists()


def test_flush_pending_says_when_the_queue_is_down_and_sends_when_it_is_back(queue_down, queue, capsys):  # noqa: F811
    # given two writes while the queue is down
    user = UserFactory()
    for key in ("a", "b"):
        enqueue_on_commit(record_login, **login_job_arguments(user.pk, key=key))
    # when
    with pytest.raises(CommandError, match="任务队列无法连接：2 个任务仍在等待发送"):
        call_command("jobs", "flush-pending")
    queue_down.up()
    capsys.readouterr()
    call_command("jobs", "flush-pending")
    # then
    assert json.loads(capsys.readouterr().out) == {"sent": 2, "waiting": 0, "unreachable": 0}
    assert run_pending_jobs(queue) == 2
    assert sorted(LoginRecord.objects.values_list("key", flat=True)) == ["a", "b"]


def test_metrics_count_the_pending_jobs_and_readyz_names_the_queue(queue_down, queue):  # noqa: F811
    # given one job kept while the queue is down
    user = UserFactory()
    enqueue_on_commit(record_login, **login_job_arguments(user.pk))
    client = HttpClient()
    # then the gauge counts it and readiness names the queue
    assert metric_value(scrape(client), "anju_pending_jobs") == 1
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert list(ready.json()["failing"]) == ["queue"]
    # when it is sent and run
    queue_down.up()
    pending_jobs_resend()
    run_pending_jobs(queue)
    # then
    assert metric_value(scrape(client), "anju_pending_jobs") == 0
    assert client.get("/readyz").status_code == 200
