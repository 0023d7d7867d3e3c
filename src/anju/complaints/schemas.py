"""Schemas of /api/v1/complaints. Times ISO 8601 with their offset (Asia/Shanghai)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from anju.core.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
StatusName = Literal["received", "acknowledged", "resolving", "resolved", "closed", "reopened"]


class ComplaintIn(InputSchema):
    client_id: Id
    severity: Literal["urgent", "normal"]
    category: str = Field(min_length=1, max_length=40, description="公司投诉类别列表中的名称")
    received_at: datetime | None = Field(None, description="受理时间（带时区），默认现在")
    text: str = Field(min_length=1, max_length=2000, description="客户原话")
    channel: Literal["phone", "store", "wechat", "online", "letter", "other"] = "phone"
    about_agent_id: Id | None = None
    deal_id: Id | None = None
    listing_id: Id | None = None
    partner_id: Id | None = Field(None, description="涉及的合作商（增值服务）")
    handler_id: Id | None = Field(None, description="处理人，默认登记人")


class ComplaintStatusIn(InputSchema):
    status: StatusName
    note: str = Field("", max_length=500)
    resolution: str = Field("", max_length=2000, description="处理经过（改为已解决时必填，缺省取 note）")
    remedy: str = Field("", max_length=300, description="与客户商定的补救措施")
    satisfaction: int | None = Field(None, ge=1, le=5, description="客户满意度 1–5（结案时必填）")


class ComplaintOut(Schema):
    id: int
    status: StatusName
    status_label: str
    severity: str
    category: str
    channel: str
    client_id: int
    client_name: str
    handler_id: int
    store_id: int | None
    text: str
    received_at: datetime
    acknowledge_due_at: datetime
    resolve_due_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    overdue: bool
    resolution: str
    remedy: str
    satisfaction: int | None
    root_cause: str
    corrective_action: str
    corrective_due_on: date | None
    client_notice: str = Field(description="可发给客户的回复时限说明")
    calendar_note: str = Field("", description="时限所在年份节假日未知时的说明（按周末推算）")


class ComplaintFilters(Schema):
    overdue: bool = False
    status: StatusName | None = None
    cursor: str | None = None
    limit: int = 50
