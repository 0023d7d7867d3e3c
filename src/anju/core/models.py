"""Abstract bases every Anju model builds on."""

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


def _import_storage() -> Any:
    # Uploaded spreadsheets hold clients' numbers: kept under the data directory, never served.
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.DATA_DIR / "imports")


def _import_path(instance: ImportJob, filename: str) -> str:
    # The uploaded name is not trusted: only its extension is kept (the name is in ``original_name``).
    import secrets
    from pathlib import PurePath

    return f"{instance.company_id}/{secrets.token_hex(12)}{PurePath(filename).suffix.lower()[:5]}"


class ImportJob(CompanyScopedModel):
    """One upload of clients or listings (导入), checked and written by a background job."""

    class Kind(models.TextChoices):
        CLIENTS = "clients", _("客户")
        LISTINGS = "listings", _("房源")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("检查中")
        WRITING = "writing", _("写入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=_import_path, storage=_import_storage, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    # Other headers → the standard Chinese ones, from the optional mapping file (对照表).
    mapping = models.JSONField(_("列名对照"), default=dict, blank=True)
    created_by = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("导入人")
    )
    dry_run = models.BooleanField(_("只检查不写入"), default=False)
    skip_bad = models.BooleanField(_("跳过有问题的行"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("数据行数"), default=0)
    processed = models.PositiveIntegerField(_("已检查行数"), default=0)
    written = models.PositiveIntegerField(_("已写入行数"), default=0)
    bad_count = models.PositiveIntegerField(_("问题行数"), default=0)
    # [{"line": 12, "reasons": ["编码错误"]}, ...]: every bad row, for the report (问题报告).
    bad_rows = models.JSONField(_("问题行"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_job_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


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
