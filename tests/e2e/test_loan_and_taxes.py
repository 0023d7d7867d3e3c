"""An agent on a phone (375 px) records the buyer's loan on a signed deal, ticks a paper the bank
asked for, has the taxes calculated and records the buyer's tax payment with its receipt."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from anju.deals.models import DealStage
from anju.deals.services import OfferTerms, deal_create, deal_move, offer_accept, offer_make
from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory, ListingFactory

pytestmark = pytest.mark.browser


def test_agent_records_a_loan_and_a_tax_payment_on_a_phone(phone, live_server):
    # given a signed sale paid with a 商贷
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    listing = ListingFactory(agent=agent, seller=ClientFactory(owner=agent), price=Decimal("1980000.00"))
    deal = deal_create(listing=listing, buyer=ClientFactory(owner=agent, name="买方陈女士"), by=agent)
    offer = offer_make(
        deal=deal, terms=OfferTerms(side="buyer", price=Decimal("1950000.00"), payment="commercial"), by=agent
    )
    offer_accept(offer=offer, by=agent)
    deal_move(deal=deal, to=DealStage.CONTRACT, by=agent)

    # when the agent opens 办理 → 贷款 and records a 100万 loan at 3.1% over 30 years
    sign_in(phone, "zhangwei", PASSWORD)
    phone.goto(f"/deals/{deal.pk}/processing/")
    phone.get_by_test_id("money-links").get_by_role("link", name="贷款").click()
    form = phone.get_by_test_id("loan-form")
    form.get_by_label("贷款银行").fill("招商银行")
    form.get_by_label("贷款金额（万元）").fill("100")
    form.get_by_label("年利率（%）").fill("3.1")
    form.get_by_label("年限").fill("30")
    form.get_by_role("button", name="保存").click()
    # then the monthly payment is shown to the fen, with the bank's papers to tick
    expect(phone.get_by_test_id("monthly")).to_have_text("¥4,270.16")
    phone.get_by_test_id("paper-toggle").first.click()
    expect(phone.get_by_test_id("papers")).to_contain_text("已收")
    assert_fits_phone(phone)

    # when the taxes are calculated and the buyer's payment is recorded with its receipt
    phone.goto(f"/deals/{deal.pk}/processing/taxes/")
    phone.get_by_test_id("taxes-form").get_by_role("button", name="核算并保存").click()
    expect(phone.get_by_test_id("tax-record")).to_contain_text("买方合计")
    pay = phone.get_by_test_id("tax-payment-form")
    pay.get_by_label("项目").fill("契税")
    pay.get_by_label("金额（元）").fill("29250")
    pay.get_by_label("票据号").fill("SW001")
    pay.get_by_role("button", name="登记缴纳").click()
    # then it is listed with its amount and receipt, and the page fits the phone
    expect(phone.get_by_test_id("tax-payment")).to_contain_text("¥29,250.00")
    expect(phone.get_by_test_id("tax-payment")).to_contain_text("SW001")
    assert_fits_phone(phone)
