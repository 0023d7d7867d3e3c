"""Abstract bases every Anju model builds on, and the working-time calendar's table of days."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Creation and update times.

    Plain defaults instead of ``auto_now``: bulk loads (the demo, imports) can set historical
    times, and ``save()`` still stamps ``updated_at`` on every ordinary write.
    """

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.updated_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


class CompanyScopedModel(BaseModel):
    """A record that belongs to one agency; one database can hold several agencies."""

    company = models.ForeignKey(
        "org.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )

    class Meta:
        abstract = True


# ---------------------------------------------------------------------------------------------
# The working-time calendar's table (节假日与调休): read by ``anju.core.workcalendar``.
# ---------------------------------------------------------------------------------------------


class CalendarDay(BaseModel):
    """One day an administrator declares a holiday or a working day (节假日 / 调休上班).

    A row overrides the ``chinesecalendar`` package for its date, and fills years the package does
    not know yet: once a year has any row, the calendar treats that year as known (days without a
    row follow the week: Monday to Friday work, weekends rest). So enter a year's holidays *and*
    its 调休 working days together, as the State Council publishes them.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(
        _("上班"), default=False, help_text=_("勾选表示这天上班（如调休上班的周六）；不勾选表示放假。")
    )
    name = models.CharField(_("名称"), max_length=40, help_text=_("如：春节、国庆节、调休上班。"))
    note = models.CharField(
        _("来源说明"),
        max_length=200,
        blank=True,
        help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知。"),
    )

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        state = _("上班") if self.is_working else _("放假")
        return f"{self.date:%Y-%m-%d} {self.name}（{state}）"


# ---------------------------------------------------------------------------------------------
# Pending jobs (decision 0025): written by ``anju.core.jobs.enqueue_on_commit``.
# ---------------------------------------------------------------------------------------------


class PendingJob(models.Model):
    """A job enqueued by a write, kept from that write's transaction until a worker has run it.

    The row commits with the write, so a job whose send to the queue failed (Redis down) or whose
    worker died mid-run (Huey takes a job off the queue before running it) is not lost: the
    sweeper (``anju jobs flush-pending``, the worker at startup and every minute) sends the rows
    whose ``resend_at`` has passed. Every job is idempotent (decision 0003), so a resend is safe.
    """

    id = models.CharField(_("任务编号"), max_length=64, primary_key=True)  # Huey's task id
    name = models.CharField(_("任务"), max_length=200)
    message = models.BinaryField(_("任务内容"))  # the task as Huey serializes it for its queue
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    resend_at = models.DateTimeField(_("重发时间"), db_index=True)
    resends = models.PositiveIntegerField(_("重发次数"), default=0)

    class Meta:
        verbose_name = _("待执行任务")
        verbose_name_plural = _("待执行任务")

    def __str__(self) -> str:
        return f"{self.name} {self.id}"


# ---------------------------------------------------------------------------------------------
# The database's generation (decision 0027): moved by ``anju.core.changes`` on every write.
# ---------------------------------------------------------------------------------------------


class DatabaseGeneration(models.Model):
    """One row: a number that moves whenever anything a page reads is written."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("数据版本")
        verbose_name_plural = _("数据版本")

    def __str__(self) -> str:
        return str(self.value)
