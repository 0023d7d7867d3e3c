from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

Kind = Literal["sale", "rent"]
ScopeCode = Literal["city", "district", "business_area", "community"]
SourceCode = Literal["asking", "deal"]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Months = Annotated[int, Field(ge=1, le=36, description="几个月（1–36），到本月为止")]
Month = Annotated[
    str, Field(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", description="月份，如 2026-11；默认本月")
]


class MarketPlaceOut(Schema):
    scope: ScopeCode
    id: int
    name: str


class MonthOut(Schema):
    month: date = Field(description="该月 1 日")
    inventory: int = Field(description="月末在售/在租套数")
    new_listings: int = Field(description="当月新增挂牌")
    left: int = Field(description="当月下架或成交（离市）套数")
    closed: int = Field(description="其中成交（已售/已租）")
    cuts: int = Field(description="当月降价次数")
    unit_price: Decimal | None = Field(
        description="挂牌均价：月末在市房源总价之和 ÷ 面积之和，元/㎡（出租为元/㎡/月）；无房源时为空"
    )
    average_price: Decimal | None = Field(description="套均价：元（出租为元/月）")
    cut_percent: Decimal | None = Field(description="平均降幅，占原价的百分比")
    days_on_market: int | None = Field(description="当月离市房源的平均在市天数")
    through: date | None = Field(
        description="本月尚未结束时为统计截止日（今天）：新增、离市、降价和在市天数只计到这一天，"
        "不能当作整月比较；已结束的月份为空"
    )


class SeriesIn(Schema):
    scope: ScopeCode = "city"
    id: Id | None = Field(None, description="城市、区县、板块或小区 id；全市可省略（公司所在城市）")
    kind: Kind = "sale"
    months: Months = 12
    source: SourceCode = Field("asking", description="asking 挂牌；deal 成交（交易功能上线后提供）")


class SeriesOut(Schema):
    place: MarketPlaceOut
    kind: Kind
    source: SourceCode
    months: list[MonthOut]


class PlacesIn(Schema):
    scope: Literal["district", "business_area", "community"] = "district"
    kind: Kind = "sale"
    within_scope: Literal["district", "business_area"] | None = Field(
        None, description="只看某区县或板块之内（与 within_id 一起用）"
    )
    within_id: Id | None = None
    month: Month | None = None
    source: SourceCode = "asking"
    after: Id | None = Field(None, description="翻页：上一页 next_after 的值")
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class PlaceMonthOut(Schema):
    place: MarketPlaceOut
    figures: MonthOut


class PlacesOut(Schema):
    month: date
    items: list[PlaceMonthOut]
    next_after: int | None = Field(description="还有下一页时，下一页的 after 参数；否则为空")


class SummaryIn(Schema):
    district: Id
    kind: Kind = "sale"


class SummaryOut(Schema):
    place: MarketPlaceOut
    kind: Kind
    now: MonthOut
    month_change_percent: Decimal | None = Field(description="挂牌均价环比（%）")
    year_change_percent: Decimal | None = Field(description="挂牌均价同比（%）")
    city: MonthOut = Field(description="全市本月，供对比")
    months: list[MonthOut] = Field(description="近 13 个月")
    business_areas: list[PlaceMonthOut] = Field(description="区内各板块本月，挂牌均价从高到低")
    refreshed_at: datetime | None = Field(description="行情最近计算时间")
