from typing import Any

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anju.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from anju.core.jobs import jobs_connect
        from anju.core.metrics import metrics_connect
        from anju.core.models import CalendarDay

        metrics_connect()
        jobs_connect()

        # An administrator's edit is seen by the next question in this process, not a minute later.
        post_save.connect(_forget_calendar_table, sender=CalendarDay, dispatch_uid="calendar-day-saved")
        post_delete.connect(_forget_calendar_table, sender=CalendarDay, dispatch_uid="calendar-day-deleted")


def _forget_calendar_table(**kwargs: Any) -> None:
    from anju.core.workcalendar import forget_table

    forget_table()
