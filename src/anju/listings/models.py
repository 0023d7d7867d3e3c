"""Properties (房屋) and their listings (房源). Issue "records" adds verification, media and keys."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.core.models import CompanyScopedModel


class Orientation(models.TextChoices):
    SOUTH = "S", _("南")
    SOUTH_NORTH = "SN", _("南北")
    EAST = "E", _("东")
    WEST = "W", _("西")
    NORTH = "N", _("北")
    SOUTH_EAST = "SE", _("东南")
    SOUTH_WEST = "SW", _("西南")
    EAST_WEST = "EW", _("东西")


class Decoration(models.TextChoices):
    ROUGH = "rough", _("毛坯")
    SIMPLE = "simple", _("简装")
    FINE = "fine", _("精装")
    LUXURY = "luxury", _("豪装")


class Property(CompanyScopedModel):
    """A flat as it physically is; it may be listed many times over the years."""

    community = models.ForeignKey(
        "geo.Community", on_delete=models.PROTECT, related_name="properties", verbose_name=_("小区")
    )
    building = models.CharField(_("楼栋"), max_length=20)
    unit = models.CharField(_("单元"), max_length=10, blank=True)
    room_number = models.CharField(_("门牌号"), max_length=20)
    floor = models.SmallIntegerField(_("所在楼层"))
    total_floors = models.PositiveSmallIntegerField(_("总楼层"))
    area = models.DecimalField(_("建筑面积（㎡）"), max_digits=8, decimal_places=2)
    inner_area = models.DecimalField(
        _("套内面积（㎡）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    rooms = models.PositiveSmallIntegerField(_("室"))
    halls = models.PositiveSmallIntegerField(_("厅"))
    baths = models.PositiveSmallIntegerField(_("卫"))
    orientation = models.CharField(_("朝向"), max_length=2, choices=Orientation.choices)
    decoration = models.CharField(_("装修"), max_length=10, choices=Decoration.choices)
    build_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    has_elevator = models.BooleanField(_("有电梯"), default=False)

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "community", "building", "unit", "room_number"],
                name="property_unique_address",
            ),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="property_area_positive"),
            models.CheckConstraint(
                condition=models.Q(floor__lte=models.F("total_floors")), name="property_floor_in_building"
            ),
        ]

    def __str__(self) -> str:
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{self.community} {self.building}栋{unit}{self.room_number}"

    @property
    def layout(self) -> str:
        return f"{self.rooms}室{self.halls}厅{self.baths}卫"


class ListingKind(models.TextChoices):
    SALE = "sale", _("出售")
    RENT = "rent", _("出租")


class ListingStatus(models.TextChoices):
    ACTIVE = "active", _("在售/在租")
    RESERVED = "reserved", _("已预定")
    SOLD = "sold", _("已售")
    RENTED = "rented", _("已租")
    WITHDRAWN = "withdrawn", _("已下架")


class Listing(CompanyScopedModel):
    """A property offered for sale (price in yuan) or for rent (monthly rent in yuan)."""

    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, related_name="listings", verbose_name=_("房屋")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ListingKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.ACTIVE
    )
    price = models.DecimalField(_("挂牌价（元）"), max_digits=14, decimal_places=2)
    unit_price = models.DecimalField(_("单价（元/㎡）"), max_digits=12, decimal_places=2)
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="listings", verbose_name=_("录入经纪人")
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="listings", verbose_name=_("门店")
    )
    # Denormalised so that the busiest filters (district, layout, area) need no join.
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("区县")
    )
    community = models.ForeignKey(
        "geo.Community", on_delete=models.PROTECT, related_name="listings", verbose_name=_("小区")
    )
    rooms = models.PositiveSmallIntegerField(_("室"))
    area = models.DecimalField(_("建筑面积（㎡）"), max_digits=8, decimal_places=2)
    listed_on = models.DateField(_("挂牌日期"))
    verified_at = models.DateTimeField(_("最近核实"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=100, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("房源")
        verbose_name_plural = _("房源")
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="listing_price_positive"),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="listing_area_positive"),
        ]
        indexes = [
            models.Index(fields=["company", "status", "kind", "district", "price"], name="listing_search"),
            models.Index(fields=["company", "-listed_on", "-id"], name="listing_recent"),
        ]

    def __str__(self) -> str:
        return self.title or str(self.property)
