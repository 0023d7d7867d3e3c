from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from anju.core.schemas import InputSchema


class ConsentOut(Schema):
    channel: str
    granted: bool
    at: dt.datetime
    how: str


class ClientOut(Schema):
    id: int
    name: str
    mobile: str
    mobile_masked: bool
    email: str
    second_phone: str
    id_number: str
    gender: str
    source: str
    source_label: str
    in_pool: bool
    owner_id: int | None
    owner_name: str | None
    store_id: int | None
    tags: list[str]
    birthday_calendar: str
    birthday: dt.date | None
    lunar_birth_month: int | None
    lunar_birth_day: int | None
    lunar_birth_leap: bool
    birth_year: int | None
    referred_by_id: int | None
    last_contact_at: dt.datetime | None
    next_follow_up_on: dt.date | None
    # Client care (客户维护): the tier and why, the stage, the next contact by the cadence.
    tier: str
    tier_reasons: list[str]
    stage: str
    next_contact_on: dt.date | None
    consents: list[ConsentOut]
    created_at: dt.datetime


class BirthdayIn(InputSchema):
    calendar: Literal["", "solar", "lunar"] = ""
    solar: dt.date | None = None
    lunar_month: int | None = Field(default=None, ge=1, le=12)
    lunar_day: int | None = Field(default=None, ge=1, le=30)
    lunar_leap: bool = False
    year: int | None = Field(default=None, ge=1900, le=2100)


class ConsentIn(InputSchema):
    channel: Literal["sms", "wechat", "phone", "email"]
    granted: bool
    how: str = Field(max_length=60)


class ClientIn(InputSchema):
    name: str = Field(max_length=30)
    mobile: str = Field(max_length=30)
    email: str = Field(default="", max_length=254)
    source: Literal["store_visit", "phone", "online", "referral", "returning"] = "store_visit"
    gender: Literal["", "m", "f"] = ""
    second_phone: str = Field(default="", max_length=30)
    id_number: str = Field(default="", max_length=18)
    birthday: BirthdayIn | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)
    referred_by_id: int | None = None
    notes: str = Field(default="", max_length=2000)
    consents: list[ConsentIn] = Field(default_factory=list, max_length=4)
    owner_id: int | None = None


class ClientPatch(InputSchema):
    name: str | None = Field(default=None, max_length=30)
    mobile: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=254)
    source: Literal["store_visit", "phone", "online", "referral", "returning"] | None = None
    gender: Literal["", "m", "f"] | None = None
    second_phone: str | None = Field(default=None, max_length=30)
    id_number: str | None = Field(default=None, max_length=18)
    birthday: BirthdayIn | None = None
    tags: list[str] | None = Field(default=None, max_length=20)
    notes: str | None = Field(default=None, max_length=2000)


class RevealIn(InputSchema):
    field: Literal["mobile", "id_number", "second_phone"] = "mobile"
    reason: str = Field(max_length=200)


class RevealOut(Schema):
    field: str
    value: str


class TransferIn(InputSchema):
    to_agent_id: int
    note: str = Field(default="", max_length=200)


class ReleaseIn(InputSchema):
    note: str = Field(default="", max_length=200)


class MergeIn(InputSchema):
    merge_id: int


class OwnershipChangeOut(Schema):
    at: dt.datetime
    reason: str
    reason_label: str
    from_agent: str | None
    to_agent: str | None
    by: str | None
    note: str


class RevealLogOut(Schema):
    at: dt.datetime
    client_id: int
    client_name: str
    viewer: str
    field: str
    reason: str


InteractionKindIn = Literal["call", "visit", "wechat", "sms", "email", "showing", "note"]


class InteractionIn(InputSchema):
    client_id: int = Field(..., ge=1, le=2_147_483_647)
    kind: InteractionKindIn
    summary: str = Field(..., min_length=1, max_length=2000)
    happened_at: dt.datetime | None = Field(None, description="默认为现在；不能晚于现在")
    next_follow_up_on: dt.date | None = Field(None, description="不填则保留客户已安排的下次跟进日期")
    clear_next_follow_up: bool = Field(
        False, description="为 true 时清除客户的下次跟进日期（不能同时填写日期）"
    )
    need_id: int | None = Field(None, ge=1, le=2_147_483_647, description="相关需求（可选）")


class InteractionOut(Schema):
    id: int
    client_id: int
    agent_id: int
    agent_name: str
    need_id: int | None
    kind: str
    kind_label: str
    summary: str
    happened_at: dt.datetime
    next_follow_up_on: dt.date | None


class EraseIn(InputSchema):
    """The client's name, typed again: an erasure cannot be undone."""

    confirm_name: str = Field(max_length=30)


class KeptRecordOut(Schema):
    model: str
    object_id: int
    what: str
    reason: str
    keep_until: dt.date
    disposed_on: dt.date | None  # the day its personal fields and files were disposed of


class ErasedOut(Schema):
    id: int
    erased_at: dt.datetime
    kept: list[KeptRecordOut]


class PersonalDataAccessOut(Schema):
    id: int
    at: dt.datetime
    kind: str
    kind_label: str
    agent_id: int
    agent: str
    client_id: int
    client_name: str
    detail: str
    reason: str
