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
    # Optional: a community brought in without them works, with no distance-based facts (subway
    # stations nearby) until they are given.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
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
                & models.Q(longitude__gte=-180, longitude__lte=180)
                | models.Q(latitude__isnull=True, longitude__isnull=True),
                name="community_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from anju.core.text import pinyin_initials

        self.pinyin_initials = pinyin_initials(self.name)
        super().save(*args, **kwargs)


class CommunityAlias(models.Model):
    """Another name people use for a community (万科城市花园小区, 城市花园), searchable like the name."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("小区")
    )
    name = models.CharField(_("别名"), max_length=60)
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=60, db_index=True, editable=False)

    class Meta:
        verbose_name = _("小区别名")
        verbose_name_plural = _("小区别名")
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="community_alias_unique")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from anju.core.text import pinyin_initials

        self.pinyin_initials = pinyin_initials(self.name)
        super().save(*args, **kwargs)


class Building(BaseModel):
    """A building (楼栋) of a community: "3栋", "A座"."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("小区")
    )
    name = models.CharField(_("楼栋"), max_length=20)
    total_floors = models.PositiveSmallIntegerField(_("总楼层"), null=True, blank=True)
    units = models.PositiveSmallIntegerField(_("单元数"), null=True, blank=True)
    has_elevator = models.BooleanField(_("有电梯"), null=True, blank=True)
    build_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="building_unique_name")]

    def __str__(self) -> str:
        return f"{self.community} {self.name}"


class SchoolLevel(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    MIDDLE = "middle", _("初中")


class School(BaseModel):
    """A school whose catchment (学区) agencies advertise; public facts, shared across companies."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="schools", verbose_name=_("城市"))
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools", verbose_name=_("区县")
    )
    name = models.CharField(_("学校"), max_length=60)
    level = models.CharField(_("学段"), max_length=20, choices=SchoolLevel.choices)
    is_key = models.BooleanField(_("重点/示范学校"), default=False)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="school_unique_name")]

    def __str__(self) -> str:
        return self.name


class SchoolAssignment(models.Model):
    """A community (or some of its buildings) assigned to a school's catchment (学区划片)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="school_assignments", verbose_name=_("小区")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("学校")
    )
    buildings = models.ManyToManyField(
        Building,
        blank=True,
        related_name="school_assignments",
        verbose_name=_("对口楼栋"),
        help_text=_("不选表示整个小区对口。"),
    )
    year = models.PositiveSmallIntegerField(_("划片年份"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("学区划片")
        verbose_name_plural = _("学区划片")
        constraints = [
            models.UniqueConstraint(fields=["community", "school"], name="school_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.community} → {self.school}"


class SubwayStation(BaseModel):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="stations", verbose_name=_("城市"))
    line = models.CharField(_("线路"), max_length=20, help_text=_("例如：2号线"))
    name = models.CharField(_("站名"), max_length=30)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("地铁站")
        verbose_name_plural = _("地铁站")
        constraints = [models.UniqueConstraint(fields=["city", "line", "name"], name="station_unique")]

    def __str__(self) -> str:
        return f"{self.line}{self.name}站"


class CommunityStation(models.Model):
    """A subway station near a community, with the straight-line distance computed when recorded."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="stations", verbose_name=_("小区")
    )
    station = models.ForeignKey(
        SubwayStation, on_delete=models.CASCADE, related_name="+", verbose_name=_("地铁站")
    )
    distance_m = models.PositiveIntegerField(_("距离（米）"))

    class Meta:
        verbose_name = _("周边地铁")
        verbose_name_plural = _("周边地铁")
        constraints = [
            models.UniqueConstraint(fields=["community", "station"], name="community_station_unique")
        ]

    def __str__(self) -> str:
        return f"{self.community} – {self.station} {self.distance_m}m"


class AmenityKind(models.TextChoices):
    MALL = "mall", _("商场")
    MARKET = "market", _("菜场/超市")
    HOSPITAL = "hospital", _("医院")
    PARK = "park", _("公园")
    BANK = "bank", _("银行")
    SCHOOL = "school", _("学校")
    OTHER = "other", _("其他")


class Amenity(models.Model):
    """周边配套: what a client can walk to from the community."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="amenities", verbose_name=_("小区")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=AmenityKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    distance_m = models.PositiveIntegerField(_("距离（米）"), null=True, blank=True)

    class Meta:
        verbose_name = _("周边配套")
        verbose_name_plural = _("周边配套")

    def __str__(self) -> str:
        return self.name
