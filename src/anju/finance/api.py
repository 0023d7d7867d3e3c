"""/api/v1/finance — transaction costs, mortgages and affordability by the rules in force.

Any signed-in agent may calculate; nothing is stored. Each answer cites the rule versions it used
(id, name, source, dates, whether verified). A city without rules is a 400 listing the cities that
have them; impossible figures are a 422 in Chinese; unusable rule files a 503 naming the problems.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from anju.core.schemas import ERRORS, ErrorOut
from anju.finance.affordability import Affordability, Means, affordability
from anju.finance.costs import Costs, Sale, transaction_costs
from anju.finance.mortgage import LoanPart, Mortgage, PartResult, Row, mortgage
from anju.finance.rules import RuleRef, rule_book
from anju.finance.schemas import (
    AffordabilityIn,
    AffordabilityOut,
    MortgageIn,
    MortgageOut,
    TransactionCostsIn,
    TransactionCostsOut,
)
from anju.finance.xlsx import XLSX_TYPE, schedule_workbook
from anju.org.scoping import agent_of

router = Router(tags=["税费与房贷"])
RESPONSES = {**ERRORS, 503: ErrorOut}


def fen(amount: Decimal) -> str:
    return f"{amount:.2f}"


def fraction(rate: Decimal) -> str:
    return f"{rate.normalize():f}"


def rule_out(ref: RuleRef) -> dict:
    return {
        "id": ref.id,
        "name": ref.name,
        "source": ref.source,
        "effective_from": ref.effective_from,
        "effective_to": ref.effective_to,
        "verified": ref.verified,
        "note": ref.note,
    }


def costs_out(costs: Costs) -> dict:
    return {
        "city": costs.city,
        "as_of": costs.sale.as_of,
        "items": [
            {
                "code": item.code,
                "name": item.name,
                "payer": item.payer,
                "base": None if item.base is None else fen(item.base),
                "rate": None if item.rate is None else fraction(item.rate),
                "amount": fen(item.amount),
                "reason": item.reason,
                "notes": list(item.notes),
                "rule": rule_out(item.rule),
                "rules": [rule_out(r) for r in item.rules],
                "verified": item.verified,
            }
            for item in costs.items
        ],
        "totals": {
            "buyer": fen(costs.totals.buyer),
            "seller": fen(costs.totals.seller),
            "total": fen(costs.totals.total),
        },
        "notes": list(costs.notes),
    }


def _rows(rows: tuple[Row, ...]) -> list[dict]:
    return [
        {
            "month": r.month,
            "payment": fen(r.payment),
            "principal": fen(r.principal),
            "interest": fen(r.interest),
            "balance": fen(r.balance),
        }
        for r in rows
    ]


def _part_out(part: PartResult) -> dict:
    return {
        "kind": part.part.kind,
        "method": part.part.method,
        "label": part.label,
        "principal": fen(part.part.principal),
        "years": part.part.years,
        "months": part.months,
        "annual_rate_percent": fraction(part.rate.annual * 100),
        "rate_text": part.rate.text,
        "rule": None if part.rate.rule is None else rule_out(part.rate.rule),
        "first_payment": fen(part.first_payment),
        "last_payment": fen(part.last_payment),
        "total_interest": fen(part.total_interest),
        "total_paid": fen(part.total_paid),
        "schedule": _rows(part.schedule),
    }


def mortgage_out(result: Mortgage) -> dict:
    return {
        "as_of": result.as_of,
        "principal": fen(result.principal),
        "first_payment": fen(result.first_payment),
        "last_payment": fen(result.last_payment),
        "total_interest": fen(result.total_interest),
        "total_paid": fen(result.total_paid),
        "rounding": result.rounding,
        "notes": list(result.notes),
        "parts": [_part_out(p) for p in result.parts],
        "schedule": _rows(result.schedule),
    }


def affordability_out(result: Affordability, as_of: dt.date) -> dict:
    return {
        "as_of": as_of,
        "max_price": fen(result.max_price),
        "limited_by": result.limited_by,
        "down_payment": fen(result.down_payment),
        "loan": fen(result.loan),
        "monthly_payment": fen(result.monthly_payment),
        "payment_share": fraction(result.payment_share),
        "estimated_costs": fen(result.estimated_costs),
        "min_down_ratio": fraction(result.min_down_ratio),
        "annual_rate_percent": fraction(result.annual_rate * 100),
        "rate_text": result.rate_text,
        "max_debt_ratio": fraction(result.max_debt_ratio),
        "sentence": result.sentence,
        "assumptions": list(result.assumptions),
        "rules": [rule_out(r) for r in result.rules],
    }


def _as_of(value: dt.date | None) -> dt.date:
    return value or timezone.localdate()


def sale_from(data: TransactionCostsIn) -> Sale:
    return Sale(
        city=data.city,
        price=data.price,
        area=data.area,
        as_of=_as_of(data.as_of),
        district_type=data.district_type,
        property_type=data.property_type,
        buyer_home_count=data.buyer_home_count,
        seller_acquired_on=data.seller_acquired_on,
        seller_years_held=data.seller_years_held,
        seller_original_price=data.seller_original_price,
        seller_only_home=data.seller_only_home,
        commission_rate=data.commission_rate,
        commission_payer=data.commission_payer,
    )


def _mortgage(data: MortgageIn) -> Mortgage:
    parts = [LoanPart(**part.model_dump()) for part in data.parts]
    return mortgage(parts, rule_book(), as_of=_as_of(data.as_of))


@router.post("/transaction-costs", response={200: TransactionCostsOut, **RESPONSES}, summary="交易税费")
def transaction_costs_endpoint(request: HttpRequest, data: TransactionCostsIn) -> dict:
    """Every tax and fee of a second-hand home sale, who pays it and why, by the rules in force on ``as_of``."""
    agent_of(request.user)
    return costs_out(transaction_costs(sale_from(data), rule_book()))


@router.post("/mortgage", response={200: MortgageOut, **RESPONSES}, summary="房贷月供与还款计划")
def mortgage_endpoint(request: HttpRequest, data: MortgageIn) -> dict:
    """Monthly payments and the month-by-month schedule; a combination loan is one part per kind."""
    agent_of(request.user)
    return mortgage_out(_mortgage(data))


@router.post(
    "/mortgage.xlsx",
    response=RESPONSES,
    summary="还款计划 Excel",
    openapi_extra={
        "responses": {
            200: {
                "description": "还款计划（概要、逐月明细；组合贷另有每笔的明细）",
                "content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def mortgage_xlsx_endpoint(request: HttpRequest, data: MortgageIn) -> HttpResponse:
    """The same calculation as ``/mortgage``, as a workbook to download."""
    agent_of(request.user)
    response = HttpResponse(schedule_workbook(_mortgage(data)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_('还款计划') + '.xlsx')}"
    return response


@router.post("/affordability", response={200: AffordabilityOut, **RESPONSES}, summary="购买力")
def affordability_endpoint(request: HttpRequest, data: AffordabilityIn) -> dict:
    """The highest price the cash and income carry, with the loan, the payment and its share of income."""
    agent_of(request.user)
    as_of = _as_of(data.as_of)
    means = Means(
        city=data.city,
        cash=data.cash,
        monthly_income=data.monthly_income,
        monthly_debts=data.monthly_debts,
        home_count=1 if data.first_home else 2,
        years=data.years,
        annual_rate_percent=data.annual_rate_percent,
        lpr_spread_bp=data.lpr_spread_bp,
        max_debt_ratio=data.max_debt_ratio,
        as_of=as_of,
    )
    return affordability_out(affordability(means, rule_book()), as_of)
