"""Schemas of the seller side of showings: the showing report and open days (开放日)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from anju.core.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class WeekOut(Schema):
    starts_on: date = Field(description="该周周一")
    showings: int
    clients: int


class TagCountOut(Schema):
    tag: str
    count: int


class PriceOpinionsOut(Schema):
    high: int = Field(description="认为偏高的带看次数")
    fair: int
    low: int


class OffersOut(Schema):
    count: int
    average: Decimal | None
    low: Decimal | None
    high: Decimal | None
    gap_percent: Decimal | None = Field(description="平均心理价相对挂牌价的差距（%），负数表示低于挂牌价")


class ShowingReportOut(Schema):
    listing_id: int
    kind: str
    asking_price: Decimal
    as_of: date
    showings: int = Field(description="客户实际看房的次数")
    clients: int = Field(description="看过的不同客户数")
    no_shows: int
    planned: int = Field(description="尚未进行的带看")
    average_interest: Decimal | None = Field(description="平均意向（1–5）")
    rated: int
    weeks: list[WeekOut] = Field(description="近 12 周，每周带看次数与客户数")
    objections: list[TagCountOut] = Field(description="最常见的不满意之处，多者在前")
    liked: list[TagCountOut]
    price_opinions: PriceOpinionsOut
    price_offers: OffersOut
    shares: int = Field(description="分享过此房源的经纪人数")
    open_days: int
    open_day_signups: int


class OpenDaySignupOut(Schema):
    id: int
    client_id: int
    client: str
    agent_id: int
    signed_up_at: datetime
    cancelled_at: datetime | None


class OpenDayOut(Schema):
    id: int
    listing_id: int
    listing: str
    agent_id: int
    agent: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int = Field(description="有效报名人数")
    status: str
    note: str
    signups: list[OpenDaySignupOut]


class OpenDayIn(InputSchema):
    listing_id: Id
    starts_at: datetime = Field(description="ISO 8601，带时区")
    ends_at: datetime
    capacity: int = Field(..., ge=1, le=200)
    note: str = Field("", max_length=200)


class OpenDaySignupIn(InputSchema):
    client_id: Id
