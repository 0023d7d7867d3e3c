"""API shapes for the building dictionary and the shared geography."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from anju.core.schemas import InputSchema

# Ids as the database can hold them (SQLite and PostgreSQL bigint); larger numbers are a 422, not a crash.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Latitude = Annotated[float, Field(ge=-90, le=90, description="纬度（与地图一致的坐标系，通常为 GCJ-02）")]
Longitude = Annotated[float, Field(ge=-180, le=180, description="经度")]
Name60 = Annotated[str, Field(min_length=1, max_length=60)]
Fee = Annotated[Decimal, Field(ge=0, lt=10_000, max_digits=6, decimal_places=2)]
Price = Annotated[Decimal, Field(ge=0, lt=100_000_000, max_digits=10, decimal_places=2)]
Year = Annotated[int, Field(ge=1900, le=2100)]


class Ref(Schema):
    id: int
    name: str


class AliasOut(Schema):
    id: int
    name: str


class CommunityOut(Schema):
    id: int
    name: str
    pinyin_initials: str
    aliases: list[str]
    district: Ref
    business_area: Ref
    address: str
    latitude: float | None = Field(description="纬度；未填写坐标的小区为 null，没有附近地铁站等距离信息")
    longitude: float | None
    build_year: int | None
    property_fee: Decimal | None = Field(description="物业费，元/㎡·月")
    reference_price: Decimal | None = Field(description="参考单价，元/㎡")
    building_count: int | None


class BuildingOut(Schema):
    id: int
    name: str
    total_floors: int | None
    units: int | None
    has_elevator: bool | None
    build_year: int | None


class SchoolOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    is_key: bool
    district: Ref


class SchoolAssignmentOut(Schema):
    id: int
    school: SchoolOut
    whole_community: bool = Field(description="没有指定楼栋时，整个小区对口")
    buildings: list[Ref]
    year: int | None
    note: str


class StationOut(Schema):
    id: int
    city_id: int
    line: str
    name: str
    latitude: float
    longitude: float


class NearbyStationOut(Schema):
    station_id: int
    line: str
    name: str
    distance_m: int


class AmenityOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    distance_m: int | None


class CommunityDetailOut(CommunityOut):
    city: Ref
    buildings: list[BuildingOut]
    alias_list: list[AliasOut]
    schools: list[SchoolAssignmentOut]
    stations: list[NearbyStationOut]
    amenities: list[AmenityOut]
    updated_at: datetime


class CommunityIn(InputSchema):
    name: Name60
    business_area_id: Id
    latitude: Latitude
    longitude: Longitude
    address: Annotated[str, Field(max_length=200)] = ""
    build_year: Year | None = None
    property_fee: Fee | None = None
    reference_price: Price | None = None
    building_count: Annotated[int, Field(ge=0, le=2000)] | None = None
    aliases: Annotated[list[Name60], Field(max_length=20)] = []
    confirm_duplicate: bool = Field(
        default=False, description="名称与已有小区相似时，确认仍然创建（否则返回 409 possible_duplicate）"
    )


class CommunityPatch(InputSchema):
    """Only the fields sent are changed; ``null`` clears an optional field."""

    name: Name60 | None = None
    business_area_id: Id | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    address: Annotated[str, Field(max_length=200)] | None = None
    build_year: Year | None = None
    property_fee: Fee | None = None
    reference_price: Price | None = None
    building_count: Annotated[int, Field(ge=0, le=2000)] | None = None
    confirm_duplicate: bool = False


class CandidateOut(Schema):
    id: int
    name: str
    district: str
    business_area: str
    reason: str = Field(description="same_name、alias 或 same_initials")
    reason_label: str
    matched: str


class DuplicateOut(Schema):
    """409: ``possible_duplicate`` lists the candidates; other conflicts carry only code and message."""

    code: str
    message: str
    candidates: list[CandidateOut] = []


class AliasIn(InputSchema):
    name: Name60


class BuildingIn(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=20)]
    total_floors: Annotated[int, Field(ge=1, le=200)] | None = None
    units: Annotated[int, Field(ge=1, le=50)] | None = None
    has_elevator: bool | None = None
    build_year: Year | None = None


class BuildingPatch(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=20)] | None = None
    total_floors: Annotated[int, Field(ge=1, le=200)] | None = None
    units: Annotated[int, Field(ge=1, le=50)] | None = None
    has_elevator: bool | None = None
    build_year: Year | None = None


class SchoolAssignmentIn(InputSchema):
    school_id: Id
    building_ids: Annotated[list[Id], Field(max_length=500)] = Field(
        default=[], description="对口的楼栋；空表示整个小区"
    )
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    note: Annotated[str, Field(max_length=200)] = ""


class SchoolAssignmentPatch(InputSchema):
    building_ids: Annotated[list[Id], Field(max_length=500)] = []
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    note: Annotated[str, Field(max_length=200)] = ""


class AmenityIn(InputSchema):
    kind: Literal["mall", "market", "hospital", "park", "bank", "school", "other"]
    name: Name60
    distance_m: Annotated[int, Field(ge=0, le=100_000)] | None = None


class BusinessAreaNode(Schema):
    id: int
    name: str


class DistrictNodeOut(Schema):
    id: int
    name: str
    code: str
    business_areas: list[BusinessAreaNode]


class CityTreeOut(Schema):
    id: int
    name: str
    code: str
    districts: list[DistrictNodeOut]


class SchoolIn(InputSchema):
    district_id: Id
    name: Name60
    level: Literal["kindergarten", "primary", "middle"]
    is_key: bool = False
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class StationIn(InputSchema):
    city_id: Id
    line: Annotated[str, Field(min_length=1, max_length=20)]
    name: Annotated[str, Field(min_length=1, max_length=30)]
    latitude: Latitude
    longitude: Longitude
