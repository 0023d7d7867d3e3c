"""Client care (客户维护): the company's scoring rules and cadence, pinned tiers and every tier change.

The current tier, its reasons, the stage and the next contact date live on ``clients.Client`` (the
care app writes them there so the apps below can read them); this app keeps what they come from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.clients.models import Tier
from anju.core.models import BaseModel


def _points(label: Any, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, default=default)


class CareSettings(BaseModel):
    """One row per company, created with these defaults the first time it is read (``care_settings``).

    A client's score is the sum of the points below; the thresholds turn it into A/B/C/D.
    """

    company = models.OneToOneField(
        "org.Company", on_delete=models.CASCADE, related_name="+", verbose_name=_("公司")
    )
    recent_days = models.PositiveSmallIntegerField(
        _("活跃统计天数"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("统计最近多少天的跟进和带看。"),
    )
    interaction_points = _points(_("每次跟进得分"), 5)
    interaction_cap = _points(_("跟进最多计几次"), 4)
    showing_points = _points(_("每次带看得分"), 12)
    showing_cap = _points(_("带看最多计几次"), 3)
    budget_high = models.DecimalField(
        _("高预算线（元）"), max_digits=14, decimal_places=2, default=Decimal("4000000")
    )
    budget_high_points = _points(_("高预算得分"), 25)
    budget_mid = models.DecimalField(
        _("中预算线（元）"), max_digits=14, decimal_places=2, default=Decimal("2000000")
    )
    budget_mid_points = _points(_("中预算得分"), 12)
    active_need_points = _points(_("有进行中需求得分"), 10)
    open_deal_points = _points(_("交易进行中得分"), 40)
    past_deal_points = _points(_("每次成交得分"), 20)
    referral_points = _points(_("每转介绍一位客户得分"), 15)
    tier_a_min = _points(_("A 类最低分"), 60)
    tier_b_min = _points(_("B 类最低分"), 35)
    tier_c_min = _points(_("C 类最低分"), 15)
    # Cadence (定期沟通): days between contacts by tier and stage.
    prospect_a_days = _points(_("潜在客户 A 类联系间隔（天）"), 3)
    prospect_b_days = _points(_("潜在客户 B 类联系间隔（天）"), 7)
    prospect_c_days = _points(_("潜在客户 C 类联系间隔（天）"), 14)
    prospect_d_days = _points(_("潜在客户 D 类联系间隔（天）"), 14)
    transaction_days = _points(_("交易中客户联系间隔（天）"), 7)
    past_days = _points(_("已成交客户联系间隔（天）"), 30)

    class Meta:
        verbose_name = _("客户维护设置")
        verbose_name_plural = _("客户维护设置")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    tier_a_min__gt=models.F("tier_b_min"), tier_b_min__gt=models.F("tier_c_min")
                ),
                name="care_thresholds_descending",
            ),
        ]

    def __str__(self) -> str:
        return str(_("客户维护设置"))

    def prospect_days(self, tier: str) -> int:
        return int(getattr(self, f"prospect_{(tier or 'D').lower()}_days"))


class TierPin(models.Model):
    """A manager's hand-set tier (手动分级): it holds over the computed one until it is removed."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("客户")
    )
    tier = models.CharField(_("分级"), max_length=1, choices=Tier.choices)
    reason = models.CharField(_("原因"), max_length=200)
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("设定人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("手动分级")
        verbose_name_plural = _("手动分级")

    def __str__(self) -> str:
        return f"{self.client_id} {self.tier}"


class TierChange(models.Model):
    """Every change of a client's tier, kept for good: computed (``by`` empty) or set by hand."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("客户")
    )
    from_tier = models.CharField(_("原分级"), max_length=1, blank=True)
    to_tier = models.CharField(_("新分级"), max_length=1)
    reasons = models.TextField(_("依据"), blank=True)
    by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("为空表示系统自动计算"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    # The client's company, owner and store when the tier changed: the reports credit the agent who
    # held the client then, and count a million changes from one index without joining the clients.
    company = models.ForeignKey("org.Company", on_delete=models.CASCADE, related_name="+", db_index=False)
    owner = models.ForeignKey(
        "org.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("分级变更")
        verbose_name_plural = _("分级变更")
        indexes = [
            models.Index(fields=["client", "-at"], name="tier_change_timeline"),
            models.Index(fields=["company", "at", "to_tier", "owner", "store"], name="tier_change_report"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.from_tier}→{self.to_tier}"

    @property
    def reason_list(self) -> list[str]:
        return [line for line in self.reasons.splitlines() if line]


class TierFacts(models.Model):
    """Working table of the tier job: what each client's tier comes from, refreshed set-based.

    Rewritten whole by every run (for a company, or for the few clients an event names); nothing
    reads it outside ``care.scoring``.
    """

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    company = models.ForeignKey("org.Company", on_delete=models.CASCADE, related_name="+")
    interactions = models.IntegerField(default=0)
    showings = models.IntegerField(default=0)
    budget_wan = models.IntegerField(null=True)
    active_needs = models.IntegerField(default=0)
    open_deals = models.IntegerField(default=0)
    closed_deals = models.IntegerField(default=0)
    referrals = models.IntegerField(default=0)
    # Filled by the UPDATE after the INSERT … SELECT, which leaves them to the database's defaults.
    score = models.IntegerField(db_default=0)
    tier = models.CharField(max_length=1, db_default="")
    reasons = models.TextField(db_default="")
    stage = models.CharField(max_length=12, db_default="prospect")

    class Meta:
        indexes = [models.Index(fields=["company"], name="care_tierfacts_company")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.score}"
