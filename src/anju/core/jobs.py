"""Enqueueing background jobs: always after the surrounding transaction commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` to the queue once the current transaction commits (at once outside one).

    A job enqueued inside a transaction that rolls back is never sent, and a job never reads
    rows that are not committed yet.
    """
    transaction.on_commit(lambda: task(*args, **kwargs))
