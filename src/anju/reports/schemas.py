"""Schemas of /api/v1/reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field, Schema

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class PeriodIn(Schema):
    start: date | None = Field(None, alias="from", description="开始日期（含），默认 29 天前（共 30 天）")
    end: date | None = Field(None, alias="to", description="结束日期（含），默认今天")
    store: Id | None = Field(None, description="门店 id（管理员可选）")
    agent: Id | None = Field(None, description="经纪人 id（店长可选本店的，管理员可选全公司的）")


class StageOut(Schema):
    key: str = Field(description="clients · needs · showings · offers · deals · closed")
    label: str
    count: int


class FunnelOut(Schema):
    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="to")
    store: int | None
    agent: int | None
    stages: list[StageOut]
