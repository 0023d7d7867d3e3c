"""转介绍: who referred whom, the company's reward rule, and the rewards earned, approved and paid.

One record of who referred whom: for a client referrer the referral row follows
``clients.Client.referred_by`` (written only by ``listeners.follow_referred_by`` when the clients
app announces ``ClientReferred``), so the two cannot disagree; a partner or another person, who is
not a client, is named in ``referrer_name`` and leaves ``referred_by`` empty.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.core.models import BaseModel, CompanyScopedModel


class RewardKind(models.TextChoices):
    FIXED = "fixed", _("固定金额")
    SHARE = "share", _("佣金比例")
    GIFT = "gift", _("礼品")


class EarnedAt(models.TextChoices):
    SIGNING = "signing", _("签约时")
    CLOSING = "closing", _("结案时")


class ReferralSettings(CompanyScopedModel):
    """The company's reward rule (奖励规则): what a referral earns, when, and the yearly cap per referrer."""

    kind = models.CharField(
        _("奖励方式"), max_length=10, choices=RewardKind.choices, default=RewardKind.FIXED
    )
    amount = models.DecimalField(_("固定金额（元）"), max_digits=10, decimal_places=2, default=1000)
    share_percent = models.DecimalField(
        _("佣金比例（%）"), max_digits=5, decimal_places=2, default=5, help_text=_("占该笔交易佣金的百分比")
    )
    gift = models.CharField(_("礼品"), max_length=60, blank=True, default="")
    gift_value = models.DecimalField(
        _("礼品价值（元）"), max_digits=10, decimal_places=2, default=0, help_text=_("计入年度上限")
    )
    earned_at = models.CharField(
        _("奖励时点"), max_length=10, choices=EarnedAt.choices, default=EarnedAt.SIGNING
    )
    yearly_cap = models.DecimalField(
        _("每人每年上限（元）"), max_digits=10, decimal_places=2, null=True, blank=True, default=5000
    )
    high_rating = models.PositiveSmallIntegerField(
        _("邀请转介绍的满意度"), default=4, help_text=_("回访满意度达到该分数（1–5）的客户建议邀请转介绍")
    )

    class Meta:
        verbose_name = _("转介绍奖励规则")
        verbose_name_plural = _("转介绍奖励规则")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="referral_settings_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="referral_settings_amount"),
            models.CheckConstraint(
                condition=Q(share_percent__gte=0, share_percent__lte=100), name="referral_settings_share"
            ),
            models.CheckConstraint(
                condition=Q(yearly_cap__isnull=True) | Q(yearly_cap__gte=0), name="referral_settings_cap"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ReferrerKind(models.TextChoices):
    CLIENT = "client", _("客户")
    PARTNER = "partner", _("合作伙伴")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    INTAKE = "intake", _("录入时登记")
    MANUAL = "manual", _("补登")
    SHARE_LINK = "share_link", _("分享链接")
    CARD = "card", _("名片页")
    MIGRATED = "migrated", _("历史介绍人")


class ReferralCode(CompanyScopedModel):
    """A client's referral code (推荐码): it rides on a share link as ``?ref=…`` and attributes whoever
    arrives through it to the client."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="referral_code", verbose_name=_("客户")
    )
    code = models.CharField(_("推荐码"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("推荐码")
        verbose_name_plural = _("推荐码")

    def __str__(self) -> str:
        return self.code


class AgentCard(CompanyScopedModel):
    """An agent's card page (名片页): a public page under a random slug with the agent's name, store,
    masked mobile and a contact form. A client forwards it with their referral code (``?ref=…``), and
    whoever leaves their number through it is the agent's new client referred by that client."""

    agent = models.OneToOneField(
        "org.Agent", on_delete=models.CASCADE, related_name="card", verbose_name=_("经纪人")
    )
    slug = models.CharField(_("链接"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("经纪人名片")
        verbose_name_plural = _("经纪人名片")

    def __str__(self) -> str:
        return str(self.agent)


class Referral(CompanyScopedModel):
    """A referral (转介绍): the referrer, the new client they brought and the agent serving them."""

    referrer_kind = models.CharField(
        _("介绍人类型"), max_length=10, choices=ReferrerKind.choices, default=ReferrerKind.CLIENT
    )
    referrer_client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
        verbose_name=_("介绍人"),
    )
    # A partner of the directory (增值服务) who referred: its name is kept in ``referrer_name`` too.
    referrer_partner = models.ForeignKey(
        "outreach.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
        verbose_name=_("介绍合作商"),
    )
    referrer_name = models.CharField(_("介绍人姓名"), max_length=60, blank=True, default="")
    referred = models.OneToOneField(
        "clients.Client", on_delete=models.PROTECT, related_name="referral", verbose_name=_("被介绍客户")
    )
    agent = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经纪人"),
    )
    channel = models.CharField(_("途径"), max_length=12, choices=Channel.choices, default=Channel.MANUAL)
    card = models.ForeignKey(
        AgentCard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("名片页"),
    )
    share = models.ForeignKey(
        "showings.ListingShare",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("分享链接"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("转介绍")
        verbose_name_plural = _("转介绍")
        constraints = [
            models.CheckConstraint(
                condition=(Q(referrer_kind="client") & Q(referrer_client__isnull=False))
                | (~Q(referrer_kind="client") & Q(referrer_client__isnull=True) & ~Q(referrer_name="")),
                name="referral_referrer_named",
            ),
            models.CheckConstraint(
                condition=~Q(referrer_client=models.F("referred")), name="referral_not_self"
            ),
        ]
        indexes = [models.Index(fields=["company", "-created_at"], name="referral_company_recent")]

    def __str__(self) -> str:
        return f"{self.referrer_display} → {self.referred}"

    @property
    def referrer_display(self) -> str:
        return self.referrer_client.name if self.referrer_client else self.referrer_name


class RewardStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已审批")
    PAID = "paid", _("已发放")


class Reward(BaseModel):
    """What a referral earned on one deal; pending → approved → paid, each step by someone, once."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="rewards", verbose_name=_("转介绍")
    )
    deal = models.ForeignKey(
        "deals.Deal", on_delete=models.PROTECT, related_name="referral_rewards", verbose_name=_("交易")
    )
    kind = models.CharField(_("奖励方式"), max_length=10, choices=RewardKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    gift = models.CharField(_("礼品"), max_length=60, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("计入年度"))
    capped = models.BooleanField(_("受年度上限削减"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=RewardStatus.choices, default=RewardStatus.PENDING
    )
    approved_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    paid_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发放人"),
    )
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("转介绍奖励")
        verbose_name_plural = _("转介绍奖励")
        constraints = [
            models.UniqueConstraint(fields=["referral", "deal"], name="reward_once_per_deal"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="reward_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="reward_approved_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_by__isnull=False, paid_at__isnull=False),
                name="reward_paid_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral} · {self.get_status_display()}"


class ReferralAsk(BaseModel):
    """鼓励分享: an agent asked a satisfied client to refer friends; the suggestion leaves the workbench."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="referral_ask", verbose_name=_("客户")
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("经纪人")
    )

    class Meta:
        verbose_name = _("邀请转介绍")
        verbose_name_plural = _("邀请转介绍")

    def __str__(self) -> str:
        return str(self.client)
