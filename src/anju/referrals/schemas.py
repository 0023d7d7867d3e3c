"""Schemas of /api/v1/referrals: a referral with its rewards. Money in yuan, two decimals; times ISO
8601 with an offset."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from anju.core.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ReferralIn(InputSchema):
    client_id: Id = Field(description="被介绍的新客户")
    referrer_kind: Literal["client", "partner", "other"] = "client"
    referrer_client_id: Id | None = Field(None, description="介绍人（客户）；类型为 client 时必填")
    referrer_name: str = Field("", max_length=60, description="介绍人姓名（合作伙伴或其他）")
    referrer_partner_id: Id | None = Field(
        None, description="介绍的合作商（类型为 partner 时可选，代替姓名）"
    )
    note: str = Field("", max_length=200)


class RewardOut(Schema):
    id: int
    deal_id: int
    kind: str
    amount: Decimal
    gift: str
    year: int
    capped: bool
    status: str
    status_label: str
    approved_by_id: int | None
    approved_by_name: str | None
    approved_at: datetime | None
    paid_by_id: int | None
    paid_by_name: str | None
    paid_at: datetime | None


class ReferralOut(Schema):
    id: int
    client_id: int
    client_name: str
    referrer_kind: str
    referrer_client_id: int | None
    referrer_partner_id: int | None
    referrer_name: str
    agent_id: int | None
    channel: str
    note: str
    created_at: datetime
    rewards: list[RewardOut]
