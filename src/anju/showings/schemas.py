"""Schemas of /api/v1/showings. Times are ISO 8601 with an offset; distances in metres."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime

from anju.core.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
AspectIn = Literal["采光", "噪音", "户型", "楼层", "价格", "装修", "小区环境", "交通", "学区"]


class PointIn(InputSchema):
    latitude: Decimal = Field(ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal = Field(ge=-180, le=180, max_digits=9, decimal_places=6)
    label: str = Field("", max_length=100, description="出发点名称，如“地铁站 A 口”")


class ShowingCreateIn(InputSchema):
    client_id: Id
    need_id: Id | None = None
    starts_at: AwareDatetime = Field(description="出发时间，ISO 8601 带时区")
    listing_ids: list[Id] = Field(min_length=1, max_length=20)
    start: PointIn | None = Field(None, description="出发点；默认为经纪人所在门店")
    minutes_per_stop: int | None = Field(
        None, ge=1, le=600, description="每套看房时间（分钟）；默认取公司设置"
    )
    note: str = Field("", max_length=200)


class StopConfirmIn(InputSchema):
    agreed_by: Literal["owner", "tenant", "other"]
    agreed_name: str = Field(max_length=30)
    agreed_at: AwareDatetime | None = None
    access: Literal["keys", "owner", "code"] = Field(
        description="门店钥匙 keys / 业主在家 owner / 密码锁 code"
    )
    keys_store_id: Id | None = None
    access_code: str = Field("", max_length=30)
    note: str = Field("", max_length=200)


class StopFeedbackIn(InputSchema):
    outcome: Literal["shown", "no_show", "cancelled"]
    interest: int | None = Field(None, ge=1, le=5)
    liked: list[AspectIn] = Field(default_factory=list, max_length=9)
    disliked: list[AspectIn] = Field(default_factory=list, max_length=9)
    text: str = Field("", max_length=1000)
    verdict: Literal["", "liked", "rejected"] = Field(
        "", description="客户明确表示喜欢 liked / 不考虑 rejected"
    )
    price_opinion: Literal["", "high", "fair", "low"] = Field(
        "", description="偏高 high / 合适 fair / 偏低 low"
    )
    price_offer: Decimal | None = Field(
        None,
        gt=0,
        le=Decimal("999999999999.99"),
        max_digits=14,
        decimal_places=2,
        description="客户心理价（元）",
    )


class ShowingCancelIn(InputSchema):
    reason: str = Field("", max_length=200)


class ConfirmationCreateIn(InputSchema):
    client_name: str = Field(max_length=30)
    signature_png_base64: str = Field(max_length=800_000, description="手写签名 PNG，base64")
    listing_ids: list[Id] | None = Field(None, max_length=20, description="默认为本次带看的全部房源")
    supersedes_id: Id | None = Field(None, description="更正时：被更正的确认单")
    correction_reason: str = Field("", max_length=200)


class AssumptionsOut(Schema):
    speed_kmh: Decimal
    detour_factor: Decimal
    minutes_per_stop: int
    method: str


class FeedbackOut(Schema):
    outcome: str
    interest: int | None
    liked: list[str]
    disliked: list[str]
    text: str
    verdict: str
    price_opinion: str
    price_offer: Decimal | None
    recorded_at: dt.datetime


class StopOut(Schema):
    id: int
    listing_id: int
    listing_label: str
    order: int
    arrive_at: dt.datetime
    leave_at: dt.datetime
    travel_minutes: int
    distance_m: int
    latitude: Decimal
    longitude: Decimal
    confirmed: bool
    agreed_by: str
    agreed_name: str
    agreed_at: dt.datetime | None
    access: str
    keys_store_id: int | None
    blocked: str = Field(description="此站不能再带看的原因（房源已预定、已售等）；空表示可以")
    feedback: FeedbackOut | None


class ShowingOut(Schema):
    id: int
    status: str
    status_label: str
    agent_id: int
    agent_name: str
    client_id: int
    client_name: str
    need_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    start: dict
    stops: list[StopOut]
    total_travel_minutes: int
    total_distance_m: int
    assumptions: AssumptionsOut
    cancel_reason: str


class ConfirmationOut(Schema):
    id: int
    showing_id: int
    client_name: str
    shown_on: dt.date
    listing_ids: list[int]
    sha256: str
    signed_at: dt.datetime
    supersedes_id: int | None
    correction_reason: str
    intact: bool
