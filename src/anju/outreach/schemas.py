"""The outreach API's schemas (decision 0002)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from anju.core.schemas import InputSchema


class OccasionOut(Schema):
    client_id: int
    client_name: str
    kind: str = Field(description="birthday | festival | deal_anniversary | new_year | national_day")
    name: str = Field(description="如：农历生日、中秋节、成交1周年")
    date: date
    note: str = Field(
        "", description="法定假期（如：放假 2026年10月1日至2026年10月7日），或该年放假安排尚未公布"
    )


class OccasionsOut(Schema):
    items: list[OccasionOut]
    next_cursor: str | None = None


class TargetIn(InputSchema):
    need_kind: str = Field("", description="buy | sell | rent | let；空为不限")
    district_ids: list[int] = Field(default_factory=list)
    budget_min: Decimal | None = Field(None, description="预算下限（元）")
    budget_max: Decimal | None = Field(None, description="预算上限（元）")
    tiers: list[str] = Field(default_factory=list, description="A、B、C、D；空为不限")
    stages: list[str] = Field(default_factory=list, description="prospect | transaction | past；空为不限")
    tags: list[str] = Field(default_factory=list, description="标签名称，任一即可")


class PreviewIn(InputSchema):
    target: TargetIn
    channel: str = Field(description="sms | wechat | email")


class PreviewClientOut(Schema):
    client_id: int
    name: str
    reason: str


class PreviewOut(Schema):
    recipients: list[PreviewClientOut]
    excluded: list[PreviewClientOut]
