"""A match found between a need and a listing, and what the agent and client made of it."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.core.models import CompanyScopedModel


class MatchStatus(models.TextChoices):
    NEW = "new", _("新匹配")
    SENT = "sent", _("已推荐")
    VIEWED = "viewed", _("已看房")
    LIKED = "liked", _("喜欢")
    REJECTED = "rejected", _("不考虑")


class Match(CompanyScopedModel):
    """One listing found for one need: the score and reasons as they were when it was found.

    ``agent`` is the need's owning agent when the match was recorded, so the workbench reads one
    index. Nothing here is ever sent automatically: ``approved_at`` marks what the agent chose to
    send (the client-care outbox does the sending, to consenting channels only).
    """

    need = models.ForeignKey(
        "needs.Need", on_delete=models.CASCADE, related_name="matches", verbose_name=_("需求")
    )
    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, related_name="matches", verbose_name=_("房源")
    )
    agent = models.ForeignKey(
        "org.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经纪人"),
    )
    score = models.PositiveSmallIntegerField(_("匹配度"))
    fits = models.JSONField(_("符合之处"), default=list, blank=True)
    lacks = models.JSONField(_("不足之处"), default=list, blank=True)
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.NEW)
    status_changed_at = models.DateTimeField(_("状态更新时间"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("状态更新人"),
    )
    approved_at = models.DateTimeField(_("批准推荐时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )

    class Meta:
        verbose_name = _("匹配")
        verbose_name_plural = _("匹配")
        constraints = [
            models.UniqueConstraint(fields=["need", "listing"], name="match_one_per_need_listing"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="match_score_percent"),
        ]
        indexes = [
            models.Index(fields=["agent", "status", "-found_at"], name="match_workbench"),
            models.Index(fields=["need", "status"], name="match_need_status"),
            models.Index(fields=["listing", "status"], name="match_listing_status"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ↔ {self.listing_id} ({self.score})"


class NeedMatchSettings(models.Model):
    """How strictly one need is matched: the budget tolerance the agent may widen, 真房源 only or not."""

    need = models.OneToOneField(
        "needs.Need", on_delete=models.CASCADE, related_name="match_settings", verbose_name=_("需求")
    )
    tolerance = models.DecimalField(
        _("预算浮动"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.05"),
        help_text=_("总价或租金可超出预算上限（或低于下限）的比例，例如 0.05 即 5%。"),
    )
    verified_only = models.BooleanField(
        _("只推荐已核实房源"), default=True, help_text=_("关闭后，近期录入但尚未核实的房源也会推荐。")
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("匹配设置")
        verbose_name_plural = _("匹配设置")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tolerance__gte=0, tolerance__lte=Decimal("0.5")),
                name="need_match_tolerance_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ±{self.tolerance}"


# --- the layout: one slim, integer-coded row per listing in play and per (need, district, band) ---
#
# See docs/decisions/0009-matching-layout.md. Both tables are derived data, kept current by
# ``anju.matching.search.layout`` (called from the listing and need services) and rebuilt set-based by
# ``layout.rebuild``. No foreign keys: a row is replaced whenever its source changes, and the
# covering indexes must hold every column a match question reads.

LISTING_ROW_COLUMNS = (
    "company_id",
    "kind",
    "district",
    "price",
    "listing_id",
    "status",
    "fresh_at",
    "verified",
    "rooms",
    "area",
    "floor",
    "elevator",
    "orientation",
    "decoration",
    "build_year",
    "community",
    "business_area",
    "school",
    "metro",
)


class ListingRow(models.Model):
    """A listing that is on the market or reserved, as matching reads it (see ``scoring.listing_values``)."""

    listing_id = models.BigIntegerField(primary_key=True)
    company_id = models.BigIntegerField()
    kind = models.SmallIntegerField()
    district = models.BigIntegerField()
    price = models.BigIntegerField()  # fen
    status = models.SmallIntegerField()  # 0 on the market, 1 reserved
    fresh_at = models.BigIntegerField()  # epoch seconds: last verified, else listed (for 待核实)
    verified = models.SmallIntegerField()
    rooms = models.BigIntegerField()
    area = models.BigIntegerField()  # hundredths of a square metre
    floor = models.BigIntegerField()
    elevator = models.SmallIntegerField()
    orientation = models.BigIntegerField()
    decoration = models.SmallIntegerField()
    build_year = models.BigIntegerField()
    community = models.BigIntegerField()
    business_area = models.BigIntegerField()
    school = models.BigIntegerField()
    metro = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=list(LISTING_ROW_COLUMNS), name="match_listing_cover")]

    def __str__(self) -> str:
        return f"listing {self.listing_id}"


NEED_ROW_COLUMNS = (
    "company_id",
    "kind",
    "district",
    "band",
    "price_low",
    "price_high",
    "need_id",
    "client_id",
    "agent_id",
    "verified_only",
    "budget_min",
    "budget_max",
    "rooms_min",
    "rooms_max",
    "area_min",
    "area_max",
    "floor_min",
    "floor_max",
    "orientations",
    "elevator_required",
    "build_year_min",
    "school",
    "has_places",
    "has_feedback",
)


class NeedRow(models.Model):
    """An active buy/rent need, once per district it accepts (0 = anywhere) and price band its budget spans."""

    company_id = models.BigIntegerField()
    kind = models.SmallIntegerField()
    district = models.BigIntegerField()
    band = models.SmallIntegerField()
    price_low = models.BigIntegerField()
    price_high = models.BigIntegerField()
    need_id = models.BigIntegerField(db_index=True)
    client_id = models.BigIntegerField()
    agent_id = models.BigIntegerField()
    verified_only = models.SmallIntegerField()
    budget_min = models.BigIntegerField()
    budget_max = models.BigIntegerField()
    rooms_min = models.BigIntegerField()
    rooms_max = models.BigIntegerField()
    area_min = models.BigIntegerField()
    area_max = models.BigIntegerField()
    floor_min = models.BigIntegerField()
    floor_max = models.BigIntegerField()
    orientations = models.BigIntegerField()
    elevator_required = models.SmallIntegerField()
    build_year_min = models.BigIntegerField()
    school = models.BigIntegerField()
    has_places = models.SmallIntegerField()
    has_feedback = models.SmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=list(NEED_ROW_COLUMNS), name="match_need_cover")]

    def __str__(self) -> str:
        return f"need {self.need_id} district {self.district} band {self.band}"


class NeedPlace(models.Model):
    """A business area (2·id) or community (2·id + 1) an active need names, for listing → needs."""

    need_id = models.BigIntegerField()
    place = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["need_id", "place"], name="match_need_place")]

    def __str__(self) -> str:
        return f"need {self.need_id} place {self.place}"


class LayoutChange(models.Model):
    """One write to a company's layout rows: a listing's, a need's, or (neither) all of them rebuilt.

    Processes holding the layout in memory (``anju.matching.search.resident``) read the changes since
    their copy to stay exact. On PostgreSQL ``xid`` is the writing transaction, so a change that
    commits after a copy was read is found even when its id is lower. Kept two days.
    """

    company_id = models.BigIntegerField()
    listing_id = models.BigIntegerField(null=True)
    need_id = models.BigIntegerField(null=True)
    xid = models.BigIntegerField(null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["company_id", "id"], name="match_change_since"),
            models.Index(fields=["company_id", "xid"], name="match_change_xid"),
            models.Index(fields=["at"], name="match_change_at"),
        ]

    def __str__(self) -> str:
        return f"change {self.pk}: listing {self.listing_id} need {self.need_id}"
