"""Schemas of /api/v1/needs. Money in yuan (buy: total price, rent: per month)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from anju.core.schemas import InputSchema

NeedKindIn = Literal["buy", "rent", "sell", "let"]
NeedStatusIn = Literal["active", "paused", "fulfilled", "given_up"]
OrientationIn = Literal["S", "SN", "E", "W", "N", "SE", "SW", "EW"]

# Bounds that keep ids and amounts inside what the database stores; the services check the meaning.
Money = Annotated[Decimal, Field(ge=0, le=Decimal("999999999999.99"), max_digits=14, decimal_places=2)]
Area = Annotated[Decimal, Field(ge=0, le=Decimal("999999.99"), max_digits=8, decimal_places=2)]


class PlaceOut(Schema):
    id: int
    name: str


class NeedFieldsIn(InputSchema):
    """The fields of a need; which apply depends on its kind (see the descriptions)."""

    budget_min: Money | None = Field(None, description="购房：总价（元）；租房：月租金（元）")
    budget_max: Money | None = Field(None, description="购房：总价（元）；租房：月租金（元）")
    rooms_min: int | None = Field(None, ge=0, le=99)
    rooms_max: int | None = Field(None, ge=0, le=99)
    halls_min: int | None = Field(None, ge=0, le=99)
    baths_min: int | None = Field(None, ge=0, le=99)
    area_min: Area | None = Field(None, description="㎡")
    area_max: Area | None = Field(None, description="㎡")
    district_ids: list[int] | None = Field(None, max_length=50, description="意向区县")
    business_area_ids: list[int] | None = Field(None, max_length=50, description="意向板块")
    community_ids: list[int] | None = Field(None, max_length=50, description="意向小区（本公司楼盘字典）")
    school_required: bool | None = None
    school_level: Literal["", "kindergarten", "primary", "middle"] | None = None
    purpose: Literal["", "own", "invest"] | None = Field(None, description="购房：自住 own / 投资 invest")
    first_home: bool | None = Field(None, description="购房：是否首套")
    payment: Literal["", "loan", "full"] | None = Field(None, description="购房：贷款 loan / 全款 full")
    down_payment_cash: Money | None = Field(None, description="购房：可用于首付的资金（元），用于估算购买力")
    monthly_income: Money | None = Field(None, description="购房：家庭月收入（元），用于估算购买力")
    monthly_debts: Money | None = Field(None, description="购房：每月其他还款（元），用于估算购买力")
    floor_min: int | None = Field(None, ge=-99, le=999)
    floor_max: int | None = Field(None, ge=-99, le=999)
    orientations: list[OrientationIn] | None = Field(None, max_length=8)
    elevator_required: bool | None = None
    build_year_min: int | None = Field(None, ge=0, le=9999)
    must_haves: str | None = Field(None, max_length=1000)
    nice_to_haves: str | None = Field(None, max_length=1000)
    move_in_on: date | None = Field(None, description="租房：入住日期")
    lease_months: int | None = Field(None, ge=0, le=999, description="租房：租期（月）")
    property_id: int | None = Field(None, ge=1, le=2_147_483_647, description="售房/出租：客户的房屋")
    expected_price: Money | None = Field(None, description="售房：心理价位总价（元）；出租：期望月租金（元）")
    reason: str | None = Field(None, max_length=200, description="售房/出租原因")
    condition: str | None = Field(None, max_length=1000, description="房屋情况")
    earliest_handover_on: date | None = Field(None, description="最早交房日期")


class NeedCreateIn(NeedFieldsIn):
    client_id: int = Field(..., ge=1, le=2_147_483_647)
    kind: NeedKindIn


class NeedUpdateIn(NeedFieldsIn):
    """Only the fields sent are changed; ``null`` clears a field."""


class NeedStatusChangeIn(InputSchema):
    status: NeedStatusIn
    reason: str = Field("", max_length=100, description="例如：客户已在别处成交")


class NeedOut(Schema):
    id: int
    client_id: int
    client_name: str
    agent_id: int
    agent_name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    summary: str
    allowed_statuses: list[str]
    budget_min: Decimal | None
    budget_max: Decimal | None
    rooms_min: int | None
    rooms_max: int | None
    halls_min: int | None
    baths_min: int | None
    area_min: Decimal | None
    area_max: Decimal | None
    districts: list[PlaceOut]
    business_areas: list[PlaceOut]
    communities: list[PlaceOut]
    school_required: bool
    school_level: str
    purpose: str
    first_home: bool | None
    payment: str
    down_payment_cash: Decimal | None
    monthly_income: Decimal | None
    monthly_debts: Decimal | None
    floor_min: int | None
    floor_max: int | None
    orientations: list[str]
    elevator_required: bool
    build_year_min: int | None
    must_haves: str
    nice_to_haves: str
    move_in_on: date | None
    lease_months: int | None
    property_id: int | None
    property_label: str | None
    expected_price: Decimal | None
    reason: str
    condition: str
    earliest_handover_on: date | None
    created_at: datetime
    updated_at: datetime
