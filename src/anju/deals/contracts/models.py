"""The contract's tables: templates and their versions, the contract, title re-checks, amendments.

Imported by ``anju.deals.models`` so that Django registers them with the deals app.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.core.models import BaseModel, CompanyScopedModel
from anju.deals.contracts.variables import TemplateKind

DEFAULT_TITLE_RECHECK_DAYS = 3


class ContractPolicy(models.Model):
    """A company's settings for contracts (合同设置), kept by the deals app that reads them."""

    company = models.OneToOneField(
        "org.Company", on_delete=models.CASCADE, related_name="contract_policy", verbose_name=_("公司")
    )
    title_recheck_days = models.PositiveSmallIntegerField(
        _("签约前产权复核有效天数"),
        default=DEFAULT_TITLE_RECHECK_DAYS,
        help_text=_("签约前，抵押、查封状态和产权证信息须在这么多天内由专人复核过。"),
    )

    class Meta:
        verbose_name = _("合同设置")
        verbose_name_plural = _("合同设置")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(title_recheck_days__gte=1, title_recheck_days__lte=30),
                name="contract_policy_recheck_days_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.company)


def template_path(instance: ContractTemplate, filename: str) -> str:
    # The uploaded name is kept for display only; the stored name is the company, kind and a token.
    return f"contracts/templates/{instance.company_id}/{instance.kind}-{secrets.token_hex(8)}.docx"


class ContractTemplate(CompanyScopedModel):
    """One uploaded version of a company's Word template of one kind; one version is current."""

    kind = models.CharField(_("合同类型"), max_length=12, choices=TemplateKind.choices)
    version = models.PositiveSmallIntegerField(_("版本"))
    file = models.FileField(_("模板文件"), upload_to=template_path, max_length=200)
    original_name = models.CharField(_("上传文件名"), max_length=120, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("版本说明"), max_length=200, blank=True)
    is_current = models.BooleanField(_("当前使用"), default=False)
    uploaded_by = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )

    class Meta:
        verbose_name = _("合同模板")
        verbose_name_plural = _("合同模板")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["company", "kind", "version"], name="contract_template_version"),
            models.UniqueConstraint(
                fields=["company", "kind"],
                condition=models.Q(is_current=True),
                name="contract_template_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


def document_path(instance: Contract, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:4] if "." in filename else "bin"
    return f"contracts/deals/{instance.deal_id}/{secrets.token_hex(8)}.{suffix}"


class Contract(BaseModel):
    """The deal's formal contract (正式合同): its core terms, the generated document, the signed scan.

    Before signing it may be generated again as the terms are completed; once signed nothing about
    it changes (``save`` refuses), and later changes are ``Amendment`` rows (补充协议).
    """

    deal = models.OneToOneField(
        "deals.Deal", on_delete=models.PROTECT, related_name="contract", verbose_name=_("交易")
    )
    number = models.CharField(_("合同编号"), max_length=32)
    kind = models.CharField(_("合同类型"), max_length=12, choices=TemplateKind.choices)
    template = models.ForeignKey(
        ContractTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("模板"),
        help_text=_("空表示安居自带的默认模板。"),
    )
    # The core terms (核心条款), as generated.
    address = models.CharField(_("房屋坐落"), max_length=200, blank=True)
    certificate_number = models.CharField(_("不动产权证号"), max_length=60, blank=True)
    area = models.DecimalField(_("建筑面积（㎡）"), max_digits=8, decimal_places=2, null=True, blank=True)
    price = models.DecimalField(_("成交价（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    payment_method = models.CharField(_("付款方式"), max_length=12, blank=True)
    payment_schedule = models.TextField(_("付款安排"), blank=True)
    handover_on = models.DateField(_("交房日期"), null=True, blank=True)
    breach_liability = models.TextField(_("违约责任"), blank=True)
    document = models.FileField(_("合同文件"), upload_to=document_path, max_length=200, blank=True)
    document_sha256 = models.CharField(_("合同文件 SHA-256"), max_length=64, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    generated_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("生成人"),
    )
    signed_scan = models.FileField(_("签字扫描件"), upload_to=document_path, max_length=200, blank=True)
    signed_scan_sha256 = models.CharField(_("扫描件 SHA-256"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("签约时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签约经办人"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("正式合同")
        verbose_name_plural = _("正式合同")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gt=0), name="contract_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True) | ~models.Q(signed_scan_sha256=""),
                name="contract_signed_has_scan",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def save(self, *args: object, **kwargs: object) -> None:
        # A signed contract is final: the service refuses first, this stops any other path.
        if self.pk and Contract.objects.filter(pk=self.pk, signed_at__isnull=False).exists():
            raise ValueError(f"contract {self.pk} is signed and cannot change; record an amendment")
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)


class TitleCheck(models.Model):
    """产权复核: a named person re-confirmed the property's 抵押/查封 flags and certificate data."""

    deal = models.ForeignKey(
        "deals.Deal", on_delete=models.CASCADE, related_name="title_checks", verbose_name=_("交易")
    )
    certificate_number = models.CharField(_("不动产权证号"), max_length=60)
    area = models.DecimalField(_("建筑面积（㎡）"), max_digits=8, decimal_places=2)
    mortgaged = models.BooleanField(_("有抵押"))
    seized = models.BooleanField(_("被查封"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("复核人"))
    at = models.DateTimeField(_("复核时间"), default=timezone.now)

    class Meta:
        verbose_name = _("产权复核")
        verbose_name_plural = _("产权复核")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(area__gt=0), name="title_check_area_positive")
        ]

    def __str__(self) -> str:
        return f"{self.certificate_number} {self.at:%Y-%m-%d}"


class Amendment(models.Model):
    """补充协议: changes to a signed contract's terms, recorded and never edited.

    ``changes`` maps a term's name (as in ``Contract``) to its new value as text; the terms in
    force are the contract's overlaid by its amendments in order.
    """

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("合同")
    )
    sequence = models.PositiveSmallIntegerField(_("序号"))
    changes = models.JSONField(_("变更条款"), default=dict)
    text = models.TextField(_("补充约定"), blank=True)
    signed_on = models.DateField(_("签署日期"))
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人"))
    at = models.DateTimeField(_("录入时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("补充协议")
        verbose_name_plural = _("补充协议")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="amendment_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contract} 补充协议{self.sequence}"
