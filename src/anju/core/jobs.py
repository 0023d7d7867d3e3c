"""Enqueueing background jobs: always after the surrounding transaction commits, and never lost.

A job enqueued with ``enqueue_on_commit`` is written to the pending-jobs table (``PendingJob``) in
the writing transaction and sent to the queue when it commits; the worker that ran it deletes the
row. A row left behind (the send failed because Redis was down, or the worker died mid-run: Huey
takes a job off the queue before running it) is sent again by ``pending_jobs_resend`` once its
``resend_at`` has passed: from ``anju worker`` at startup, every minute from the worker, and by
hand with ``anju jobs flush-pending``. Every job is idempotent, so a resend is safe (decisions 0003
and 0025).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from huey.api import PeriodicTask, Task
from huey.contrib.djhuey import HUEY

from anju.core.models import PendingJob

log = logging.getLogger(__name__)

RESEND_BATCH = 500  # rows one sweep sends at most; the next sweep takes the rest


def resend_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JOB_RESEND_AFTER_SECONDS)


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` to the queue once the current transaction commits (at once outside one).

    A job enqueued inside a transaction that rolls back is never sent, and a job never reads
    rows that are not committed yet. One that commits is kept in the pending-jobs table until a
    worker has run it: a queue that cannot be reached costs the request nothing but a warning.
    """
    if HUEY.immediate:  # tests and development: the job runs here, at commit; nothing to keep
        transaction.on_commit(lambda: task(*args, **kwargs))
        return
    job = task.s(*args, **kwargs)
    PendingJob.objects.create(
        id=job.id, name=job.name, message=HUEY.serialize_task(job), resend_at=timezone.now() + resend_after()
    )
    transaction.on_commit(lambda: _send(job))


def _send(job: Task) -> None:
    try:
        HUEY.enqueue(job)
    except Exception:  # Redis refused or timed out, the SQLite queue locked: the row keeps the job
        log.warning(
            "job %s %s could not be queued; it is sent again once the queue answers", job.name, job.id
        )
        try:
            PendingJob.objects.filter(pk=job.id).update(resend_at=timezone.now())
        except DatabaseError:  # it is resent at its ordinary time instead
            log.warning("job %s could not be marked for resending", job.id, exc_info=True)


def pending_jobs_resend(*, limit: int = RESEND_BATCH) -> dict[str, int]:
    """Send again the pending jobs whose ``resend_at`` has passed: how many were sent, how many are
    still due, and whether the queue could not be reached (1) or could (0).

    Stops at the first send that fails (the queue is down: the rest would fail alike) and leaves
    those rows due. Rows another sweeper holds are skipped (PostgreSQL), not sent twice.
    """
    autodiscover_modules("tasks")  # every app's jobs known, as in the worker, to read the rows back
    now = timezone.now()
    sent = unreachable = 0
    with transaction.atomic():
        due = list(
            PendingJob.objects.select_for_update(skip_locked=True)
            .filter(resend_at__lte=now)
            .order_by("resend_at")[:limit]
        )
        for row in due:
            try:
                job = HUEY.deserialize_task(bytes(row.message))
            except Exception:  # a job this version no longer has: keep it visible, retry later
                log.exception("pending job %s %s cannot be read", row.name, row.pk)
                PendingJob.objects.filter(pk=row.pk).update(resend_at=now + resend_after())
                continue
            try:
                HUEY.enqueue(job)
            except Exception as exc:
                log.warning("the job queue does not answer (%s); %d pending jobs wait", exc, len(due) - sent)
                unreachable = 1
                break
            PendingJob.objects.filter(pk=row.pk).update(
                resend_at=now + resend_after(), resends=row.resends + 1
            )
            sent += 1
    waiting = PendingJob.objects.filter(resend_at__lte=now).count()
    return {"sent": sent, "waiting": waiting, "unreachable": unreachable}


def pending_jobs_count() -> int:
    return PendingJob.objects.count()


def _forget_finished(task: Task, value: Any, exception: BaseException | None) -> None:
    """Huey's post-execute hook in the worker: a job that ran (or failed for good) is no longer pending.

    A job that raised and has retries left stays: Huey queues it again.
    """
    if HUEY.immediate or isinstance(task, PeriodicTask):
        return
    if exception is not None and task.retries:
        return
    PendingJob.objects.filter(pk=task.id).delete()


def _forget_dropped(signal: str, task: Task, *args: Any, **kwargs: Any) -> None:
    """Huey's signal for a job it will not run (revoked, expired, cancelled for good)."""
    if not HUEY.immediate and not isinstance(task, PeriodicTask) and not task.retries:
        PendingJob.objects.filter(pk=task.id).delete()


def jobs_connect() -> None:
    """Called from core's ``ready()``: workers delete the rows of the jobs they finish."""
    from huey.signals import SIGNAL_CANCELED, SIGNAL_EXPIRED, SIGNAL_REVOKED

    HUEY.post_execute(name="anju.forget_finished")(_forget_finished)
    HUEY.disconnect_signal(_forget_dropped)
    HUEY.signal(SIGNAL_CANCELED, SIGNAL_EXPIRED, SIGNAL_REVOKED)(_forget_dropped)
