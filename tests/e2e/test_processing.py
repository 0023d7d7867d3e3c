"""A transaction specialist on a phone (375 px) takes a loan deal with escrow from the signed
contract to the keys: ticks off its milestones, records the escrow in and out, completes the
handover checklist and closes it; the agent then sees the 7-day after-sales visit on the workbench."""

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


def test_specialist_processes_a_loan_deal_with_escrow_to_closing(phone, live_server):
    # given a signed sale with a 商贷 and escrow, in a store with a transaction specialist
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    AgentFactory(
        store=agent.store, company=agent.company, name="马晓燕", role="specialist", user__username="maxy"
    )
    seller = ClientFactory(owner=agent, name="业主周先生")
    listing = ListingFactory(agent=agent, seller=seller, price=Decimal("1980000.00"))
    buyer = ClientFactory(owner=agent, name="买方陈女士")
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    offer = offer_make(
        deal=deal, terms=OfferTerms(side="buyer", price=Decimal("1950000.00"), payment="commercial"), by=agent
    )
    offer_accept(offer=offer, by=agent)
    deal_move(deal=deal, to=DealStage.CONTRACT, by=agent)

    # when the specialist opens the deal and its 办理 page
    sign_in(phone, "maxy", PASSWORD)
    phone.goto(f"/deals/{deal.pk}/")
    phone.get_by_role("link", name="打开办理").click()
    expect(phone.get_by_test_id("milestones")).to_contain_text("银行面签")
    assert_fits_phone(phone)

    # and records the buyer's funds into the supervised account
    phone.locator("[data-testid=escrow] summary").click()
    form = phone.get_by_test_id("escrow-form")
    form.get_by_label("类型").select_option(label="存入")
    form.get_by_label("金额（元）").fill("300000")
    form.get_by_label("银行").fill("招商银行")
    form.get_by_role("button", name="保存").click()
    expect(phone.locator("main")).to_contain_text("已登记资金。")
    expect(phone.get_by_test_id("escrow")).to_contain_text("¥300,000.00")

    # and ticks off every milestone
    done = phone.get_by_test_id("milestone-done")
    while done.count():
        done.first.click()
        expect(phone.locator("main")).to_contain_text("节点已完成。")
    expect(phone.get_by_test_id("stage")).to_have_text("办理中")

    # and releases the funds to the seller
    phone.locator("[data-testid=escrow] summary").click()
    form.get_by_label("类型").select_option(label="划转")
    form.get_by_label("金额（元）").fill("300000")
    form.get_by_role("button", name="保存").click()
    expect(phone.locator("main")).to_contain_text("已登记资金。")

    # and completes the handover checklist, the keys and both sides' confirmation
    item = phone.get_by_test_id("handover-done")
    while item.count():
        item.first.click()
        expect(phone.locator("main")).to_contain_text("已登记交接项目。")
    keys = phone.get_by_test_id("keys-form")
    keys.get_by_label("钥匙数量").fill("3")
    keys.get_by_label("钥匙种类").fill("入户门、单元门、信箱")
    keys.get_by_label("买方确认房屋与合同相符").check()
    keys.get_by_label("卖方确认房屋与合同相符").check()
    keys.get_by_role("button", name="保存钥匙与确认").click()
    expect(phone.get_by_test_id("handed-over")).to_contain_text("3")
    assert_fits_phone(phone)

    # and closes the deal
    phone.get_by_test_id("close-deal").click()
    expect(phone.locator("main")).to_contain_text("交易已结案。")
    expect(phone.get_by_test_id("stage")).to_have_text("已结案")
    expect(phone.get_by_test_id("visits")).to_contain_text("交房后 7 天")

    # then the agent sees the 7-day visit on the workbench
    phone.context.clear_cookies()
    sign_in(phone, "zhangwei", PASSWORD)
    phone.goto("/")
    expect(phone.locator("main")).to_contain_text("售后回访（交房后 7 天）")
    assert_fits_phone(phone)
