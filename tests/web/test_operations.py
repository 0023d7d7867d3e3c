"""The operator's endpoints: ``/healthz`` (the process answers), ``/readyz`` (database, migrations,
queue — 503 naming what is not ready) and ``/metrics`` (Prometheus, local or token only)."""

from __future__ import annotations

import re

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client as HttpClient
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from anju.core.health import known_migrations

# Two real jobs of this test module's own: one that finishes, one that raises.
ran: list[int] = []


@HUEY.task(name="tests.ops_metric_job_ok")
def metric_job_ok(value: int) -> None:
    ran.append(value)


@HUEY.task(name="tests.ops_metric_job_fails", retries=0)
def metric_job_fails() -> None:
    raise RuntimeError("this job fails on purpose")


def metric_value(body: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when it is not there)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in body.splitlines():
        match = re.fullmatch(rf"{re.escape(name)}(?:\{{(.*)\}})? (\S+)", line)
        if match and ",".join(sorted((match.group(1) or "").split(","))) == wanted:
            return float(match.group(2))
    return 0.0


def scrape(client: HttpClient) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    return response.content.decode()


def test_healthz_answers_without_the_database():
    # when a probe asks whether the process is up (this test may not touch the database: a query
    # would raise), then it is
    response = HttpClient().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_database_migrations_and_queue_are(db):
    response = HttpClient().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_names_an_unapplied_migration(db):
    # given the database lacks the record of one migration this code ships
    app, name = max(migration for migration in known_migrations() if migration[0] == "core")
    MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()
    # when asked, then 503 names the migration and what to do
    response = HttpClient().get("/readyz")
    assert response.status_code == 503
    failing = response.json()["failing"]
    assert list(failing) == ["migrations"]
    assert f"{app}.{name}" in failing["migrations"]
    assert "anju migrate" in failing["migrations"]


def test_readyz_names_an_unreachable_queue(db, monkeypatch):
    # given the queue is a Redis on a port nobody listens on
    closed = RedisHuey("anju_unreachable", host="127.0.0.1", port=1, socket_connect_timeout=1)
    monkeypatch.setattr(HUEY, "storage", closed.storage)
    # when asked, then 503 names the queue (and only the queue)
    response = HttpClient().get("/readyz")
    assert response.status_code == 503
    assert list(response.json()["failing"]) == ["queue"]
    assert "任务队列无法连接" in response.json()["failing"]["queue"]


def test_metrics_count_requests_by_view_and_jobs_by_name(db):
    client = HttpClient()
    before = scrape(client)
    # when a probe asks twice, one job runs and another fails
    client.get("/healthz")
    client.get("/healthz")
    metric_job_ok(7)
    metric_job_fails()
    after = scrape(client)
    # then the latency histogram counted the two requests under the view's name
    labels = {"view": "web:healthz", "method": "GET", "status": "2xx"}
    counted = metric_value(after, "anju_request_duration_seconds_count", **labels) - metric_value(
        before, "anju_request_duration_seconds_count", **labels
    )
    assert counted == 2
    # and each job is counted by its name, the failure as a failure
    assert metric_value(after, "anju_job_runs_total", job="tests.ops_metric_job_ok") >= 1
    assert metric_value(after, "anju_job_failures_total", job="tests.ops_metric_job_fails") >= 1
    assert metric_value(after, "anju_job_failures_total", job="tests.ops_metric_job_ok") == 0
    # and the queue's depth is a gauge read at the scrape
    assert "# TYPE anju_queue_depth gauge" in after
    assert ran == [7]


def test_metrics_refuse_a_request_through_a_proxy_without_the_token(db, settings):
    # given no token: a request from this machine is answered, one a proxy forwarded is not
    assert HttpClient().get("/metrics").status_code == 200
    assert HttpClient().get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    # given a token: only a request carrying it is answered
    settings.ANJU_METRICS_TOKEN = "scrape-me"
    assert HttpClient().get("/metrics").status_code == 403
    assert HttpClient().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    answered = HttpClient().get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-me")
    assert answered.status_code == 200
    assert b"anju_request_duration_seconds" in answered.content


@pytest.fixture(autouse=True)
def _forget_ran():
    ran.clear()
