"""计算器 on a phone: the taxes of a sale and a loan's payments, through the real forms, in Debian's Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory

pytestmark = pytest.mark.browser


def open_tax_form(phone):
    """Signed in on the 计算器 page, a sale of 300万 and 100 ㎡ typed into the tax form."""
    AgentFactory(name="张伟", user__username="zhangwei")
    sign_in(phone, "zhangwei", PASSWORD)
    phone.goto("/calculators/")
    form = phone.locator("#pane-costs form")
    form.get_by_label("成交价（万元，含增值税）").fill("300")
    form.get_by_label("建筑面积（㎡）").fill("100")
    return form


def test_an_agent_works_out_the_taxes_of_a_sale_on_a_phone(phone, tmp_path):
    # given
    form = open_tax_form(phone)
    # when: the worked example — 300万, 100 ㎡, the buyer's only home, held one and a half years, in 2026
    form.get_by_label("或：卖方已持有年数").fill("1.5")
    form.get_by_label("计算日期").fill("2026-03-01")
    form.get_by_role("button", name="计算税费").click()
    # then: the itemised result, without leaving the page, and nothing to scroll sideways
    expect(phone.get_by_test_id("total-all")).to_have_text("¥210,953.78")
    expect(phone.get_by_test_id("total-seller")).to_have_text("¥121,747.57")
    expect(phone.locator('[data-item="vat"] [data-testid="amount"]')).to_have_text("¥87,378.64")
    expect(phone.locator('[data-item="vat_surcharges"]')).to_contain_text("未核实")
    assert_fits_phone(phone)
    phone.screenshot(path=tmp_path / "calculators-costs-375.png", full_page=True)


def test_an_agent_works_out_a_combination_loan_on_a_phone(phone, tmp_path):
    # given
    AgentFactory(name="张伟", user__username="zhangwei")
    sign_in(phone, "zhangwei", PASSWORD)
    phone.goto("/calculators/")
    # when: the 房贷 tab, a commercial part at 3.5% and a provident-fund part at the fund's rate
    phone.get_by_role("tab", name="房贷").click()
    form = phone.locator("#pane-mortgage form")
    form.get_by_label("商业贷款（万元）").fill("100")
    form.get_by_label("商贷年利率（%）").fill("3.5")
    form.get_by_label("公积金贷款（万元）").fill("50")
    form.get_by_label("计算日期").fill("2026-03-01")
    form.get_by_role("button", name="计算月供").click()
    # then: the summary, both parts, the chart drawn and the first twelve months
    expect(phone.get_by_test_id("loan-parts").locator("li")).to_have_count(2)
    expect(phone.get_by_test_id("loan-parts")).to_contain_text("公积金首套5年以上利率2.6%")
    expect(phone.get_by_test_id("mortgage-chart")).to_have_attribute("data-drawn", "1")
    expect(phone.locator('[data-testid="mortgage-chart"] svg')).to_have_count(1)
    expect(phone.get_by_test_id("schedule").locator("tbody tr")).to_have_count(12)
    first = phone.get_by_test_id("first-payment").inner_text()
    assert first.startswith("¥") and float(first[1:].replace(",", "")) > 4490.45
    assert_fits_phone(phone)
    phone.screenshot(path=tmp_path / "calculators-mortgage-375.png", full_page=True)
    # and the full schedule downloads
    with phone.expect_download() as download:
        phone.get_by_test_id("schedule-xlsx").click()
    assert download.value.suggested_filename == "还款计划.xlsx"


def test_a_submitted_calculator_scrolls_to_its_result_on_a_phone(phone):
    # given: the agent has scrolled down the long tax form to its button
    form = open_tax_form(phone)
    # when
    form.get_by_role("button", name="计算税费").click()
    # then: the result's top is brought up to the top of the screen, its figures whole on one line
    result = phone.get_by_test_id("costs-result")
    expect(result).to_be_visible()
    phone.wait_for_function(
        """() => { const top = document.querySelector('[data-testid="costs-result"]').getBoundingClientRect().top;
                   return top > -2 && top < window.innerHeight / 4; }"""
    )
    figure = phone.get_by_test_id("total-all").locator(".num")
    assert figure.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
