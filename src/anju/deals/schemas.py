"""Schemas of /api/v1/deals. Money in yuan as strings with two decimals (a lease's price is the
monthly rent); percents with two decimals; times ISO 8601 with an offset."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from anju.core.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Money = Annotated[Decimal, Field(gt=0, le=Decimal("999999999999.99"), max_digits=14, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Months = Annotated[int, Field(ge=0, le=120)]
KindIn = Literal["sale", "lease"]
StageIn = Literal["negotiating", "intent", "contract", "processing", "closed", "cancelled"]
SideIn = Literal["buyer", "seller"]
PaymentIn = Literal["full", "commercial", "provident", "combination"]
TaxesIn = Literal["statutory", "buyer", "seller"]
RoleIn = Literal[
    "entry",
    "maintain",
    "survey",
    "mandate",
    "keys",
    "referral",
    "first_showing",
    "closing",
    "transaction",
    "finance",
]


class DealCreateIn(InputSchema):
    listing_id: Id
    buyer_id: Id = Field(description="买方或承租方客户")
    kind: KindIn | None = Field(None, description="不填则按房源类型：出售房源为 sale，出租房源为 lease")
    need_id: Id | None = None


class OfferIn(InputSchema):
    side: SideIn
    price: Money = Field(description="买卖：总价（元）；租赁：月租金（元）")
    payment: PaymentIn | None = None
    deposit: Money | None = Field(None, description="定金（元）")
    handover_on: date | None = None
    taxes_by: TaxesIn = "statutory"
    items_included: str = Field("", max_length=300)
    terms: str = Field("", max_length=2000)
    deposit_months: Months | None = Field(None, description="租赁：押几")
    pay_months: Months | None = Field(None, description="租赁：付几")
    term_months: Months | None = Field(None, description="租赁：租期（月）")
    expires_at: datetime | None = None


class SplitIn(InputSchema):
    agent_id: Id
    role: RoleIn
    percent: Percent


class CommissionIn(InputSchema):
    rate: Annotated[Decimal, Field(ge=0, le=2, max_digits=8, decimal_places=6)] | None = Field(
        None, description="费率（0.02 即 2%）；不填用公司默认"
    )
    payer: Literal["buyer", "seller", "split", ""] = ""


class IntentIn(InputSchema):
    kind: Literal["intent", "earnest"] = Field(description="intent 意向金，earnest 定金")
    amount: Money
    holder: Literal["agency", "supervised"] = Field(description="公司账户或监管账户")
    sign_by: date = Field(description="签订正式合同的期限")
    if_buyer_walks: Literal["refund", "forfeit"]
    if_seller_walks: Literal["refund", "double"]
    signed_on: date
    receipt_number: str = Field("", max_length=40)
    receipt_on: date | None = None
    bank: str = Field("", max_length=60)
    reference: str = Field("", max_length=60)


class ReceiptIn(InputSchema):
    number: str = Field(min_length=1, max_length=40)
    on: date
    amount: Money


class CancelIn(InputSchema):
    reason: str = Field(min_length=1, max_length=300)


class OfferOut(Schema):
    id: int
    side: str
    side_label: str
    answers_id: int | None
    price: Decimal
    payment: str
    deposit: Decimal | None
    handover_on: date | None
    taxes_by: str
    items_included: str
    terms: str
    deposit_months: int | None
    pay_months: int | None
    term_months: int | None
    expires_at: datetime | None
    expired: bool
    created_at: datetime
    accepted_at: datetime | None
    gap: Decimal | None = Field(description="此报价后双方差价（元，卖方报价减买方报价）")
    gap_wan: Decimal | None
    gap_percent: Decimal | None = Field(description="差价占卖方报价的百分比")


class SplitOut(Schema):
    agent_id: int
    agent_name: str
    role: str
    role_label: str
    percent: Decimal
    amount: Decimal | None = Field(description="按当前成交价计算的佣金份额（元）")


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    by: str
    at: datetime
    reason: str


class LedgerEntryOut(Schema):
    id: int
    holder: str
    kind: str
    purpose: str
    amount: Decimal
    bank: str
    reference: str
    on: date


class IntentOut(Schema):
    kind: str
    amount: Decimal
    holder: str
    sign_by: date
    if_buyer_walks: str
    if_seller_walks: str
    signed_on: date


class ReceiptOut(Schema):
    id: int
    number: str
    on: date
    amount: Decimal


class CommissionOut(Schema):
    rate: Decimal
    payer: str
    company_terms: bool
    amount: Decimal | None


class DealOut(Schema):
    id: int
    number: str
    kind: str
    stage: str
    stage_label: str
    listing_id: int
    seller_id: int | None
    buyer_id: int
    agent_id: int
    price: Decimal | None
    accepted_offer_id: int | None
    cancel_reason: str
    created_at: datetime


class DealDetailOut(DealOut):
    offers: list[OfferOut]
    splits: list[SplitOut]
    commission: CommissionOut
    intent: IntentOut | None
    receipts: list[ReceiptOut]
    ledger: list[LedgerEntryOut]
    history: list[StageChangeOut]
