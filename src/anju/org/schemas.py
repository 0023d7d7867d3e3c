from __future__ import annotations

from datetime import datetime

from ninja import Schema

from anju.core.schemas import InputSchema


class CompanyOut(Schema):
    id: int
    name: str


class StoreOut(Schema):
    id: int
    name: str
    address: str
    phone: str


class AgentOut(Schema):
    id: int
    name: str
    role: str
    role_label: str
    store: StoreOut | None


class MeOut(Schema):
    username: str
    agent_id: int
    name: str
    role: str
    role_label: str
    store: StoreOut | None
    company: CompanyOut
    photo_url: str | None  # None without a photo; with one, the small copy is at photo_url + "&thumb=1"


class TokenIn(InputSchema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str
