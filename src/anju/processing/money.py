"""Loan help (贷款协助) and the taxes kept with the deal (税费核算与缴纳)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError
from anju.core.formats import FEN
from anju.deals.models import Deal, Payment
from anju.finance.costs import Costs, Sale, transaction_costs
from anju.finance.mortgage import LoanPart, mortgage
from anju.finance.rules import rule_book
from anju.finance.selectors import company_rules_city
from anju.org.models import Agent
from anju.processing.models import BankPapers, Loan, LoanPaper, TaxPayment, TaxRecord

LOAN_KINDS = (Payment.COMMERCIAL, Payment.PROVIDENT, Payment.COMBINATION)
DEFAULT_PAPERS = (
    "身份证",
    "户口本",
    "婚姻证明",
    "收入证明",
    "银行流水（近 6 个月）",
    "首付款证明",
    "购房合同",
)


def bank_papers(company_id: int, bank: str) -> list[str]:
    """The company's checklist for ``bank``, or the usual papers when it has none."""
    row = BankPapers.objects.filter(company_id=company_id, bank=bank.strip()).first()
    if row is None:
        return list(DEFAULT_PAPERS)
    return [line.strip() for line in row.papers.splitlines() if line.strip()]


@transaction.atomic
def loan_set(
    *,
    deal: Deal,
    bank: str,
    kind: str,
    amount: Decimal,
    rate: Decimal,
    years: int,
    by: Agent,
    interview_at: dt.datetime | None = None,
    approved_on: dt.date | None = None,
    disbursed_on: dt.date | None = None,
) -> Loan:
    """Record the buyer's loan; the monthly payment is the mortgage calculator's (equal instalments),
    kept with the loan. The bank's papers checklist is made the first time the bank is named."""
    if kind not in LOAN_KINDS:
        raise ApplicationError(_("贷款类型应为商贷、公积金或组合贷。"), code="loan_kind_invalid")
    if not bank.strip():
        raise ApplicationError(_("请填写贷款银行。"), code="loan_bank_missing")
    if amount <= 0 or not (1 <= years <= 30) or not (0 < rate < 1):
        raise ApplicationError(_("贷款金额、年限（1–30 年）或利率不正确。"), code="loan_terms_invalid")
    part = LoanPart(
        kind="provident" if kind == Payment.PROVIDENT else "commercial",
        principal=amount,
        years=years,
        annual_rate_percent=rate * 100,
    )
    monthly: Decimal | None
    try:
        monthly = mortgage([part], rule_book(), as_of=timezone.localdate()).first_payment.quantize(FEN)
    except ApplicationError:
        monthly = None
    loan = Loan.objects.filter(deal_id=deal.pk).first()
    new_bank = loan is None or loan.bank != bank.strip()
    values: dict[str, Any] = {
        "bank": bank.strip()[:60],
        "kind": kind,
        "amount": amount,
        "rate": rate,
        "years": years,
        "monthly": monthly,
        "interview_at": interview_at,
        "approved_on": approved_on,
        "disbursed_on": disbursed_on,
    }
    loan, _created = Loan.objects.update_or_create(deal=deal, defaults=values)
    if new_bank:
        loan.papers.all().delete()
        LoanPaper.objects.bulk_create(
            LoanPaper(loan=loan, position=index + 1, name=name)
            for index, name in enumerate(bank_papers(deal.company_id, bank))
        )
    return loan


@transaction.atomic
def loan_paper_received(*, paper: LoanPaper, received_on: dt.date | None, by: Agent) -> LoanPaper:
    paper.received_on = received_on
    paper.save(update_fields=["received_on"])
    return paper


# --- taxes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxFacts:
    """The deal's facts the calculation needs beyond its price and area."""

    buyer_home_count: int = 1
    seller_years_held: Decimal | None = None
    seller_only_home: bool = False


def _costs(deal: Deal, as_of: dt.date, facts: TaxFacts) -> Costs:
    if deal.price is None:
        raise ApplicationError(_("交易还没有成交价，不能核算税费。"), code="taxes_no_price")
    sale = Sale(
        city=company_rules_city(deal.company),
        price=deal.price,
        area=deal.listing.area,
        as_of=as_of,
        buyer_home_count=facts.buyer_home_count,
        seller_years_held=facts.seller_years_held,
        seller_only_home=facts.seller_only_home,
    )
    return transaction_costs(sale, rule_book(), advise=False)


def _items(costs: Costs) -> list[dict[str, Any]]:
    return [
        {
            "code": item.code,
            "name": item.name,
            "payer": item.payer,
            "amount": f"{item.amount:.2f}",
            "rule": item.rule.id,
            "rule_from": item.rule.effective_from.isoformat(),
        }
        for item in costs.items
    ]


@transaction.atomic
def taxes_compute(*, deal: Deal, as_of: dt.date, facts: TaxFacts, by: Agent) -> TaxRecord:
    """Calculate the costs as of the expected transfer date and keep them, with the rules used."""
    costs = _costs(deal, as_of, facts)
    return TaxRecord.objects.create(
        deal=deal,
        as_of=as_of,
        facts={
            "buyer_home_count": facts.buyer_home_count,
            "seller_years_held": None if facts.seller_years_held is None else str(facts.seller_years_held),
            "seller_only_home": facts.seller_only_home,
        },
        items=_items(costs),
        buyer_total=costs.totals.buyer,
        seller_total=costs.totals.seller,
        by=by,
    )


def tax_facts(record: TaxRecord) -> TaxFacts:
    """The facts a kept calculation was made with (a recompute uses them again)."""
    return TaxFacts(
        buyer_home_count=record.facts.get("buyer_home_count", 1),
        seller_years_held=None
        if record.facts.get("seller_years_held") is None
        else Decimal(record.facts["seller_years_held"]),
        seller_only_home=record.facts.get("seller_only_home", False),
    )


def taxes_recompute(record: TaxRecord) -> list[str]:
    """What today's rules would change in the kept calculation, item by item, in Chinese (nothing
    is written: keeping the new figures is ``taxes_compute`` again)."""
    fresh = {item["code"]: item for item in _items(_costs(record.deal, record.as_of, tax_facts(record)))}
    kept = {item["code"]: item for item in record.items}
    changes = []
    for code in sorted(kept.keys() | fresh.keys()):
        old, new = kept.get(code), fresh.get(code)
        if old is None and new is not None:
            changes.append(_("新增 %(name)s %(amount)s 元（规则 %(rule)s）") % {**new})
        elif new is None and old is not None:
            changes.append(_("不再收取 %(name)s（原 %(amount)s 元）") % {**old})
        elif (
            old is not None
            and new is not None
            and (old["amount"], old["rule"]) != (new["amount"], new["rule"])
        ):
            changes.append(
                _("%(name)s：%(old)s 元 → %(new)s 元（规则 %(old_rule)s → %(new_rule)s）")
                % {
                    "name": new["name"],
                    "old": old["amount"],
                    "new": new["amount"],
                    "old_rule": old["rule"],
                    "new_rule": new["rule"],
                }
            )
    return changes


@transaction.atomic
def tax_payment_record(
    *, deal: Deal, side: str, item: str, amount: Decimal, paid_on: dt.date, receipt: str, by: Agent
) -> TaxPayment:
    if side not in ("buyer", "seller"):
        raise ApplicationError(_("缴纳方应为买方或卖方。"), code="tax_payment_side_invalid")
    if amount <= 0 or amount != amount.quantize(FEN):
        raise ApplicationError(_("金额必须大于 0，最多两位小数。"), code="tax_payment_amount_invalid")
    return TaxPayment.objects.create(
        deal=deal,
        side=side,
        item=item.strip()[:60],
        amount=amount,
        paid_on=paid_on,
        receipt=receipt.strip()[:60],
        by=by,
    )
