"""Transaction costs by the rules in force: the worked example to the fen, the dated VAT switch, advice on waiting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from anju.finance.costs import InvalidInput, Sale, transaction_costs
from anju.finance.rules import UnknownCity

D = Decimal
IN_2026 = dt.date(2026, 3, 1)


def sale(**changes: Any) -> Sale:
    """The worked example of the policy facts: 3,000,000 yuan, 100 ㎡, the buyer's only home, a city district."""
    facts: dict[str, Any] = {
        "city": "武汉",
        "price": D("3000000"),
        "area": D("100"),
        "as_of": IN_2026,
        "district_type": "city",
        "buyer_home_count": 1,
        "seller_years_held": D("1.5"),
    }
    return Sale(**{**facts, **changes})


def amounts(costs) -> dict[str, Decimal]:
    return {item.code: item.amount for item in costs.items}


def test_the_worked_example_holds_to_the_fen(book):
    # when
    costs = transaction_costs(sale(), book)
    # then
    assert amounts(costs) == {
        "deed_tax": D("29126.21"),
        "vat": D("87378.64"),
        "vat_surcharges": D("5242.72"),
        "income_tax": D("29126.21"),
        "registration_fee": D("80.00"),
        "commission": D("60000.00"),
    }
    vat = costs.item("vat")
    assert (vat.base, vat.rate, vat.payer) == (D("2912621.36"), D("0.03"), "seller")
    assert costs.item("vat_surcharges").rate == D("0.06")
    assert costs.item("deed_tax").base == D("2912621.36")
    # the buyer pays deed tax, registration and (by the default rule) the commission
    assert costs.totals.buyer == D("29126.21") + D("80.00") + D("60000.00")
    assert costs.totals.seller == D("87378.64") + D("5242.72") + D("29126.21")


def test_after_two_years_there_is_no_vat_and_the_taxes_are_on_the_full_price(book):
    # when
    costs = transaction_costs(sale(seller_years_held=D("2")), book)
    # then
    assert amounts(costs) | {"commission": None} == {
        "deed_tax": D("30000.00"),
        "vat": D("0.00"),
        "vat_surcharges": D("0.00"),
        "income_tax": D("30000.00"),
        "registration_fee": D("80.00"),
        "commission": None,
    }
    assert costs.item("vat").reason == "满二年，免征增值税"
    assert costs.item("vat_surcharges").reason == "不缴增值税，附加税费为 0"


def test_five_years_and_the_sellers_only_home_pay_no_income_tax(book):
    # when
    costs = transaction_costs(sale(seller_years_held=D("5"), seller_only_home=True), book)
    # then
    income = costs.item("income_tax")
    assert income.amount == D("0.00")
    assert income.reason == "满五年且为卖方家庭唯一住房（满五唯一），免征个人所得税"
    # held as long, but not the seller's only home: taxed
    assert transaction_costs(sale(seller_years_held=D("5")), book).item("income_tax").amount == D("30000.00")


def test_the_same_sale_pays_more_vat_on_the_last_day_of_2025_than_after_new_year(book):
    # given: held a year, by the date it was bought
    bought = {"seller_years_held": None, "seller_acquired_on": dt.date(2025, 1, 2)}
    # when
    old = transaction_costs(sale(as_of=dt.date(2025, 12, 31), **bought), book)
    new = transaction_costs(sale(as_of=dt.date(2026, 1, 2), **bought), book)
    # then
    assert (old.item("vat").rate, old.item("vat").amount) == (D("0.05"), D("142857.14"))
    assert (new.item("vat").rate, new.item("vat").amount) == (D("0.03"), D("87378.64"))
    assert old.item("vat").rule.id == "vat.2024-12"
    assert new.item("vat").rule.id == "vat.2026-01"
    assert new.item("vat").rule.source == "财政部 税务总局公告2025年第17号（2025年12月30日）"


def test_deed_tax_follows_the_buyers_homes_and_the_area(book):
    def deed(**changes: Any) -> tuple[Decimal | None, Decimal]:
        item = transaction_costs(sale(seller_years_held=D(3), **changes), book).item("deed_tax")
        return item.rate, item.amount

    assert deed() == (D("0.01"), D("30000.00"))
    assert deed(area=D("140")) == (D("0.01"), D("30000.00"))
    assert deed(area=D("140.01")) == (D("0.015"), D("45000.00"))
    assert deed(buyer_home_count=2, area=D("150")) == (D("0.02"), D("60000.00"))
    assert deed(buyer_home_count=3) == (D("0.03"), D("90000.00"))
    assert deed(property_type="non_residential") == (D("0.03"), D("90000.00"))


def test_surcharges_follow_the_district_type(book):
    # when
    county = transaction_costs(sale(district_type="county"), book).item("vat_surcharges")
    other = transaction_costs(sale(district_type="other"), book).item("vat_surcharges")
    # then: (5% + 3% + 2%) and (1% + 3% + 2%), halved
    assert (county.rate, county.amount) == (D("0.05"), D("4368.93"))
    assert (other.rate, other.amount) == (D("0.03"), D("2621.36"))


def test_with_the_original_price_both_income_tax_methods_are_shown_and_the_citys_is_used(book):
    # when
    costs = transaction_costs(sale(seller_years_held=D(3), seller_original_price=D("2500000")), book)
    # then: Wuhan taxes 20% of the gain when the original price is proven
    income = costs.item("income_tax")
    assert (income.base, income.rate, income.amount) == (D("500000.00"), D("0.2"), D("100000.00"))
    assert income.reason == "提供原值凭证时，武汉按差额的20%征收"
    assert income.notes[1] == "另一算法：按核定征收1%计：30,000.00元"
    assert income.notes[0].startswith(
        "按差额20%计：(成交价 3,000,000.00 − 原值 2,500,000.00 − 附加税费 0.00) × 20%"
    )


def test_a_loss_pays_no_income_tax_by_the_gain(book):
    costs = transaction_costs(sale(seller_years_held=D(3), seller_original_price=D("3500000")), book)
    assert (costs.item("income_tax").base, costs.item("income_tax").amount) == (D("0.00"), D("0.00"))


def test_commission_by_rate_and_payer_split_half_each(book):
    # when
    costs = transaction_costs(sale(commission_rate=D("0.027"), commission_payer="split"), book)
    # then
    commission = costs.item("commission")
    assert (commission.amount, commission.payer) == (D("81000.00"), "split")
    assert costs.totals.buyer == D("29126.21") + D("80.00") + D("40500.00")
    assert costs.totals.seller == D("87378.64") + D("5242.72") + D("29126.21") + D("40500.00")


def test_an_odd_fen_of_split_commission_goes_to_the_buyer(book):
    costs = transaction_costs(
        sale(price=D("1000000.50"), commission_rate=D("0.01"), commission_payer="split"), book
    )
    buyer_share = costs.totals.buyer - costs.item("deed_tax").amount - costs.item("registration_fee").amount
    assert costs.item("commission").amount == D("10000.01")
    assert buyer_share == D("5000.01")


def test_every_item_says_which_rule_it_used(book):
    costs = transaction_costs(sale(), book)
    for item in costs.items:
        assert item.rule.source
        assert item.rule.effective_from <= IN_2026
    assert costs.item("vat_surcharges").rules[1].id == "vat_surcharges_relief.2023"


def test_unverified_rules_say_so_in_the_result(book):
    # when
    costs = transaction_costs(sale(), book)
    # then
    relief = costs.item("vat_surcharges").rules[1]
    assert not relief.verified
    assert not costs.item("vat_surcharges").verified
    assert (
        "增值税附加所用规则“六税两费减半征收”未经核实：个人出售住房适用减半征收是通行做法，各城市的执行情况未核实。结果仅供参考。"
        in costs.notes
    )
    # the VAT rule was checked
    assert costs.item("vat").rule.verified


def test_a_seller_close_to_two_years_is_told_what_waiting_saves(book):
    # given: bought on 2024-04-17, 47 days short of two years on 2026-03-01
    close = sale(seller_years_held=None, seller_acquired_on=dt.date(2024, 4, 17))
    # when
    costs = transaction_costs(close, book)
    # then: VAT 87,378.64 + surcharges 5,242.72 saved; deed tax and income tax then on the full price
    assert costs.notes[0] == (
        "再持有47天满二年，可免增值税及附加约92,621元；届时契税、个人所得税随之增加约1,748元"
    )


def test_a_seller_close_to_five_years_of_an_only_home_is_told_the_income_tax_saving(book):
    close = sale(seller_years_held=None, seller_acquired_on=dt.date(2021, 5, 1), seller_only_home=True)
    assert transaction_costs(close, book).notes[0] == "再持有61天满五年，可免个人所得税约30,000元"


def test_no_advice_far_from_the_threshold(book):
    far = sale(seller_years_held=None, seller_acquired_on=dt.date(2025, 6, 1))
    close = sale(seller_years_held=None, seller_acquired_on=dt.date(2024, 4, 17))
    assert not any(n.startswith("再持有") for n in transaction_costs(far, book).notes)
    assert any(n.startswith("再持有") for n in transaction_costs(close, book).notes)  # near it, advised


def test_an_unknown_holding_is_taken_as_under_two_years_and_said(book):
    costs = transaction_costs(sale(seller_years_held=None), book)
    assert costs.item("vat").amount == D("87378.64")
    assert "未提供卖方取得日期或持有年限，按未满二年计算。" in costs.notes


def test_a_city_without_rules_is_refused(book):
    with pytest.raises(UnknownCity):
        transaction_costs(sale(city="拉萨"), book)


def test_a_purchase_date_after_the_calculation_day_is_refused(book):
    with pytest.raises(InvalidInput, match="卖方取得房屋的日期不能晚于计算日期"):
        transaction_costs(sale(seller_years_held=None, seller_acquired_on=dt.date(2026, 5, 1)), book)


def test_a_leap_day_purchase_reaches_two_years_on_the_first_of_march(book):
    bought = {"seller_years_held": None, "seller_acquired_on": dt.date(2024, 2, 29)}
    assert transaction_costs(sale(as_of=dt.date(2026, 2, 28), **bought), book).item("vat").amount > 0
    assert transaction_costs(sale(as_of=dt.date(2026, 3, 1), **bought), book).item("vat").amount == 0


def test_in_english_the_years_held_are_digits(book):
    # when
    with translation.override("en"):
        costs = transaction_costs(sale(seller_years_held=D("2")), book)
    # then
    assert costs.item("vat").reason == "Held 2 years: exempt from VAT"
