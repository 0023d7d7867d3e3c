"""Listings and needs made through their services, so the matching layout and jobs run as in use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count
from typing import Any

from anju.clients.models import Client
from anju.finance.affordability import Affordability, Means, affordability
from anju.finance.rules import rule_book
from anju.geo.models import Community
from anju.listings.models import Listing
from anju.listings.services import listing_create
from anju.needs.models import Need
from anju.needs.services import need_create
from anju.org.models import Agent
from tests.factories import ClientFactory

_rooms = count(101)


def sale(agent: Agent, community: Community, *, verified: bool = True, **overrides: Any) -> Listing:
    """A flat for sale entered by ``agent`` (confirmed on the spot unless ``verified=False``)."""
    fields: dict[str, Any] = {
        "building": "1",
        "unit": "1",
        "room_number": str(next(_rooms)),
        "floor": 8,
        "total_floors": 18,
        "area": Decimal("90"),
        "rooms": 3,
        "halls": 2,
        "baths": 1,
        "orientation": "SN",
        "decoration": "fine",
        "build_year": 2012,
        "has_elevator": True,
        "kind": "sale",
        "price": Decimal("2000000"),
        **overrides,
    }
    return listing_create(
        agent=agent, community=community, verify_method="visit" if verified else None, **fields
    )


def buy_need(agent: Agent, client: Client, *, districts: list[int], **fields: Any) -> Need:
    values: dict[str, Any] = {
        "district_ids": districts,
        "budget_max": Decimal("2200000"),
        "rooms_min": 2,
        **fields,
    }
    return need_create(agent=agent, client=client, kind="buy", fields=values)


# A buyer's means: 90万 for the down payment, 2.5万 a month, 2000 a month of other loans.
CASH, INCOME, DEBTS = Decimal("900000"), Decimal("25000"), Decimal("2000")


def buyer_with_means(agent: Agent, community: Community, **fields: Any) -> Need:
    """A new client's buy need in ``community``'s district, with the means above unless overridden."""
    means = {"down_payment_cash": CASH, "monthly_income": INCOME, "monthly_debts": DEBTS}
    return buy_need(
        agent, ClientFactory(owner=agent), districts=[community.district_id], **{**means, **fields}
    )


def afforded(*, as_of: dt.date, city: str = "武汉", home_count: int = 1) -> Affordability:
    """What the finance calculator says the means above afford."""
    means = Means(
        city=city, cash=CASH, monthly_income=INCOME, monthly_debts=DEBTS, home_count=home_count, as_of=as_of
    )
    return affordability(means, rule_book())
