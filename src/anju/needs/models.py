"""Needs (需求): what a client wants — to buy or rent (preferences), or to sell or let (a property)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.core.models import CompanyScopedModel


class NeedKind(models.TextChoices):
    BUY = "buy", _("购房")
    RENT = "rent", _("租房")
    SELL = "sell", _("售房")
    LET = "let", _("出租")


class NeedStatus(models.TextChoices):
    ACTIVE = "active", _("进行中")
    PAUSED = "paused", _("暂停")
    FULFILLED = "fulfilled", _("已成交")
    GIVEN_UP = "given_up", _("已放弃")


class Need(CompanyScopedModel):
    """What a client wants: to buy or rent (preferences), or to sell or let (a property)."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="needs", verbose_name=_("客户")
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("录入经纪人")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=NeedKind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.ACTIVE)
    # Buy and rent: money is the total price (buy) or the monthly rent (rent), in yuan.
    budget_min = models.DecimalField(
        _("预算下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_max = models.DecimalField(
        _("预算上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    rooms_min = models.PositiveSmallIntegerField(_("最少几室"), null=True, blank=True)
    rooms_max = models.PositiveSmallIntegerField(_("最多几室"), null=True, blank=True)
    halls_min = models.PositiveSmallIntegerField(_("最少几厅"), null=True, blank=True)
    baths_min = models.PositiveSmallIntegerField(_("最少几卫"), null=True, blank=True)
    area_min = models.DecimalField(_("面积下限（㎡）"), max_digits=8, decimal_places=2, null=True, blank=True)
    area_max = models.DecimalField(_("面积上限（㎡）"), max_digits=8, decimal_places=2, null=True, blank=True)
    districts = models.ManyToManyField(
        "geo.District", blank=True, related_name="+", verbose_name=_("意向区县")
    )
    business_areas = models.ManyToManyField(
        "geo.BusinessArea", blank=True, related_name="+", verbose_name=_("意向板块")
    )
    communities = models.ManyToManyField(
        "geo.Community", blank=True, related_name="+", verbose_name=_("意向小区")
    )
    school_required = models.BooleanField(_("需要学区"), default=False)
    school_level = models.CharField(
        _("学段"), max_length=20, blank=True, help_text=_("primary 小学 / middle 初中")
    )
    purpose = models.CharField(
        _("用途"), max_length=10, blank=True, choices=[("own", _("自住")), ("invest", _("投资"))]
    )
    first_home = models.BooleanField(_("首套"), null=True, blank=True)
    payment = models.CharField(
        _("付款方式"), max_length=10, blank=True, choices=[("loan", _("贷款")), ("full", _("全款"))]
    )
    # Buy: the buyer's means, for the affordability estimate (购买力) in the needs analysis.
    down_payment_cash = models.DecimalField(
        _("可用于首付的资金（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    monthly_income = models.DecimalField(
        _("家庭月收入（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    monthly_debts = models.DecimalField(
        _("每月其他还款（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    floor_min = models.SmallIntegerField(_("最低楼层"), null=True, blank=True)
    floor_max = models.SmallIntegerField(_("最高楼层"), null=True, blank=True)
    orientations = models.JSONField(_("可接受朝向"), default=list, blank=True)
    elevator_required = models.BooleanField(_("需要电梯"), default=False)
    build_year_min = models.PositiveSmallIntegerField(_("最早建成年份"), null=True, blank=True)
    must_haves = models.TextField(_("必须满足"), blank=True)
    nice_to_haves = models.TextField(_("最好满足"), blank=True)
    move_in_on = models.DateField(_("入住日期"), null=True, blank=True)
    lease_months = models.PositiveSmallIntegerField(_("租期（月）"), null=True, blank=True)
    # Sell and let.
    property = models.ForeignKey(
        "listings.Property",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("房屋"),
    )
    expected_price = models.DecimalField(
        _("心理价位（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    condition = models.TextField(_("房屋情况"), blank=True)
    earliest_handover_on = models.DateField(_("最早交房日期"), null=True, blank=True)
    # The tables keep the names they had when needs were part of ``clients``: the move changed no data.
    history = HistoricalRecords(excluded_fields=["updated_at"], table_name="clients_historicalneed")

    class Meta:
        db_table = "clients_need"
        verbose_name = _("需求")
        verbose_name_plural = _("需求")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="need_budget_range",
            ),
            models.CheckConstraint(
                condition=models.Q(area_min__isnull=True)
                | models.Q(area_max__isnull=True)
                | models.Q(area_min__lte=models.F("area_max")),
                name="need_area_range",
            ),
            models.CheckConstraint(
                condition=models.Q(rooms_min__isnull=True)
                | models.Q(rooms_max__isnull=True)
                | models.Q(rooms_min__lte=models.F("rooms_max")),
                name="need_rooms_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["sell", "let"]) | models.Q(property__isnull=False),
                name="need_sell_let_has_property",
            ),
            models.CheckConstraint(
                condition=(models.Q(down_payment_cash__isnull=True) | models.Q(down_payment_cash__gte=0))
                & (models.Q(monthly_income__isnull=True) | models.Q(monthly_income__gte=0))
                & (models.Q(monthly_debts__isnull=True) | models.Q(monthly_debts__gte=0)),
                name="need_means_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "kind", "status"], name="need_kind_status"),
            # The needs taken in a period, per agent (报表), read from the index alone.
            models.Index(fields=["company", "created_at", "agent"], name="need_company_taken"),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.get_kind_display()}"
