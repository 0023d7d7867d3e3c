from __future__ import annotations

from datetime import datetime

from ninja import Schema


class ClientOut(Schema):
    id: int
    name: str
    mobile: str
    mobile_masked: bool
    source: str
    source_label: str
    in_pool: bool
    owner_id: int | None
    owner_name: str | None
    store_id: int | None
    last_contact_at: datetime | None
    created_at: datetime
