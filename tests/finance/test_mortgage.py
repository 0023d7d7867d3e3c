"""Mortgages: the check values to the fen, rates from the rate file, combination loans, and schedules that add up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from anju.finance.costs import InvalidInput
from anju.finance.mortgage import (
    COMMERCIAL,
    EQUAL_INSTALLMENT,
    EQUAL_PRINCIPAL,
    PROVIDENT,
    LoanPart,
    mortgage,
    round_to_total,
)
from anju.finance.rules import rule_book
from anju.finance.xlsx import schedule_workbook

D = Decimal
ON = dt.date(2026, 1, 5)


def loan(method: str, **changes) -> LoanPart:
    facts = {
        "kind": COMMERCIAL,
        "principal": D("1000000"),
        "years": 30,
        "method": method,
        "annual_rate_percent": D("3.5"),
    }
    return LoanPart(**{**facts, **changes})


def test_equal_installments_check_values(book):
    # when
    result = mortgage([loan(EQUAL_INSTALLMENT)], book, as_of=ON)
    # then
    assert result.first_payment == D("4490.45")
    assert result.total_interest == D("616560.88")  # 4,490.4469 × 360 − 1,000,000, rounded once
    assert result.total_paid == D("1616560.88")
    assert len(result.schedule) == 360
    assert {row.payment for row in result.schedule[:-1]} == {D("4490.45")}
    assert result.last_payment == D("4489.33")  # the bank's last-payment adjustment
    assert result.schedule[0].interest == D("2916.67")
    assert result.schedule[-1].balance == D("0.00")


def test_equal_principal_check_values(book):
    # when
    result = mortgage([loan(EQUAL_PRINCIPAL)], book, as_of=ON)
    # then
    assert result.first_payment == D("5694.44")
    assert result.schedule[0].payment - result.schedule[1].payment == D("8.10")
    assert result.total_interest == D("526458.33")
    assert result.schedule[-1].balance == D("0.00")


def test_the_rounding_convention_is_stated(book):
    result = mortgage([loan(EQUAL_INSTALLMENT)], book, as_of=ON)
    assert "最后一期调整尾差" in result.rounding
    assert "未取整的月供 × 期数 − 本金" in result.rounding


def test_lpr_with_a_spread_uses_the_five_year_lpr_for_long_loans(book):
    # when
    long = mortgage([loan(EQUAL_INSTALLMENT, annual_rate_percent=None, lpr_spread_bp=-45)], book, as_of=ON)
    short = mortgage(
        [loan(EQUAL_INSTALLMENT, annual_rate_percent=None, lpr_spread_bp=0, years=5)], book, as_of=ON
    )
    # then
    assert long.parts[0].rate.annual == D("0.0305")
    assert long.parts[0].rate.text == "5年期以上LPR 3.5%（2025年5月20日报价）−45个基点 = 3.05%"
    assert long.parts[0].rate.rule.id == "lpr.2025-05-20"
    assert short.parts[0].rate.annual == D("0.03")


def test_the_lpr_in_force_on_the_day_is_used(book):
    earlier = mortgage(
        [loan(EQUAL_INSTALLMENT, annual_rate_percent=None, lpr_spread_bp=0)], book, as_of=dt.date(2025, 5, 19)
    )
    assert earlier.parts[0].rate.annual == D("0.036")


def test_an_lpr_past_its_checked_date_is_flagged(book):
    result = mortgage(
        [loan(EQUAL_INSTALLMENT, annual_rate_percent=None, lpr_spread_bp=0)], book, as_of=dt.date(2026, 9, 1)
    )
    assert not result.parts[0].rate.rule.verified
    assert result.notes[0].startswith(
        "商业贷款·等额本息所用的“贷款市场报价利率（LPR）”未经核实：2026年7月以后"
    )


def test_provident_fund_rate_by_term_and_home(book):
    def rate(**changes) -> Decimal:
        part = loan(EQUAL_INSTALLMENT, kind=PROVIDENT, annual_rate_percent=None, **changes)
        return mortgage([part], book, as_of=ON).parts[0].rate.annual

    assert rate() == D("0.026")
    assert rate(years=5) == D("0.021")
    assert rate(first_home=False) == D("0.03075")


def test_a_combination_loan_adds_its_parts_month_by_month(book):
    # given
    commercial = loan(EQUAL_INSTALLMENT, principal=D("1000000"))
    provident = loan(
        EQUAL_PRINCIPAL, kind=PROVIDENT, principal=D("600000"), years=20, annual_rate_percent=None
    )
    # when
    result = mortgage([commercial, provident], book, as_of=ON)
    # then
    first, second = result.parts
    assert len(result.schedule) == 360
    assert result.schedule[0].payment == first.schedule[0].payment + second.schedule[0].payment
    assert result.schedule[239].balance == first.schedule[239].balance
    assert result.schedule[240].payment == first.schedule[240].payment
    assert result.total_interest == first.total_interest + second.total_interest
    assert result.principal == D("1600000")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"years": 0}, "贷款年限应为 1～30 年。"),
        ({"years": 50}, "贷款年限应为 1～30 年。"),
        ({"annual_rate_percent": None}, "商业贷款请填写年利率"),
        ({"annual_rate_percent": D("30")}, "年利率应在 0%～24% 之间。"),
        ({"kind": PROVIDENT, "annual_rate_percent": None, "lpr_spread_bp": 10}, "公积金贷款不按 LPR 定价"),
    ],
)
def test_impossible_loans_are_refused_in_chinese(book, changes, message):
    with pytest.raises(InvalidInput, match=message):
        mortgage([loan(EQUAL_INSTALLMENT, **changes)], book, as_of=ON)


def test_a_zero_rate_repays_the_principal_only(book):
    result = mortgage(
        [loan(EQUAL_PRINCIPAL, principal=D("1000"), years=1, annual_rate_percent=D(0))], book, as_of=ON
    )
    assert result.total_interest == D("0.00")
    assert [r.payment for r in result.schedule] == [D("83.34")] * 4 + [D("83.33")] * 8


def test_round_to_total_keeps_a_falling_sequence_falling():
    # given: values that all round down, so the total needs four more fen
    exact = [D("1.004")] * 10
    # when
    rounded = round_to_total(exact, D("10.04"))
    # then
    assert sum(rounded) == D("10.04")
    assert rounded == [D("1.01")] * 4 + [D("1.00")] * 6


loans = st.builds(
    LoanPart,
    kind=st.just(COMMERCIAL),
    principal=st.decimals(min_value=D("10000"), max_value=D("50000000"), places=2),
    years=st.integers(min_value=1, max_value=30),
    method=st.sampled_from([EQUAL_INSTALLMENT, EQUAL_PRINCIPAL]),
    annual_rate_percent=st.decimals(min_value=D("0"), max_value=D("12"), places=3),
)


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(loans, min_size=1, max_size=2))
def test_schedules_add_up_exactly(parts):
    # when
    result = mortgage(parts, rule_book(), as_of=ON)
    # then: every row adds up, the principal is repaid to the fen, and the totals are the rows' sums
    for row in result.schedule:
        assert row.payment == row.principal + row.interest
    assert sum(r.principal for r in result.schedule) == result.principal
    assert sum(r.interest for r in result.schedule) == result.total_interest
    assert (
        sum(r.payment for r in result.schedule)
        == result.total_paid
        == result.principal + result.total_interest
    )
    assert result.schedule[-1].balance == D("0.00")
    for part in result.parts:
        assert sum(r.principal for r in part.schedule) == part.part.principal
        assert sum(r.interest for r in part.schedule) == part.total_interest
        assert all(r.balance >= 0 for r in part.schedule)


@settings(max_examples=60, deadline=None)
@given(part=loans.map(lambda p: LoanPart(**{**p.__dict__, "method": EQUAL_PRINCIPAL})))
def test_equal_principal_payments_never_rise(part):
    payments = [r.payment for r in mortgage([part], rule_book(), as_of=ON).schedule]
    assert all(later <= earlier for earlier, later in pairwise(payments))


def test_the_schedule_downloads_as_a_workbook(book):
    # given
    result = mortgage(
        [
            loan(EQUAL_INSTALLMENT),
            loan(EQUAL_PRINCIPAL, kind=PROVIDENT, principal=D("500000"), annual_rate_percent=None),
        ],
        book,
        as_of=ON,
    )
    # when
    workbook = load_workbook(BytesIO(schedule_workbook(result)))
    # then
    assert workbook.sheetnames == ["概要", "还款计划", "1-商业贷款·等额本息", "2-公积金贷款·等额本金"]
    rows = list(workbook["还款计划"].iter_rows(values_only=True))
    assert rows[0] == ("期数", "月供（元）", "本金（元）", "利息（元）", "剩余本金（元）")
    assert len(rows) == 361
    assert rows[1][1] == float(result.schedule[0].payment)
    assert rows[-1][4] == 0
    assert workbook["1-商业贷款·等额本息"]["B2"].value == 4490.45
