"""Schemas of the contract endpoints under /api/v1/deals/{id}/contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema

from anju.core.schemas import InputSchema


class ContractIn(InputSchema):
    """Terms to complete or correct; every field may be left out (the deal's own are used)."""

    kind: Literal["resale", "new_home", "lease"] | None = None
    address: str | None = None
    certificate_number: str | None = None
    area: Decimal | None = None
    price: Decimal | None = None
    payment_method: str | None = None
    payment_schedule: str | None = None
    handover_on: dt.date | None = None
    breach_liability: str | None = None


class TitleCheckIn(InputSchema):
    certificate_number: str
    area: Decimal
    mortgaged: bool
    seized: bool
    note: str = ""


class AmendmentIn(InputSchema):
    changes: dict[str, str] = {}
    text: str = ""
    signed_on: dt.date


class TermsOut(Schema):
    address: str
    certificate_number: str
    area: Decimal | None
    price: Decimal | None
    price_in_capitals: str
    payment_method: str
    payment_schedule: str
    handover_on: dt.date | None
    breach_liability: str


class TitleCheckOut(Schema):
    id: int
    certificate_number: str
    area: Decimal
    mortgaged: bool
    seized: bool
    note: str
    by: str
    at: dt.datetime


class TitleStateOut(Schema):
    ready: bool
    days: int
    recheck: list[str]
    problems: list[str]
    last_check: TitleCheckOut | None


class AmendmentOut(Schema):
    sequence: int
    changes: dict[str, str]
    text: str
    signed_on: dt.date
    by: str
    at: dt.datetime


class ContractOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    template_version: int | None  # None: Anju's default template
    terms: TermsOut
    terms_in_force: TermsOut
    document_sha256: str
    generated_at: dt.datetime | None
    generated_by: str | None
    signed: bool
    signed_at: dt.datetime | None
    signed_by: str | None
    signed_scan_sha256: str
    deal_stage: str
    title: TitleStateOut
    amendments: list[AmendmentOut]
