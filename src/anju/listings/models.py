"""Properties (房屋), their listings (房源), price history, verification (真房源) and photos."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
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
    NORTH_WEST = "NW", _("西北")
    NORTH_EAST = "NE", _("东北")


class Decoration(models.TextChoices):
    ROUGH = "rough", _("毛坯")
    SIMPLE = "simple", _("简装")
    FINE = "fine", _("精装")
    LUXURY = "luxury", _("豪装")
    OTHER = "other", _("其他")


class FloorBand(models.TextChoices):
    """Where in the building a flat is, when the floor itself is not known (portal listings)."""

    LOW = "low", _("低楼层")
    MIDDLE = "middle", _("中楼层")
    HIGH = "high", _("高楼层")


class TitleType(models.TextChoices):
    COMMODITY = "commodity", _("商品房")
    REFORM = "reform", _("房改房")
    AFFORDABLE = "affordable", _("经济适用房")
    RESETTLEMENT = "resettlement", _("安置房")
    OTHER = "other", _("其他")


class Property(CompanyScopedModel):
    """A flat as it physically is; it may be listed many times over the years.

    Its address may be incomplete (地址待补全): a flat brought in from a portal's list has its
    community but no building, unit or room number, and its floor only as a band. Those stay empty
    (NULL), never made up, until an agent completes the address; until then its listings cannot be
    verified (真房源).
    """

    community = models.ForeignKey(
        "geo.Community", on_delete=models.PROTECT, related_name="properties", verbose_name=_("小区")
    )
    building = models.CharField(_("楼栋"), max_length=20, null=True, blank=True)
    unit = models.CharField(_("单元"), max_length=10, null=True, blank=True)
    room_number = models.CharField(_("门牌号"), max_length=20, null=True, blank=True)
    floor = models.SmallIntegerField(_("所在楼层"), null=True, blank=True)
    floor_band = models.CharField(_("楼层段"), max_length=6, choices=FloorBand.choices, blank=True)
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
    title_type = models.CharField(
        _("产权类型"), max_length=20, choices=TitleType.choices, default=TitleType.COMMODITY
    )
    certificate_date = models.DateField(
        _("产权证日期"), null=True, blank=True, help_text=_("不动产权证或契税票日期，用于判断满二、满五。")
    )
    only_home = models.BooleanField(_("卖方家庭唯一住房"), null=True, blank=True)
    mortgaged = models.BooleanField(_("有抵押"), default=False)
    seized = models.BooleanField(_("被查封"), default=False)
    owner = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="properties",
        verbose_name=_("业主"),
    )

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "community", "building", "unit", "room_number"],
                condition=models.Q(building__isnull=False),
                name="property_unique_address",
            ),
            # An address is whole (building and room, the unit possibly "") or wholly to be completed.
            models.CheckConstraint(
                condition=models.Q(building__isnull=False, unit__isnull=False, room_number__isnull=False)
                | models.Q(building__isnull=True, unit__isnull=True, room_number__isnull=True),
                name="property_address_whole",
            ),
            # The floor is known, or at least its band.
            models.CheckConstraint(
                condition=models.Q(floor__isnull=False) | ~models.Q(floor_band=""),
                name="property_floor_or_band",
            ),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="property_area_positive"),
            models.CheckConstraint(
                condition=models.Q(floor__lte=models.F("total_floors")), name="property_floor_in_building"
            ),
        ]

    def __str__(self) -> str:
        if not self.address_complete:
            return f"{self.community} {_('地址待补全')}"
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{self.community} {self.building}栋{unit}{self.room_number}"

    @property
    def address_complete(self) -> bool:
        """False for a flat whose building and room are still to be completed (地址待补全)."""
        return self.building is not None

    @property
    def floor_text(self) -> str:
        """``12/18层``, or ``中楼层/18层`` while only the band is known."""
        where = self.get_floor_band_display() if self.floor is None else str(self.floor)
        return f"{where}/{self.total_floors}{_('层')}"

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


class Mandate(models.TextChoices):
    EXCLUSIVE = "exclusive", _("独家委托")
    GENERAL = "general", _("普通委托")


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
    seller = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings_as_seller",
        verbose_name=_("业主（委托人）"),
    )
    mandate = models.CharField(_("委托方式"), max_length=10, choices=Mandate.choices, default=Mandate.GENERAL)
    mandate_start = models.DateField(_("委托开始"), null=True, blank=True)
    mandate_end = models.DateField(_("委托结束"), null=True, blank=True)
    highlights = models.TextField(_("房源亮点"), blank=True)
    drawbacks = models.TextField(_("已知不足"), blank=True)
    keys_store = models.ForeignKey(
        "org.Store",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="keys_held",
        verbose_name=_("钥匙所在门店"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("房源")
        verbose_name_plural = _("房源")
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="listing_price_positive"),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="listing_area_positive"),
            models.CheckConstraint(
                condition=models.Q(mandate_start__isnull=True)
                | models.Q(mandate_end__isnull=True)
                | models.Q(mandate_start__lte=models.F("mandate_end")),
                name="listing_mandate_dates",
            ),
        ]
        indexes = [
            # One index per sort the search offers, so a page walks an index instead of sorting a
            # million rows (measured on the 1M demo: 0.5–4.7 s without them, 3–20 ms with them).
            models.Index(
                fields=["company", "status", "kind", "district", "price", "id"], name="listing_search"
            ),
            models.Index(fields=["company", "-listed_on", "-id"], name="listing_recent"),
            models.Index(
                fields=["company", "status", "kind", "-listed_on", "-id"], name="listing_market_recent"
            ),
            models.Index(fields=["company", "status", "kind", "price", "id"], name="listing_market_price"),
            models.Index(
                fields=["company", "status", "kind", "unit_price", "id"], name="listing_market_unit_price"
            ),
            models.Index(fields=["company", "status", "kind", "area", "id"], name="listing_market_area"),
            models.Index(
                fields=["company", "status", "kind", "district", "-listed_on", "-id"],
                name="listing_district_recent",
            ),
            models.Index(
                fields=["company", "status", "kind", "district", "unit_price", "id"],
                name="listing_district_unit_price",
            ),
            models.Index(
                fields=["company", "status", "kind", "district", "area", "id"], name="listing_district_area"
            ),
            models.Index(fields=["agent", "-listed_on", "-id"], name="listing_agent_recent"),
            # An agent's active listings counted from the index alone (the workbench).
            models.Index(fields=["company", "agent", "status"], name="listing_agent_status"),
        ]

    def __str__(self) -> str:
        return self.title or str(self.property)


class PriceChange(models.Model):
    """Every asking-price change: agents and clients read the history (调价记录)."""

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="price_changes", verbose_name=_("房源")
    )
    old_price = models.DecimalField(_("原价（元）"), max_digits=14, decimal_places=2)
    new_price = models.DecimalField(_("新价（元）"), max_digits=14, decimal_places=2)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))

    class Meta:
        verbose_name = _("调价记录")
        verbose_name_plural = _("调价记录")
        indexes = [models.Index(fields=["listing", "-at"], name="price_change_timeline")]

    def __str__(self) -> str:
        return f"{self.listing} {self.old_price} → {self.new_price}"


class VerificationMethod(models.TextChoices):
    VISIT = "visit", _("实地查看")
    PHONE = "phone", _("电话联系业主")
    VIDEO = "video", _("视频看房")
    TITLE = "title", _("产权核验")


class Verification(models.Model):
    """真房源: someone confirmed the listing exists, is available and is priced as shown."""

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="verifications", verbose_name=_("房源")
    )
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("核实人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    method = models.CharField(_("方式"), max_length=10, choices=VerificationMethod.choices)
    exists = models.BooleanField(_("房屋真实存在"), default=True)
    available = models.BooleanField(_("仍在出售/出租"), default=True)
    price_confirmed = models.BooleanField(_("价格属实"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("房源核实")
        verbose_name_plural = _("房源核实")
        indexes = [models.Index(fields=["listing", "-at"], name="verification_timeline")]

    def __str__(self) -> str:
        return f"{self.listing} {self.get_method_display()} {self.at:%Y-%m-%d}"


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    FLOOR_PLAN = "floor_plan", _("户型图")


def media_path(instance: ListingMedia, filename: str) -> str:
    # The uploaded name is not trusted: the stored name is the listing and a random token.
    import secrets
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:5]
    return f"listings/{instance.listing_id}/{secrets.token_hex(8)}{suffix}"


class ListingMedia(models.Model):
    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="media", verbose_name=_("房源")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=MediaKind.choices, default=MediaKind.PHOTO)
    image = models.ImageField(_("图片"), upload_to=media_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    caption = models.CharField(_("说明"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    uploaded_by = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("房源图片")
        verbose_name_plural = _("房源图片")
        ordering = ["kind", "position", "id"]

    def __str__(self) -> str:
        return f"{self.listing} {self.get_kind_display()} {self.position}"
