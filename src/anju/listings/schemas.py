from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class ListingOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    title: str
    community_id: int
    community: str
    district: str
    layout: str
    rooms: int
    area: Decimal
    floor: int
    total_floors: int
    orientation: str
    price: Decimal
    unit_price: Decimal
    agent_id: int
    agent_name: str
    store_id: int
    listed_on: date
    verified_at: datetime | None
