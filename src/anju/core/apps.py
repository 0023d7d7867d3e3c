from typing import Any

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anju.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        import anju.core.lookups  # noqa: F401 - registers ``__any`` on every field
        from anju.core.changes import changes_connect
        from anju.core.jobs import jobs_connect
        from anju.core.metrics import metrics_connect
        from anju.core.models import CalendarDay

        metrics_connect()
        changes_connect()
        post_migrate.connect(_ensure_cache_table, sender=self, dispatch_uid="cache-table")
        jobs_connect()

        # An administrator's edit is seen by the next question in this process, not a minute later.
        post_save.connect(_forget_calendar_table, sender=CalendarDay, dispatch_uid="calendar-day-saved")
        post_delete.connect(_forget_calendar_table, sender=CalendarDay, dispatch_uid="calendar-day-deleted")


def _forget_calendar_table(**kwargs: Any) -> None:
    from anju.core.workcalendar import forget_table

    forget_table()


def _ensure_cache_table(*, using: str = "default", **kwargs: Any) -> None:
    """``anju migrate`` makes the database cache's table too (settings: the shared cache), so no
    operator has to remember ``createcachetable``; it does nothing when the table is there."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
