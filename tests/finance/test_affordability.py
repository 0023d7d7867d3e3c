"""Affordability: the lower of what the cash and what the income carry, with the buyer's taxes left aside."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anju.finance.affordability import Means, affordability
from anju.finance.costs import InvalidInput, Sale, transaction_costs
from anju.finance.mortgage import equal_installment_payment

D = Decimal
ON = dt.date(2026, 1, 5)


def means(**changes) -> Means:
    facts = {"city": "武汉", "cash": D("900000"), "monthly_income": D("30000"), "as_of": ON}
    return Means(**{**facts, **changes})


def test_the_income_limits_a_buyer_with_plenty_of_cash(book):
    # when
    result = affordability(means(), book)
    # then: the payment takes half the income, at the 5-year LPR (3.5%) over 30 years
    assert result.limited_by == "income"
    assert result.monthly_payment == D("15000.00")
    assert result.payment_share == D("0.5000")
    assert result.annual_rate == D("0.035")
    # 15,000 a month carries a loan of 15,000 / 4,490.4469 × 1,000,000 = 3,340,424.27; the cash pays the
    # rest and 3% of the price (deed tax 1%, commission 2%) plus 80: (900,000 − 80 + 3,340,424.27) / 1.03
    assert result.max_price == 4116839
    assert result.sentence == "按您的首付和月供，可承受总价约411.7万"
    # the cash pays the rest of the price and the buyer's taxes and fees
    assert result.down_payment + result.loan == result.max_price
    assert result.down_payment + result.estimated_costs <= D("900000")
    assert D("900000") - result.down_payment - result.estimated_costs < 5


def test_the_cash_limits_a_buyer_with_a_high_income(book):
    # when
    result = affordability(means(cash=D("300000"), monthly_income=D("100000")), book)
    # then: 15% down plus deed tax 1%, registration 80 and commission 2%
    assert result.limited_by == "cash"
    assert result.min_down_ratio == D("0.15")
    assert result.max_price == int((D("300000") - 80) / D("0.18"))
    assert result.down_payment >= result.max_price * D("0.15")


def test_the_estimated_costs_are_what_the_cost_calculator_charges_the_buyer(book):
    # given
    result = affordability(means(cash=D("300000"), monthly_income=D("100000")), book)
    # when
    costs = transaction_costs(
        Sale(city="武汉", price=result.max_price, area=D("90"), as_of=ON, seller_years_held=D(3)), book
    )
    # then
    assert abs(costs.totals.buyer - result.estimated_costs) <= D("0.01")


def test_other_debts_reduce_what_the_income_carries(book):
    free = affordability(means(), book)
    indebted = affordability(means(monthly_debts=D("5000")), book)
    assert indebted.monthly_payment == D("10000.00")
    assert indebted.max_price < free.max_price


def test_a_second_home_in_shanghai_needs_a_quarter_down(book):
    result = affordability(
        means(city="上海", home_count=2, cash=D("300000"), monthly_income=D("100000")), book
    )
    assert result.min_down_ratio == D("0.25")
    assert result.limited_by == "cash"


def test_the_monthly_payment_matches_the_loan(book):
    result = affordability(means(), book)
    assert result.monthly_payment == equal_installment_payment(result.loan, D("0.035"), 360).quantize(
        D("0.01")
    )


def test_cash_that_does_not_cover_the_fees_buys_nothing(book):
    result = affordability(means(cash=D("50"), monthly_income=D("1000")), book)
    assert result.max_price == 0
    assert result.sentence == "按您的首付资金，扣除税费后暂不足以购房。"


def test_the_assumptions_are_stated(book):
    result = affordability(means(), book)
    assert "月供加其他负债不超过月收入的50%" in result.assumptions
    assert {ref.id for ref in result.rules} >= {"down_payment.2024-09", "lpr.2025-05-20", "deed_tax.2024-12"}


def test_no_income_is_refused(book):
    with pytest.raises(InvalidInput, match="月收入必须大于 0"):
        affordability(means(monthly_income=D(0)), book)
