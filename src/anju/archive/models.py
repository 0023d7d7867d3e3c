"""The archive of a deal's documents (资料归档): each file with its kind, uploader, time, size and
SHA-256, kept under the data directory (never served statically), and every download — or refused
download — in the log."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.core.models import CompanyScopedModel


class DocumentKind(models.TextChoices):
    """What a document is; a new kind is one more line here (and its English label)."""

    CONTRACT = "contract", _("合同")
    RECEIPT = "receipt", _("收据")
    ID_COPY = "id_copy", _("身份证复印件")
    CERTIFICATE_COPY = "certificate_copy", _("房产证复印件")
    LOAN = "loan", _("贷款资料")
    HANDOVER_PHOTO = "handover_photo", _("交接照片")
    OTHER = "other", _("其他")


# Kinds only the deal's own agents and managers may download (the rest: whoever sees the deal).
RESTRICTED_KINDS = frozenset({DocumentKind.ID_COPY})


def archive_storage() -> FileSystemStorage:
    """The archive's own directory in the data directory, outside MEDIA_ROOT: no URL serves it."""
    return FileSystemStorage(location=settings.ARCHIVE_ROOT, base_url=None)


class Document(CompanyScopedModel):
    deal = models.ForeignKey(
        "deals.Deal", on_delete=models.PROTECT, related_name="documents", verbose_name=_("交易")
    )
    kind = models.CharField(_("资料类型"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), storage=archive_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件格式"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("交易资料")
        verbose_name_plural = _("交易资料")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["deal", "-uploaded_at"], name="document_deal_newest")]
        constraints = [models.CheckConstraint(condition=models.Q(size__gt=0), name="document_not_empty")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def restricted(self) -> bool:
        return self.kind in RESTRICTED_KINDS


class Via(models.TextChoices):
    PAGE = "page", _("页面")
    API = "api", _("接口")
    ZIP = "zip", _("客户资料包")


class Download(models.Model):
    """One download of a document, or one refused attempt (``allowed`` false, with the reason)."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("资料")
    )
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("下载人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    via = models.CharField(_("方式"), max_length=10, choices=Via.choices)
    allowed = models.BooleanField(_("已允许"))
    reason = models.CharField(_("拒绝原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("资料下载记录")
        verbose_name_plural = _("资料下载记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["document", "-at"], name="download_document_newest")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.by_id} {self.at:%Y-%m-%d %H:%M}"
