"""Market figures (市场行情): one precomputed row per company, source, kind, place and month.

Pages and the API read these rows (a few dozen per chart); ``services.market_refresh`` rebuilds
them from the listings with a handful of set-based queries. Every count and sum is additive, so a
district's row is the sum of its communities' rows, and averages are worked out when read:

- asking unit price (挂牌均价) = ``price_sum / area_sum`` over what was on the market at month end;
- average price cut = ``cut_ratio_sum / cuts``; average days on market = ``days_on_market_sum / left``.

Deal prices (成交) slot in as rows of the same shape with ``source = "deal"``: ``price_sum`` and
``area_sum`` then cover the deals closed in the month and ``left`` counts them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CITY = "city", _("全市")
    DISTRICT = "district", _("区县")
    BUSINESS_AREA = "business_area", _("板块")
    COMMUNITY = "community", _("小区")


class Source(models.TextChoices):
    ASKING = "asking", _("挂牌")
    DEAL = "deal", _("成交")


class MarketMonth(models.Model):
    company = models.ForeignKey(
        "org.Company", on_delete=models.CASCADE, related_name="+", verbose_name=_("公司")
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.ASKING)
    kind = models.CharField(_("类型"), max_length=10, choices=[("sale", _("出售")), ("rent", _("出租"))])
    scope = models.CharField(_("范围"), max_length=15, choices=Scope.choices)
    # The city, district, business area or community id (no foreign key: one column for four tables).
    scope_id = models.PositiveBigIntegerField(_("范围编号"))
    month = models.DateField(_("月份"), help_text=_("该月 1 日"))
    inventory = models.PositiveIntegerField(_("月末在售/在租套数"), default=0)
    new_listings = models.PositiveIntegerField(_("新增挂牌"), default=0)
    left = models.PositiveIntegerField(_("当月下架或成交"), default=0)
    closed = models.PositiveIntegerField(_("当月成交"), default=0)
    price_sum = models.DecimalField(_("总价合计（元）"), max_digits=20, decimal_places=2, default=0)
    area_sum = models.DecimalField(_("面积合计（㎡）"), max_digits=16, decimal_places=2, default=0)
    cuts = models.PositiveIntegerField(_("降价次数"), default=0)
    cut_ratio_sum = models.DecimalField(_("降幅合计"), max_digits=16, decimal_places=6, default=0)
    days_on_market_sum = models.PositiveBigIntegerField(_("在市天数合计"), default=0)

    class Meta:
        verbose_name = _("月度行情")
        verbose_name_plural = _("月度行情")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "source", "kind", "scope", "scope_id", "month"], name="market_month_unique"
            ),
            models.CheckConstraint(condition=models.Q(month__day=1), name="market_month_first_day"),
            models.CheckConstraint(
                condition=models.Q(price_sum__gte=0, area_sum__gte=0, cut_ratio_sum__gte=0),
                name="market_month_sums_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(closed__lte=models.F("left")), name="market_closed_left"
            ),
        ]
        indexes = [
            # Every place of one scope in one month (the bar chart by district, the ranking lists).
            models.Index(
                fields=["company", "source", "kind", "scope", "month"], name="market_month_by_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.scope_id} {self.month:%Y-%m} {self.kind}"


class MarketRefresh(models.Model):
    """When a company's figures were last rebuilt, shown on the pages as 数据更新于."""

    company = models.OneToOneField(
        "org.Company", on_delete=models.CASCADE, related_name="+", verbose_name=_("公司")
    )
    finished_at = models.DateTimeField(_("完成时间"))
    seconds = models.FloatField(_("耗时（秒）"))
    listings = models.PositiveIntegerField(_("房源数"))
    rows = models.PositiveIntegerField(_("行情行数"))

    class Meta:
        verbose_name = _("行情更新")
        verbose_name_plural = _("行情更新")

    def __str__(self) -> str:
        return f"{self.company_id} {self.finished_at:%Y-%m-%d %H:%M}"
