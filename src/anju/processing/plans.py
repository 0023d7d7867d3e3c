"""The default milestone plans and handover items, used until a company edits its own (the
templates are copied into the company's tables the first time a deal of the company needs them)."""

from __future__ import annotations

from dataclasses import dataclass

from anju.processing.models import Party, PaymentWhen


@dataclass(frozen=True)
class Step:
    name: str
    days: int  # working days after the previous step (the first: after the signing)
    responsible: str
    deal_kind: str = ""
    payment: str = PaymentWhen.ANY
    escrow: bool | None = None
    mortgage: bool | None = None


SALE, LEASE = "sale", "lease"

DEFAULT_STEPS: tuple[Step, ...] = (
    Step("资料准备", 2, Party.AGENT),
    Step("网签备案", 3, Party.SPECIALIST, deal_kind=SALE),
    Step("资金监管入账", 3, Party.BUYER, deal_kind=SALE, escrow=True),
    Step("贷款申请", 3, Party.SPECIALIST, deal_kind=SALE, payment=PaymentWhen.LOAN),
    Step("银行面签", 5, Party.BUYER, deal_kind=SALE, payment=PaymentWhen.LOAN),
    Step("贷款审批", 15, Party.SPECIALIST, deal_kind=SALE, payment=PaymentWhen.LOAN),
    Step("解押", 10, Party.SELLER, deal_kind=SALE, mortgage=True),
    Step("税费核定与缴纳", 3, Party.SPECIALIST, deal_kind=SALE),
    Step("过户：资料提交", 2, Party.SPECIALIST, deal_kind=SALE),
    Step("过户：审核", 3, Party.SPECIALIST, deal_kind=SALE),
    Step("过户：缴费", 1, Party.BUYER, deal_kind=SALE),
    Step("过户：领证", 5, Party.SPECIALIST, deal_kind=SALE),
    Step("放款", 5, Party.SPECIALIST, deal_kind=SALE, payment=PaymentWhen.LOAN),
    Step("资金监管划转", 2, Party.SPECIALIST, deal_kind=SALE, escrow=True),
    Step("租赁备案", 5, Party.AGENT, deal_kind=LEASE),
    Step("物业交割", 3, Party.AGENT),
)

DEFAULT_HANDOVER: tuple[str, ...] = ("水", "电", "燃气", "物业费", "供暖", "宽带")
