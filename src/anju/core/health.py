"""Liveness and readiness: what ``/healthz`` and ``/readyz`` answer (docs/operations.md, decision 0022).

``/healthz`` says only that the process answers (no database, no queue), so a slow database never
gets a healthy web process restarted. ``/readyz`` says whether it can serve: the database answers,
every migration this code knows is applied, and the job queue is reachable.
"""

from __future__ import annotations

from functools import cache

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from huey.contrib.djhuey import HUEY


@cache
def known_migrations() -> frozenset[tuple[str, str]]:
    """The migrations this code ships (read from disk once per process: they change with a release)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def unapplied_migrations() -> list[tuple[str, str]]:
    """The migrations this code ships that the database has not had, in order of app and name."""
    return sorted(known_migrations() - set(MigrationRecorder(connection).applied_migrations()))


def readiness() -> dict[str, str]:
    """Each check's name and what is wrong with it; empty when the process is ready to serve."""
    problems: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        missing = unapplied_migrations()
    except DatabaseError as exc:
        problems["database"] = f"数据库无应答：{exc}".strip()
    else:
        if missing:
            names = ", ".join(f"{app}.{name}" for app, name in missing[:5])
            problems["migrations"] = f"有 {len(missing)} 个迁移尚未执行（{names}）：请运行 anju migrate"
    try:
        HUEY.pending_count()
    except Exception as exc:  # any storage's error: Redis, SQLite, a refused connection
        problems["queue"] = f"任务队列无法连接：{exc}"
    return problems
