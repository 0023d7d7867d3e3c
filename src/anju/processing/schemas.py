"""Schemas of /api/v1/deals/{id}/milestones, …/escrow, …/handover, …/close, …/visits. Money in yuan
as strings with two decimals; dates ISO 8601."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from anju.core.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Money = Annotated[Decimal, Field(gt=0, le=Decimal("999999999999.99"), max_digits=14, decimal_places=2)]


class ProblemOut(Schema):
    id: int
    text: str
    owner_id: int
    owner_name: str
    due_on: date
    solved_on: date | None
    solution: str


class MilestoneOut(Schema):
    id: int
    position: int
    name: str
    responsible: str
    responsible_label: str
    agent_id: int | None
    agent_name: str
    days: int
    due_on: date
    done_on: date | None
    overdue: bool
    problems: list[ProblemOut]


class MilestonesOut(Schema):
    items: list[MilestoneOut]
    next_cursor: str | None = None
    calendar_note: str = Field("", description="计划日期所在年份的节假日未知时的说明（按周末推算）")
    progress_url: str = Field("", description="客户查看进度的链接（带签名，无需登录）")


class DoneIn(InputSchema):
    on: date | None = Field(None, description="完成日期，默认今天")


class PlanIn(InputSchema):
    payment: Literal["full", "commercial", "provident", "combination"]
    escrow: bool = True
    mortgage: bool = False


class ProblemIn(InputSchema):
    text: str = Field(min_length=1, max_length=300)
    owner_id: Id | None = Field(None, description="负责人，默认本人")
    due_on: date


class SolveIn(InputSchema):
    solution: str = Field(min_length=1, max_length=300)
    on: date | None = None


class EscrowIn(InputSchema):
    kind: Literal["deposit", "release", "refund", "convert"]
    amount: Money
    bank: str = Field("", max_length=60)
    reference: str = Field("", max_length=60)
    on: date
    holder: Literal["agency", "supervised"] = "supervised"
    note: str = Field("", max_length=200)


class EntryOut(Schema):
    id: int
    holder: str
    kind: str
    kind_label: str
    purpose: str
    amount: Decimal
    bank: str
    reference: str
    on: date
    note: str


class EscrowEntryOut(EntryOut):
    balance: Decimal = Field(description="该保管方登记后的余额")
    balances: dict[str, Decimal]


class EscrowOut(Schema):
    items: list[EntryOut]
    next_cursor: str | None = None
    balances: dict[str, Decimal]


class HandoverItemOut(Schema):
    id: int
    name: str
    reading: str
    amount_settled: Decimal | None
    account_transferred: bool
    done_on: date | None
    waived_reason: str
    open: bool


class HandoverOut(Schema):
    items: list[HandoverItemOut]
    next_cursor: str | None = None
    keys_count: int
    key_kinds: str
    buyer_confirmed: bool
    seller_confirmed: bool
    handed_over_on: date | None


class HandoverItemIn(InputSchema):
    reading: str = Field("", max_length=40)
    amount_settled: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    account_transferred: bool = False
    on: date | None = None


class WaiveIn(InputSchema):
    reason: str = Field(min_length=1, max_length=200)


class KeysIn(InputSchema):
    keys_count: int = Field(ge=0, le=99)
    key_kinds: str = Field("", max_length=120)
    buyer_confirmed: bool = False
    seller_confirmed: bool = False
    on: date | None = None


class ClosedOut(Schema):
    id: int
    number: str
    stage: str
    stage_label: str


class VisitOut(Schema):
    id: int
    days: int
    due_on: date
    agent_id: int
    done: bool
    satisfaction: int | None
    remarks: str
    problem: str
    problem_solved: bool


class VisitsOut(Schema):
    items: list[VisitOut]
    next_cursor: str | None = None


class VisitIn(InputSchema):
    satisfaction: int = Field(ge=1, le=5)
    remarks: str = Field("", max_length=300)
    problem: str = Field("", max_length=300)


class LoanIn(InputSchema):
    bank: str = Field(min_length=1, max_length=60)
    kind: Literal["commercial", "provident", "combination"]
    amount: Money
    rate: Decimal = Field(
        gt=0, lt=1, max_digits=8, decimal_places=6, description="年利率，小数：0.031 即 3.1%"
    )
    years: int = Field(ge=1, le=30)
    interview_at: datetime | None = Field(None, description="面签时间")
    approved_on: date | None = None
    disbursed_on: date | None = None


class PaperOut(Schema):
    id: int
    name: str
    received_on: date | None


class LoanOut(Schema):
    bank: str
    kind: str
    amount: Decimal
    rate: Decimal
    years: int
    monthly: Decimal | None
    interview_at: datetime | None
    approved_on: date | None
    disbursed_on: date | None
    papers: list[PaperOut]


class PaperIn(InputSchema):
    received_on: date | None = None


class TaxesIn(InputSchema):
    as_of: date = Field(description="预计过户日期")
    buyer_home_count: int = Field(1, ge=1, le=3)
    seller_years_held: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    seller_only_home: bool = False


class TaxItemOut(Schema):
    code: str
    name: str
    payer: str
    amount: Decimal
    rule: str
    rule_from: date


class TaxRecordOut(Schema):
    id: int
    as_of: date
    items: list[TaxItemOut]
    buyer_total: Decimal
    seller_total: Decimal
    computed_at: datetime


class TaxPaymentIn(InputSchema):
    side: Literal["buyer", "seller"]
    item: str = Field(min_length=1, max_length=60)
    amount: Money
    paid_on: date
    receipt: str = Field("", max_length=60)


class TaxPaymentOut(Schema):
    id: int
    side: str
    item: str
    amount: Decimal
    paid_on: date
    receipt: str


class TaxesOut(Schema):
    record: TaxRecordOut | None
    changes: list[str] = Field(description="按现行规则重新计算会有的变化（不保存）")
    payments: list[TaxPaymentOut]
