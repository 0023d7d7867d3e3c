"""Clients (客户). Issue "records" extends this with needs, interactions and the pool rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.core.formats import mask_mobile
from anju.core.models import CompanyScopedModel


class Source(models.TextChoices):
    STORE_VISIT = "store_visit", _("门店到访")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("网络")
    REFERRAL = "referral", _("转介绍")
    RETURNING = "returning", _("老客户")


class Gender(models.TextChoices):
    UNKNOWN = "", _("未知")
    MALE = "m", _("男")
    FEMALE = "f", _("女")


class Client(CompanyScopedModel):
    """A person the agency serves. Private (私客) to ``owner``, or in the public pool when no owner."""

    name = models.CharField(_("姓名"), max_length=30)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True, default="")
    mobile = models.CharField(_("手机"), max_length=20, help_text=_("11 位中国大陆手机号"))
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.STORE_VISIT)
    owner = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("归属经纪人"),
    )
    store = models.ForeignKey(
        "org.Store",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("归属门店"),
    )
    last_contact_at = models.DateTimeField(_("最近跟进"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(excluded_fields=["last_contact_at", "updated_at"])

    class Meta:
        verbose_name = _("客户")
        verbose_name_plural = _("客户")
        constraints = [
            models.UniqueConstraint(fields=["company", "mobile"], name="client_unique_mobile_per_company"),
            models.CheckConstraint(
                condition=models.Q(owner__isnull=True) | models.Q(store__isnull=False),
                name="client_private_has_store",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "owner", "-created_at", "-id"], name="client_owner_recent"),
            models.Index(fields=["company", "store", "-created_at", "-id"], name="client_store_recent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_pool(self) -> bool:
        return self.owner_id is None

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)
