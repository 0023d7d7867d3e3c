"""A small market of hand-made listings in two districts, with its figures computed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from anju.geo.models import Community
from anju.market.services import market_refresh
from anju.org.models import Agent
from tests.factories import BusinessAreaFactory, CommunityFactory, ListingFactory, PropertyFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)


@dataclass
class Market:
    guanggu: Community  # 洪山区 光谷
    houhu: Community  # 江岸区 后湖


def build_market(agent: Agent) -> Market:
    """Call with the clock at ``TODAY``: three sale listings and a rent in 洪山区, one sale in 江岸区."""
    guanggu = CommunityFactory(
        company=agent.company,
        name="光谷花园",
        business_area=BusinessAreaFactory(name="光谷", district__name="洪山区"),
    )
    houhu = CommunityFactory(
        company=agent.company,
        name="后湖小区",
        business_area=BusinessAreaFactory(name="后湖", district__name="江岸区"),
    )
    for community, price, area, listed_on, kind in (
        (guanggu, "2000000", "100", dt.date(2026, 9, 10), "sale"),
        (guanggu, "3000000", "100", dt.date(2026, 11, 2), "sale"),
        (guanggu, "4800", "80", dt.date(2026, 10, 2), "rent"),
        (houhu, "1500000", "100", dt.date(2026, 10, 20), "sale"),
    ):
        prop = PropertyFactory(company=agent.company, community=community, area=Decimal(area))
        ListingFactory(agent=agent, property=prop, price=Decimal(price), listed_on=listed_on, kind=kind)
    market_refresh(company=agent.company)
    return Market(guanggu=guanggu, houhu=houhu)
