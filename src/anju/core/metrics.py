"""Prometheus metrics at ``/metrics`` (docs/operations.md, decision 0022).

- ``anju_request_duration_seconds{view,method,status}``: every request's latency, by the URL name of
  its view (``RequestLatencyMiddleware``);
- ``anju_job_runs_total{job}`` and ``anju_job_failures_total{job}``: job runs and failures, counted
  by the worker that ran them (Huey's signals);
- gauges read when Prometheus scrapes, from a registry any app adds to in its ``AppConfig.ready()``
  with ``metrics_gauge(name, documentation, read)``: core adds ``anju_queue_depth`` (jobs waiting in
  the queue) and ``anju_pending_jobs`` (jobs enqueued and not yet run, decision 0025: it grows while
  the queue is unreachable or no worker runs).

Web and job processes are separate (gunicorn's workers, ``anju worker``), so the counters live in
prometheus-client's multiprocess mode: each process writes its values to files in
``PROMETHEUS_MULTIPROC_DIR`` (``$ANJU_DATA_DIR/metrics`` unless set; settings set it before the
client is imported) and ``/metrics`` sums them. ``anju serve`` empties the directory when it starts.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

REQUEST_SECONDS = Histogram(
    "anju_request_duration_seconds",
    "Time to answer a request, by the URL name of its view",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10),
)
JOB_RUNS = Counter("anju_job_runs", "Jobs run to the end, by job", ["job"])
JOB_FAILURES = Counter("anju_job_failures", "Jobs that raised, by job", ["job"])


@dataclass(frozen=True)
class LiveGauge:
    name: str
    documentation: str
    read: Callable[[], float | dict[tuple[str, ...], float]]
    labels: tuple[str, ...] = ()


_gauges: dict[str, LiveGauge] = {}


def metrics_gauge(
    name: str,
    documentation: str,
    read: Callable[[], float | dict[tuple[str, ...], float]],
    *,
    labels: tuple[str, ...] = (),
) -> None:
    """Add a gauge read at scrape time: ``read()`` returns a number, or with ``labels`` a dict from
    label values to numbers. Registering a name again replaces it (``ready()`` may run twice)."""
    _gauges[name] = LiveGauge(name, documentation, read, labels)


class _LiveGauges(Collector):
    def collect(self) -> Any:
        for gauge in list(_gauges.values()):
            try:
                value = gauge.read()
            except Exception:  # a gauge that cannot be read is left out, the others still answer
                logger.warning("metrics: gauge %s could not be read", gauge.name, exc_info=True)
                continue
            family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=list(gauge.labels))
            if isinstance(value, dict):
                for label_values, number in value.items():
                    family.add_metric(list(label_values), number)
            else:
                family.add_metric([], value)
            yield family


def metrics_exposition() -> tuple[bytes, str]:
    """Every process's counters summed, and the live gauges, in Prometheus' text format."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(_LiveGauges())
    return generate_latest(registry), CONTENT_TYPE_LATEST


def metrics_allowed(request: HttpRequest) -> bool:
    """With ``ANJU_METRICS_TOKEN`` set, only ``Authorization: Bearer <token>``; without it, only a
    request made on this machine straight to Anju (loopback, and no proxy's X-Forwarded-For)."""
    token = getattr(settings, "ANJU_METRICS_TOKEN", "")
    if token:
        sent = request.META.get("HTTP_AUTHORIZATION", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    local = request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}
    return local and "HTTP_X_FORWARDED_FOR" not in request.META and "HTTP_X_REAL_IP" not in request.META


class RequestLatencyMiddleware:
    """Times every request and files it under its view's URL name (unresolved: ``<unresolved>``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "<unresolved>"  # an unnamed URL: its function's path
        REQUEST_SECONDS.labels(view, request.method or "", f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response


def count_job(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
    """Huey signal handler: a job finished (``complete``) or raised (``error``)."""
    from huey.signals import SIGNAL_ERROR

    (JOB_FAILURES if signal == SIGNAL_ERROR else JOB_RUNS).labels(task.name).inc()


def queue_depth() -> float:
    from huey.contrib.djhuey import HUEY

    return float(HUEY.pending_count())


def pending_jobs() -> float:
    from anju.core.jobs import pending_jobs_count

    return float(pending_jobs_count())


def metrics_connect() -> None:
    """Called from core's ``ready()``: job signals counted, the queue's depth registered."""
    from huey.contrib.djhuey import HUEY
    from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR

    HUEY.disconnect_signal(count_job)
    HUEY.signal(SIGNAL_COMPLETE, SIGNAL_ERROR)(count_job)
    metrics_gauge("anju_queue_depth", "Jobs waiting in the queue", queue_depth)
    metrics_gauge("anju_pending_jobs", "Jobs enqueued by a write and not yet run by a worker", pending_jobs)
