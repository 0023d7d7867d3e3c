"""Showings (带看): a planned route of stops, each stop's confirmation and feedback, and the
client's signed confirmation (带看确认单)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.core.models import BaseModel, CompanyScopedModel


class ShowingStatus(models.TextChoices):
    PLANNED = "planned", _("已安排")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class Showing(CompanyScopedModel):
    """One outing with a client: stops in route order from a start point, no return leg."""

    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="showings", verbose_name=_("带看经纪人")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="showings", verbose_name=_("客户")
    )
    need = models.ForeignKey(
        "needs.Need",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="showings",
        verbose_name=_("需求"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ShowingStatus.choices, default=ShowingStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("出发时间"))
    # The last stop's leave time: collisions and calendars compare intervals without joining stops.
    ends_at = models.DateTimeField(_("结束时间"))
    start_label = models.CharField(_("出发点"), max_length=100, blank=True)
    start_latitude = models.DecimalField(_("出发点纬度"), max_digits=9, decimal_places=6)
    start_longitude = models.DecimalField(_("出发点经度"), max_digits=9, decimal_places=6)
    # The assumptions the route was estimated with, kept as they were on the day it was planned.
    speed_kmh = models.DecimalField(_("车速（公里/小时）"), max_digits=5, decimal_places=1)
    detour_factor = models.DecimalField(_("绕路系数"), max_digits=4, decimal_places=2)
    minutes_per_stop = models.PositiveSmallIntegerField(_("每套看房时间（分钟）"))
    total_travel_minutes = models.PositiveIntegerField(_("路上总用时（分钟）"), default=0)
    total_distance_m = models.PositiveIntegerField(_("总路程（米）"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("取消人"),
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("带看")
        verbose_name_plural = _("带看")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lte=models.F("ends_at")), name="showing_starts_before_end"
            ),
            models.CheckConstraint(
                condition=models.Q(speed_kmh__gt=0, detour_factor__gte=1), name="showing_route_assumptions"
            ),
        ]
        indexes = [
            models.Index(fields=["agent", "starts_at"], name="showing_agent_calendar"),
            models.Index(fields=["company", "starts_at"], name="showing_company_calendar"),
            models.Index(fields=["client", "-starts_at"], name="showing_client_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class Access(models.TextChoices):
    """How the agent gets in (看房方式)."""

    KEYS = "keys", _("门店钥匙")
    OWNER = "owner", _("业主/租户在家")
    CODE = "code", _("密码锁")


class AgreedBy(models.TextChoices):
    OWNER = "owner", _("业主")
    TENANT = "tenant", _("租户")
    OTHER = "other", _("其他")


class Stop(BaseModel):
    """One home visited on a showing, with its planned times and the occupant's agreement."""

    showing = models.ForeignKey(
        Showing, on_delete=models.CASCADE, related_name="stops", verbose_name=_("带看")
    )
    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.PROTECT, related_name="showing_stops", verbose_name=_("房源")
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    arrive_at = models.DateTimeField(_("到达时间"))
    leave_at = models.DateTimeField(_("离开时间"))
    travel_minutes = models.PositiveIntegerField(_("路上用时（分钟）"))
    distance_m = models.PositiveIntegerField(_("距上一站（米）"))
    # 确认房源状态: who agreed to the visit, when, and how to get in.
    confirmed_at = models.DateTimeField(_("确认记录时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    agreed_by = models.CharField(_("同意人身份"), max_length=10, choices=AgreedBy.choices, blank=True)
    agreed_name = models.CharField(_("同意人"), max_length=30, blank=True)
    agreed_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    access = models.CharField(_("看房方式"), max_length=10, choices=Access.choices, blank=True)
    keys_store = models.ForeignKey(
        "org.Store",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("钥匙所在门店"),
    )
    access_code = models.CharField(_("门锁密码"), max_length=30, blank=True)
    confirmation_note = models.CharField(_("确认备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("带看房源")
        verbose_name_plural = _("带看房源")
        ordering = ["showing", "order"]
        constraints = [
            models.UniqueConstraint(fields=["showing", "order"], name="stop_unique_order"),
            models.UniqueConstraint(fields=["showing", "listing"], name="stop_unique_listing"),
            models.CheckConstraint(
                condition=models.Q(arrive_at__lte=models.F("leave_at")), name="stop_arrives_before_leaving"
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True) | ~models.Q(access=""),
                name="stop_confirmed_has_access",
            ),
        ]
        indexes = [models.Index(fields=["listing", "arrive_at"], name="stop_listing_calendar")]

    def __str__(self) -> str:
        return f"{self.showing} #{self.order} {self.listing}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Outcome(models.TextChoices):
    SHOWN = "shown", _("已看")
    NO_SHOW = "no_show", _("客户未到")
    CANCELLED = "cancelled", _("取消")


class Verdict(models.TextChoices):
    """What the client said of the home, when they said it outright (moves the match to 喜欢/不考虑)."""

    LIKED = "liked", _("喜欢")
    REJECTED = "rejected", _("不考虑")


class PriceOpinion(models.TextChoices):
    HIGH = "high", _("偏高")
    FAIR = "fair", _("合适")
    LOW = "low", _("偏低")


# The aspects a client likes or dislikes about a home (tags, in the order the page shows them).
ASPECTS = ("采光", "噪音", "户型", "楼层", "价格", "装修", "小区环境", "交通", "学区")


class StopFeedback(BaseModel):
    """带看过程: what happened at a stop and what the client thought of the home."""

    stop = models.OneToOneField(
        Stop, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("带看房源")
    )
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    interest = models.PositiveSmallIntegerField(_("意向（1–5）"), null=True, blank=True)
    liked = models.JSONField(_("喜欢"), default=list, blank=True)
    disliked = models.JSONField(_("不满意"), default=list, blank=True)
    text = models.TextField(_("客户评价"), blank=True)
    verdict = models.CharField(_("客户结论"), max_length=10, choices=Verdict.choices, blank=True)
    price_opinion = models.CharField(_("价格看法"), max_length=10, choices=PriceOpinion.choices, blank=True)
    price_offer = models.DecimalField(
        _("客户心理价（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("带看反馈")
        verbose_name_plural = _("带看反馈")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interest__isnull=True) | models.Q(interest__gte=1, interest__lte=5),
                name="feedback_interest_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(price_offer__isnull=True) | models.Q(price_offer__gt=0),
                name="feedback_price_offer_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stop} {self.get_outcome_display()}"


def signature_path(instance: ShowingConfirmation, filename: str) -> str:
    # The stored name is the showing and a random token, never anything the browser sent.
    import secrets

    return f"showings/signatures/{instance.showing_id}/{secrets.token_hex(8)}.png"


class ShowingConfirmation(models.Model):
    """带看确认单: the client's signed confirmation that the agency showed them these homes.

    Written once and never changed: ``save`` refuses an update and ``delete`` refuses outright. A
    correction is a new record whose ``supersedes`` points at the old one. ``sha256`` covers the
    content (``content``, a canonical JSON text) and the signature image's bytes.
    """

    company = models.ForeignKey(
        "org.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    showing = models.ForeignKey(
        Showing, on_delete=models.PROTECT, related_name="confirmations", verbose_name=_("带看")
    )
    client_name = models.CharField(_("客户签名姓名"), max_length=30)
    shown_on = models.DateField(_("带看日期"))
    listings = models.ManyToManyField(
        "listings.Listing", related_name="showing_confirmations", verbose_name=_("带看房源")
    )
    # The exact text the hash covers: client, date, agent and each listing as shown on the sheet.
    content = models.TextField(_("确认内容"))
    signature = models.FileField(_("签名"), upload_to=signature_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("经纪人")
    )
    signed_at = models.DateTimeField(_("签署时间"), default=timezone.now)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("更正的确认单"),
    )
    correction_reason = models.CharField(_("更正原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("带看确认单")
        verbose_name_plural = _("带看确认单")
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(supersedes__isnull=True) | ~models.Q(correction_reason=""),
                name="confirmation_correction_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_name} {self.shown_on:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("带看确认单签署后不能修改；请新建一张更正单。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("带看确认单不能删除。")


# --- 房屋展示: share links and open viewings ----------------------------------------------------


class ListingShare(CompanyScopedModel):
    """A listing's public page as one agent forwards it: no owner, no exact address, that agent's card.

    The link carries a random slug, never the listing's id, so links cannot be walked by counting.
    One link per agent and listing: forwarding it again sends the same page.
    """

    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, related_name="shares", verbose_name=_("房源")
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("分享经纪人")
    )
    slug = models.CharField(_("链接标识"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("房源分享")
        verbose_name_plural = _("房源分享")
        constraints = [models.UniqueConstraint(fields=["listing", "agent"], name="share_one_per_agent")]

    def __str__(self) -> str:
        return f"{self.listing} · {self.agent}"


class OpenDayStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    CANCELLED = "cancelled", _("已取消")


class OpenDay(CompanyScopedModel):
    """开放日: one time slot when several clients may view a listing, each signed up by an agent."""

    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.PROTECT, related_name="open_days", verbose_name=_("房源")
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="open_days", verbose_name=_("组织经纪人")
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("名额"))
    status = models.CharField(
        _("状态"), max_length=10, choices=OpenDayStatus.choices, default=OpenDayStatus.SCHEDULED
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("开放日")
        verbose_name_plural = _("开放日")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="open_day_starts_before_end"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="open_day_capacity_positive"),
        ]
        indexes = [
            models.Index(fields=["company", "starts_at"], name="open_day_company_calendar"),
            models.Index(fields=["listing", "starts_at"], name="open_day_listing"),
        ]

    def __str__(self) -> str:
        return f"{self.listing} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class OpenDaySignup(BaseModel):
    """A client signed up for an open day. Cancelling keeps the row (who dropped out is worth knowing)."""

    open_day = models.ForeignKey(
        OpenDay, on_delete=models.CASCADE, related_name="signups", verbose_name=_("开放日")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="open_day_signups", verbose_name=_("客户")
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("报名经纪人")
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("开放日报名")
        verbose_name_plural = _("开放日报名")
        constraints = [
            # A client is signed up at most once; a cancelled sign-up may be followed by a new one.
            models.UniqueConstraint(
                fields=["open_day", "client"],
                condition=models.Q(cancelled_at__isnull=True),
                name="open_day_client_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.open_day} · {self.client}"
