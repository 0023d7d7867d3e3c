"""Schemas of the ranked, explained matches (/api/v1/needs/{id}/matches, /api/v1/listings/{id}/matches)."""

from __future__ import annotations

from ninja import Field, Schema


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


class ListingMatchesQuery(Schema):
    limit: int = Field(50, ge=1, le=500)
