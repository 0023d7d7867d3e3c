"""Listings and needs made through their services, so the matching layout and jobs run as in use."""

from __future__ import annotations

from decimal import Decimal
from itertools import count
from typing import Any

from anju.clients.models import Client, Need
from anju.clients.need_services import need_create
from anju.geo.models import Community
from anju.listings.models import Listing
from anju.listings.services import listing_create
from anju.org.models import Agent

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
