"""The agency: companies, stores, agents and their roles, personal API tokens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.core.models import BaseModel


class Company(BaseModel):
    """An agency (经纪公司). Every other record belongs to exactly one."""

    name = models.CharField(_("公司名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    city = models.CharField(_("所在城市"), max_length=30, blank=True)
    # Company settings (公司设置): the rules an agency tunes for itself.
    pool_return_days = models.PositiveSmallIntegerField(
        _("私客无跟进回公客池天数"),
        default=15,
        help_text=_("私客连续这么多天没有跟进记录，夜间自动回到公客池。"),
    )
    pool_warning_days = models.PositiveSmallIntegerField(_("回池前提醒天数"), default=2)
    daily_claim_limit = models.PositiveSmallIntegerField(_("每人每天可认领公客数"), default=10)
    listing_fresh_days = models.PositiveSmallIntegerField(
        _("房源核实有效天数"), default=15, help_text=_("超过这么多天未再次核实的房源标为“待核实”，不再推荐。")
    )
    # Working hours (上下班时间): deadlines in working time (complaints, milestones) count only these.
    work_start = models.TimeField(_("上班时间"), default=dt.time(9))
    work_end = models.TimeField(
        _("下班时间"),
        default=dt.time(18),
        help_text=_("投诉时限等按工作时间计算，只计工作日的上下班时间之间。"),
    )
    # Showings (带看): the route estimate is straight-line distance × detour factor ÷ city speed,
    # plus the time spent in each home. Stated to the agent with every plan.
    showing_speed_kmh = models.DecimalField(
        _("带看市内平均车速（公里/小时）"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("20.0"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("估算两套房之间路上用时。"),
    )
    showing_detour_factor = models.DecimalField(
        _("带看绕路系数"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.40"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("实际道路距离约为直线距离的多少倍。"),
    )
    showing_minutes_per_stop = models.PositiveSmallIntegerField(
        _("每套房看房时间（分钟）"), default=20, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("公司")
        verbose_name_plural = _("公司")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(work_start__lt=models.F("work_end")),
                name="company_work_starts_before_it_ends",
                violation_error_message=_("上班时间必须早于下班时间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(showing_speed_kmh__gt=0, showing_detour_factor__gte=1),
                name="company_showing_route_assumptions",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Store(BaseModel):
    """A branch (门店)."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="stores", verbose_name=_("公司")
    )
    name = models.CharField(_("门店名称"), max_length=60)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    # Where showings start by default (带看出发点); a store without them asks for a start point.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("门店")
        verbose_name_plural = _("门店")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="store_unique_name"),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (
                    models.Q(latitude__gte=-90, latitude__lte=90)
                    & models.Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="store_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    AGENT = "agent", _("经纪人")
    MANAGER = "manager", _("店长")
    SPECIALIST = "specialist", _("交易专员")
    ADMIN = "admin", _("管理员")


def agent_photo_path(instance: Agent, filename: str) -> str:
    # As for listing photos: the uploaded name is not trusted, the stored name is the agent and a
    # random token (a new photo is a new name, which the photo's URLs carry: ``photo_version``).
    import secrets

    suffix = PurePath(filename).suffix.lower()[:5]
    return f"agents/{instance.pk}/{secrets.token_hex(8)}{suffix}"


class Agent(BaseModel):
    """A person who works for the agency: one login, one store (administrators may have none)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent", verbose_name=_("账号")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="agents", verbose_name=_("公司")
    )
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, null=True, blank=True, related_name="agents", verbose_name=_("门店")
    )
    name = models.CharField(_("姓名"), max_length=30)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.AGENT)
    mobile = models.CharField(_("手机"), max_length=20, blank=True)
    is_active = models.BooleanField(_("在职"), default=True)
    # Shown on the agent's public card page (名片页); set through ``agent_photo_set`` only.
    photo = models.ImageField(_("照片"), upload_to=agent_photo_path, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(store__isnull=False),
                name="agent_store_required_unless_admin",
                violation_error_message=_("除管理员外，员工必须属于一个门店。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def photo_version(self) -> str:
        """Changes with every new photo (its random stored name): the photo's URLs carry it, so no
        browser or proxy keeps showing the old one."""
        return PurePath(str(self.photo.name)).stem if self.photo else ""


class ApiToken(BaseModel):
    """A personal token for the API (``Authorization: Bearer anju_...``); only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("账号")
    )
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=16, help_text=_("用于辨认令牌，不能用于登录。"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(_("最后使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginRecord(models.Model):
    """A successful sign-in, recorded by a background job; shown to the user under 设置 · 账号安全."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="login_records",
        verbose_name=_("账号"),
    )
    at = models.DateTimeField(_("时间"))
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("设备"), max_length=300, blank=True)
    # The request's id: the job may run twice, the record is written once.
    key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")
        indexes = [models.Index(fields=["user", "-at"], name="login_record_recent")]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A message to one agent in the workbench (a client about to return to the pool, a new match…)."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("员工")
    )
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # What the notice is about, e.g. "pool-warning:<client>:<date>": a job that runs twice notifies once.
    key = models.CharField(max_length=120, unique=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["agent", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.text
