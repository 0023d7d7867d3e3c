"""The import job (导入任务): one uploaded spreadsheet and what its background check found.

The table is still ``core_importjob``: the model moved here from ``core`` without a database change.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.core.models import CompanyScopedModel


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
    """One upload of clients, listings, communities or follow-ups (导入), checked and written by a background job."""

    class Kind(models.TextChoices):
        CLIENTS = "clients", _("客户")
        LISTINGS = "listings", _("房源")
        COMMUNITIES = "communities", _("小区")
        FOLLOWUPS = "followups", _("跟进记录")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("检查中")
        WRITING = "writing", _("写入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=_import_path, storage=_import_storage, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    # The optional mapping file (对照表), read: ``FileMapping.as_json()`` (headers → columns, and
    # cell values read otherwise); jobs of older versions hold only ``{header: column}``.
    mapping = models.JSONField(_("列名对照"), default=dict, blank=True)
    # The kind's options, as the command line's: ``{"create_communities": true}`` for listings,
    # ``{"similar": "alias"}`` for communities (see ``kinds.import_handler``).
    options = models.JSONField(_("导入选项"), default=dict, blank=True)
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
    # The file's header as in the file (the report repeats it over each bad row's cells).
    header = models.JSONField(_("表头"), default=list, blank=True)
    # A check's preview: per column, a sample of its values and what each was read as.
    readings = models.JSONField(_("读取预览"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The worker running the job renews this while it works; a job still 检查中/写入中 past it was
    # left by a worker that died (its transaction rolled back, nothing written) and is run again.
    lease_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        db_table = "core_importjob"
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_job_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def abandoned(self) -> bool:
        """Left 检查中/写入中 by a worker that died: its lease ran out (nothing of it was written)."""
        from django.utils import timezone

        return (
            self.status in (self.Status.RUNNING, self.Status.WRITING)
            and self.lease_until is not None
            and self.lease_until < timezone.now()
        )
