"""Schemas of /api/v1/deals/{id}/milestones, …/escrow, …/handover, …/close, …/visits. Money in yuan
as strings with two decimals; dates ISO 8601."""

from __future__ import annotations

from datetime import date
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
