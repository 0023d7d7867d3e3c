"""Outreach (客户维护的对外部分): greeting templates, targeted content and campaigns, partners.

The messages themselves live in ``messaging``'s outbox; this app decides what to say, to whom and
when, and the company's settings here are rows (with the defaults in code when a company has none).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.clients.models import Channel
from anju.core.models import BaseModel, CompanyScopedModel


class OccasionKind(models.TextChoices):
    BIRTHDAY = "birthday", _("生日")
    FESTIVAL = "festival", _("传统节日")
    DEAL_ANNIVERSARY = "deal_anniversary", _("成交周年")
    NEW_YEAR = "new_year", _("元旦")
    NATIONAL_DAY = "national_day", _("国庆")


class OutreachSettings(CompanyScopedModel):
    """A company's outreach settings; a company without a row has the defaults."""

    greetings_auto_send = models.BooleanField(
        _("问候自动发送"), default=False, help_text=_("不勾选时，问候先由经纪人审核再发送")
    )
    recent_contact_days = models.PositiveSmallIntegerField(
        _("近期已联系（天）"), default=3, help_text=_("这几天内联系过的客户不再推送营销信息")
    )
    poor_rating_below = models.DecimalField(
        _("差评线"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.00"),
        help_text=_("平均评分低于此值的合作商会被标记"),
    )

    class Meta:
        verbose_name = _("客户维护设置")
        verbose_name_plural = _("客户维护设置")
        constraints = [models.UniqueConstraint(fields=["company"], name="outreach_settings_one_per_company")]


class GreetingTemplate(CompanyScopedModel):
    """A company's greeting for one kind of occasion. ``{name}`` is the client's name,
    ``{occasion}`` the occasion's name, ``{signature}`` the agent's signature."""

    kind = models.CharField(_("场合"), max_length=20, choices=OccasionKind.choices)
    body = models.TextField(_("内容"))

    class Meta:
        verbose_name = _("问候模板")
        verbose_name_plural = _("问候模板")
        constraints = [models.UniqueConstraint(fields=["company", "kind"], name="greeting_template_unique")]

    def __str__(self) -> str:
        return self.get_kind_display()


class ContentKind(models.TextChoices):
    MARKET_REPORT = "market_report", _("市场行情")
    POLICY = "policy", _("政策解读")
    NEW_LISTINGS = "new_listings", _("新房源")
    HOME_TIPS = "home_tips", _("居家小贴士")


class ContentItem(CompanyScopedModel):
    """Something worth sending to clients: a market report, a policy explained, new listings, tips."""

    kind = models.CharField(_("类型"), max_length=20, choices=ContentKind.choices)
    title = models.CharField(_("标题"), max_length=80)
    body = models.TextField(_("内容"))
    created_by = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    class Meta:
        verbose_name = _("推送内容")
        verbose_name_plural = _("推送内容")

    def __str__(self) -> str:
        return self.title


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已发送")


class Campaign(CompanyScopedModel):
    """A content item sent to the clients a target picks, on one channel.

    The target's parts are each "no requirement" when empty; the parts that are set must all hold.
    """

    content = models.ForeignKey(
        ContentItem, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("内容")
    )
    channel = models.CharField(_("渠道"), max_length=10)
    need_kind = models.CharField(_("需求类型"), max_length=10, blank=True)
    districts = models.ManyToManyField("geo.District", blank=True, related_name="+", verbose_name=_("区域"))
    budget_min = models.DecimalField(
        _("预算下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_max = models.DecimalField(
        _("预算上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    tiers = models.JSONField(_("客户等级"), default=list, blank=True)
    stages = models.JSONField(_("客户阶段"), default=list, blank=True)
    tags = models.ManyToManyField("clients.ClientTag", blank=True, related_name="+", verbose_name=_("标签"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    sent_count = models.PositiveIntegerField(_("发送人数"), default=0)
    created_by = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    class Meta:
        verbose_name = _("推送活动")
        verbose_name_plural = _("推送活动")

    def __str__(self) -> str:
        return f"{self.content} ({self.get_status_display()})"


class PartnerKind(models.TextChoices):
    RENOVATION = "renovation", _("装修")
    MOVING = "moving", _("搬家")
    CLEANING = "cleaning", _("保洁")
    APPLIANCES = "appliances", _("家电")
    INSPECTION = "inspection", _("验房")


class Partner(CompanyScopedModel):
    """A value-added service partner (增值服务合作商). ``kind`` is one of ``PartnerKind`` or a
    company's own word for it (e.g. 家政)."""

    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("服务类型"), max_length=20)
    contact_name = models.CharField(_("联系人"), max_length=30, blank=True)
    phone = models.CharField(_("电话"), max_length=20)
    service_area = models.CharField(
        _("服务区域"), max_length=120, blank=True, help_text=_("如：武昌区、洪山区；空为全市")
    )
    price_range = models.CharField(_("价格区间"), max_length=60, blank=True)
    description = models.TextField(_("介绍"), blank=True)
    active = models.BooleanField(_("合作中"), default=True)

    class Meta:
        verbose_name = _("合作商")
        verbose_name_plural = _("合作商")
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="partner_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return str(PartnerKind(self.kind).label) if self.kind in PartnerKind.values else self.kind


class PartnerRating(models.Model):
    """A client's rating of a partner after using it (one per client and partner; a new one replaces it)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("合作商")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("客户")
    )
    score = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("评价"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("合作商评价")
        verbose_name_plural = _("合作商评价")
        constraints = [
            models.UniqueConstraint(fields=["partner", "client"], name="partner_rating_once"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="partner_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.score}"


class Recommendation(BaseModel):
    """An agent recommended a partner to a client (推荐), and whether it was sent to the client."""

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("合作商")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("客户")
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("经纪人")
    )
    channel = models.CharField(
        _("发送渠道"), max_length=10, blank=True, help_text=_("空：客户未授权任何渠道，仅记录")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("合作商推荐")
        verbose_name_plural = _("合作商推荐")
        indexes = [models.Index(fields=["client", "-created_at"], name="recommendation_client")]

    def __str__(self) -> str:
        return f"{self.partner} → {self.client}"

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label) if self.channel in Channel.values else self.channel
