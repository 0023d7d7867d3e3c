from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import field_validator

from anju.core.schemas import InputSchema

Kind = Literal["sale", "rent"]
Status = Literal["active", "reserved", "sold", "rented", "withdrawn"]
OrientationCode = Literal["S", "SN", "E", "W", "N", "SE", "SW", "EW"]
DecorationCode = Literal["rough", "simple", "fine", "luxury"]
TitleTypeCode = Literal["commodity", "reform", "affordable", "resettlement", "other"]
MandateCode = Literal["exclusive", "general"]
MethodCode = Literal["visit", "phone", "video", "title"]
SortCode = Literal["newest", "price_asc", "price_desc", "unit_price_asc", "unit_price_desc", "area_desc"]
SchoolLevelCode = Literal["kindergarten", "primary", "middle"]

# Bounds the database can hold; the services check the business rules.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Price = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
Area = Annotated[Decimal, Field(gt=0, max_digits=7, decimal_places=2)]
Bound = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Rooms = Annotated[int, Field(ge=0, le=20)]


class ListingOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    title: str
    community_id: int
    community: str
    district: str
    layout: str
    rooms: int
    area: Decimal
    floor: int | None = Field(description="所在楼层；地址待补全时未知（null），见 floor_band")
    floor_band: str = Field("", description="楼层段 low/middle/high：仅在楼层未知时给出")
    address_complete: bool = Field(True, description="false：地址待补全（缺楼栋、门牌号），不能核实")
    total_floors: int
    orientation: str
    price: Decimal
    unit_price: Decimal
    agent_id: int
    agent_name: str
    store_id: int
    listed_on: date
    verified_at: datetime | None
    district_id: int
    is_stale: bool = Field(description="待核实：从未核实，或超过公司设置的核实有效天数未再核实")


class PropertyOut(Schema):
    id: int
    community_id: int
    community: str
    building: str | None
    unit: str | None
    room_number: str | None
    address: str
    floor: int | None
    total_floors: int
    area: Decimal
    inner_area: Decimal | None
    rooms: int
    halls: int
    baths: int
    layout: str
    orientation: str
    orientation_label: str
    decoration: str
    decoration_label: str
    build_year: int | None
    has_elevator: bool
    title_type: str
    title_type_label: str
    certificate_date: date | None
    years_held: int | None = Field(description="持有满几年（按产权证日期），用于判断满二、满五")
    only_home: bool | None
    mortgaged: bool
    seized: bool


class PriceChangeOut(Schema):
    at: datetime
    old_price: Decimal
    new_price: Decimal
    by_id: int
    by_name: str


class VerificationOut(Schema):
    id: int
    at: datetime
    by_id: int
    by_name: str
    method: str
    method_label: str
    exists: bool
    available: bool
    price_confirmed: bool
    passed: bool
    note: str


class MediaOut(Schema):
    id: int
    kind: str
    kind_label: str
    url: str
    width: int | None
    height: int | None
    caption: str
    position: int
    uploaded_by_id: int
    uploaded_at: datetime


class SellerOut(Schema):
    """The seller as the viewer may see them: full for the owning agent and their managers, else masked."""

    id: int | None = Field(description="仅在查看者可以查看该客户时提供")
    name: str
    mobile: str
    masked: bool


class ListingDetailOut(ListingOut):
    property: PropertyOut
    halls: int
    baths: int
    store_name: str
    seller: SellerOut | None
    mandate: str
    mandate_label: str
    mandate_start: date | None
    mandate_end: date | None
    highlights: str
    drawbacks: str
    keys_store_id: int | None
    keys_store: str | None
    fresh_until: datetime | None = Field(description="在此之前为已核实；之后标为待核实")
    price_changes: list[PriceChangeOut]
    verifications: list[VerificationOut]
    media: list[MediaOut]
    can_change: bool = Field(description="查看者可以修改、调价、改状态")
    next_statuses: list[str] = Field(description="当前可以改成的状态")


class ListingIn(InputSchema):
    community_id: Id
    building: str = Field(..., min_length=1, max_length=20)
    unit: str = Field("", max_length=10)
    room_number: str = Field(..., min_length=1, max_length=20)
    floor: int = Field(..., ge=-5, le=200)
    total_floors: int = Field(..., ge=1, le=200)
    area: Area
    inner_area: Area | None = None
    rooms: int = Field(..., ge=0, le=20)
    halls: int = Field(..., ge=0, le=10)
    baths: int = Field(..., ge=0, le=10)
    orientation: OrientationCode
    decoration: DecorationCode
    build_year: int | None = Field(None, ge=1900, le=2100)
    has_elevator: bool = False
    title_type: TitleTypeCode = "commodity"
    certificate_date: date | None = None
    only_home: bool | None = None
    mortgaged: bool = False
    seized: bool = False
    kind: Kind
    price: Price
    seller_id: Id | None = None
    mandate: MandateCode = "general"
    mandate_start: date | None = None
    mandate_end: date | None = None
    highlights: str = Field("", max_length=2000)
    drawbacks: str = Field("", max_length=2000)
    keys_store_id: Id | None = None
    title: str = Field("", max_length=100)
    store_id: Id | None = Field(None, description="默认为录入人所在门店；没有门店的管理员必须填写")
    verify_method: MethodCode | None = Field(None, description="录入时已与业主核实的方式；不填则房源为待核实")


# Fields of a listing that always have a value: an update may leave them out, not set them to null.
NOT_NULL = (
    "floor",
    "total_floors",
    "area",
    "rooms",
    "halls",
    "baths",
    "orientation",
    "decoration",
    "has_elevator",
    "title_type",
    "mortgaged",
    "seized",
    "title",
    "mandate",
    "highlights",
    "drawbacks",
)


class ListingUpdateIn(InputSchema):
    """Only the fields sent are changed; null clears a field that may be empty and is refused for
    the others. The price changes through ``POST /{id}/price``."""

    floor: int | None = Field(None, ge=-5, le=200)
    total_floors: int | None = Field(None, ge=1, le=200)
    area: Area | None = None
    inner_area: Area | None = None
    rooms: Rooms | None = None
    halls: int | None = Field(None, ge=0, le=10)
    baths: int | None = Field(None, ge=0, le=10)
    orientation: OrientationCode | None = None
    decoration: DecorationCode | None = None
    build_year: int | None = Field(None, ge=1900, le=2100)
    has_elevator: bool | None = None
    title_type: TitleTypeCode | None = None
    certificate_date: date | None = None
    only_home: bool | None = None
    mortgaged: bool | None = None
    seized: bool | None = None
    title: str | None = Field(None, max_length=100)
    seller_id: Id | None = None
    mandate: MandateCode | None = None
    mandate_start: date | None = None
    mandate_end: date | None = None
    highlights: str | None = Field(None, max_length=2000)
    drawbacks: str | None = Field(None, max_length=2000)
    keys_store_id: Id | None = None

    @field_validator(*NOT_NULL, mode="before")
    @classmethod
    def not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("不能为空")
        return value


class RepriceIn(InputSchema):
    price: Price


class StatusIn(InputSchema):
    to: Status


class VerifyIn(InputSchema):
    method: MethodCode
    exists: bool = True
    available: bool = True
    price_confirmed: bool = True
    note: str = Field("", max_length=200)


class ListingFilterIn(Schema):
    """Query parameters of the listing search; repeat ``district``, ``status`` and ``rooms`` for several."""

    district: list[Id] = Field(default_factory=list, description="区县 id，可重复")
    business_area: Id | None = None
    community: Id | None = None
    kind: Kind | None = None
    status: list[Status | Literal["all"]] = Field(
        default_factory=list, description="状态，可重复；默认只看在售/在租，all 为全部"
    )
    price_min: Bound | None = None
    price_max: Bound | None = None
    unit_price_min: Bound | None = None
    unit_price_max: Bound | None = None
    rooms: list[Rooms] = Field(default_factory=list, description="几室，可重复；5 表示 5 室及以上")
    rooms_min: Rooms | None = None
    rooms_max: Rooms | None = None
    area_min: Bound | None = None
    area_max: Bound | None = None
    school: Id | None = Field(None, description="对口学校 id")
    school_level: SchoolLevelCode | None = None
    freshness: Literal["fresh", "stale"] | None = None
    verified: bool | None = Field(None, description="true：核实过；false：从未核实")
    mine: bool = Field(False, description="只看我录入的房源")
    sort: SortCode = "newest"
