"""The building dictionary (楼盘字典): city → district → business area (板块) → community (小区)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.core.models import BaseModel, CompanyScopedModel


class City(BaseModel):
    """Administrative geography is public and shared by every company in the database."""

    name = models.CharField(_("城市"), max_length=30, unique=True)
    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("城市")
        verbose_name_plural = _("城市")

    def __str__(self) -> str:
        return self.name


class DistrictKind(models.TextChoices):
    """Decides the urban maintenance surcharge rate (市区 7%, 县城镇 5%, 其他 1%)."""

    CITY = "city", _("市区")
    COUNTY = "county", _("县城、镇")
    OTHER = "other", _("其他")


class District(BaseModel):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts", verbose_name=_("城市"))
    name = models.CharField(_("区县"), max_length=30)
    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DistrictKind.choices, default=DistrictKind.CITY)

    class Meta:
        verbose_name = _("区县")
        verbose_name_plural = _("区县")
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="district_unique_name")]

    def __str__(self) -> str:
        return self.name


class BusinessArea(BaseModel):
    """A 板块: the area agents and clients actually talk about (光谷, 后湖, 四新)."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="business_areas", verbose_name=_("区县")
    )
    name = models.CharField(_("板块"), max_length=30)

    class Meta:
        verbose_name = _("板块")
        verbose_name_plural = _("板块")
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="business_area_unique_name")]

    def __str__(self) -> str:
        return self.name


class Community(CompanyScopedModel):
    """A 小区. Each agency keeps its own dictionary: its names, aliases and notes are its asset."""

    business_area = models.ForeignKey(
        BusinessArea, on_delete=models.PROTECT, related_name="communities", verbose_name=_("板块")
    )
    # Denormalised from the business area: every listing search filters by district.
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    name = models.CharField(_("小区名称"), max_length=60)
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=60, db_index=True, editable=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    build_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    property_fee = models.DecimalField(
        _("物业费（元/㎡·月）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    reference_price = models.DecimalField(
        _("参考单价（元/㎡）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    building_count = models.PositiveSmallIntegerField(_("楼栋数"), null=True, blank=True)

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        constraints = [
            models.UniqueConstraint(fields=["company", "district", "name"], name="community_unique_name"),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="community_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from anju.core.text import pinyin_initials

        self.pinyin_initials = pinyin_initials(self.name)
        super().save(*args, **kwargs)
