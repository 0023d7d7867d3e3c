"""Schemas of matching's API: the ranked, explained matches (/api/v1/needs/{id}/matches,
/api/v1/listings/{id}/matches), the agent's matches (/api/v1/matches) and /api/v1/needs/{id}/analysis."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from anju.core.schemas import InputSchema
from anju.finance.schemas import AffordabilityOut


class ListingMatchOut(Schema):
    listing_id: int
    score: int = Field(description="匹配度，0–100")
    fits: list[str] = Field(description="符合之处")
    lacks: list[str] = Field(description="不足之处")


class NeedMatchesOut(Schema):
    items: list[ListingMatchOut]
    excluded: dict[str, int] = Field(
        description="符合硬性条件但未推荐的房源数，按原因（已预定、待核实、已拒绝过…）"
    )
    total_fitting: int = Field(description="符合硬性条件且可推荐的房源总数")
    offset: int = Field(description="本页第一套在排序中的位置（从 0 起）")
    next_offset: int | None = Field(description="下一页的 offset；没有下一页时为 null")


class NeedMatchOut(Schema):
    need_id: int
    client_id: int
    agent_id: int = Field(description="负责该需求的经纪人")
    score: int
    fits: list[str]
    lacks: list[str]


class ListingMatchesOut(Schema):
    items: list[NeedMatchOut]
    total: int = Field(description="该房源满足的进行中需求总数")


class NeedMatchesQuery(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(
        0, ge=0, le=10_000_000, description="跳过排序中的前 offset 套：上一页的 next_offset，逐页取完全部"
    )


class ListingMatchesQuery(Schema):
    limit: int = Field(50, ge=1, le=500)


MatchStatusIn = Literal["new", "sent", "viewed", "liked", "rejected"]
MatchMarkIn = Literal["viewed", "liked", "rejected"]
ChannelIn = Literal["sms", "wechat", "phone", "email"]


class MatchOut(Schema):
    id: int
    need_id: int
    client_id: int
    client_name: str
    listing_id: int
    listing_title: str
    listing_price: str
    agent_id: int | None
    score: int
    fits: list[str]
    lacks: list[str]
    found_at: dt.datetime
    status: MatchStatusIn
    status_label: str
    allowed_statuses: list[str]
    approved_at: dt.datetime | None = None
    approved_by_id: int | None = None


class MatchFilters(Schema):
    status: MatchStatusIn | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=200)


class MatchStatusChangeIn(InputSchema):
    status: MatchMarkIn


class MatchApproveIn(InputSchema):
    ids: list[int] = Field(..., min_length=1, max_length=200)
    channel: ChannelIn


class SkippedClientOut(Schema):
    id: int
    name: str


class MatchApproveOut(Schema):
    approved: list[int]
    already_approved: int
    skipped_clients: list[SkippedClientOut]
    message: str


class SuggestionOut(Schema):
    code: str
    label: str
    count: int
    added: int


class BuyerAffordabilityOut(Schema):
    affordable: str = Field(description="可承受总价（元），向下取整到万，即 sentence 中的数")
    sentence: str = Field(description="例如：按您的首付和月供，可承受总价约320万")
    budget_note: str = Field(description="预算上限高于可承受总价时的提示，否则为空")
    count_at_affordable: int | None = Field(
        description="预算上限高于可承受总价时：上限降到可承受总价后符合的房源数"
    )
    calculation: AffordabilityOut = Field(description="购买力计算（与 /api/v1/finance/affordability 相同）")


class NeedAnalysisOut(Schema):
    need_id: int
    count: int
    suggestions: list[SuggestionOut]
    best: SuggestionOut | None = None
    affordability: BuyerAffordabilityOut | None = Field(
        None, description="购房需求填写了首付资金和月收入时：按今天的规则估算的购买力"
    )
    affordability_note: str = Field("", description="购房需求没有购买力估算时的原因")
