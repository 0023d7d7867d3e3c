"""An agent on a phone opens a deal from a listing the buyer was shown, trades three offers,
accepts the last and records the earnest money — in Debian's Chromium, at 375 px. (The contract
steps follow these.)"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anju.deals.models import Deal
from anju.showings.services import FeedbackInput, showing_plan, stop_record_feedback
from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory, StoreFactory
from tests.showings.conftest import home

pytestmark = pytest.mark.browser


def offer(phone, side: str, wan: str) -> None:
    phone.locator("[data-testid=offer-box] summary").click()
    phone.locator("[data-testid=offer-form]").get_by_label(side, exact=True).check()
    phone.get_by_label("总价（万元）").fill(wan)
    phone.get_by_role("button", name="记录报价").click()
    expect(phone.locator("main")).to_contain_text("已记录报价。")


def test_agent_opens_a_deal_trades_offers_accepts_and_records_earnest_money(phone, live_server):
    # given a listing of the agent's with its seller, and the agent's buyer
    store = StoreFactory(latitude=Decimal("30.550000"), longitude=Decimal("114.300000"))
    agent = AgentFactory(store=store, company=store.company, name="张伟", user__username="zhangwei")
    seller = ClientFactory(owner=agent, name="业主周先生")
    listing = home(
        agent,
        latitude="30.550000",
        longitude="114.310000",
        name="近邻小区",
        seller=seller,
        price=Decimal("1980000.00"),
    )
    buyer = ClientFactory(owner=agent, name="买方陈女士")
    # and the buyer was shown the listing an hour ago, with feedback recorded
    showing = showing_plan(
        agent=agent, client=buyer, starts_at=timezone.now() - dt.timedelta(hours=1), listing_ids=[listing.pk]
    )
    stop_record_feedback(stop=showing.stops.get(), by=agent, value=FeedbackInput(outcome="shown", interest=4))
    sign_in(phone, "zhangwei", PASSWORD)

    # when the listing's showing feedback is opened, it counts the buyer's showing
    phone.goto(f"/listings/{listing.pk}/")
    phone.get_by_test_id("report-link").click()
    expect(phone.get_by_test_id("showings")).to_have_text("1")
    expect(phone.get_by_test_id("clients")).to_have_text("1")

    # when the deal is opened from the listing
    phone.goto(f"/listings/{listing.pk}/")
    phone.get_by_role("link", name="开始交易").click()
    phone.get_by_label("买方/承租方").select_option(label="买方陈女士（张伟）")
    phone.get_by_role("button", name="开始交易").click()
    expect(phone).to_have_url(re.compile(r"/deals/\d+/$"))
    expect(phone.get_by_test_id("stage")).to_have_text("洽谈中")
    assert_fits_phone(phone)

    # and three offers are traded
    offer(phone, "买方", "180")
    offer(phone, "卖方", "195")
    offer(phone, "买方", "190")

    # then the thread shows them newest first with the gap
    lines = phone.locator("[data-testid=thread] li")
    expect(lines).to_have_count(3)
    expect(lines.first).to_contain_text("190万")
    expect(lines.first).to_contain_text("差 5.0万（2.6%）")
    assert_fits_phone(phone)

    # when the seller accepts the buyer's latest offer
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_test_id("accept").click()
    expect(phone.locator("main")).to_contain_text("已接受报价，房源已预定。")
    expect(phone.get_by_test_id("deal-price")).to_contain_text("190万")
    expect(phone.get_by_test_id("stage")).to_have_text("洽谈中")

    # and the earnest money is recorded
    form = phone.get_by_test_id("intent-form")
    form.get_by_label("定金", exact=True).check()
    form.get_by_label("金额（元）").fill("50000")
    form.get_by_label("收据号").fill("SJ-0001")
    form.get_by_role("button", name="登记意向协议").click()

    # then the deal is 已签意向, with the money and its receipt in its story
    expect(phone.get_by_test_id("stage")).to_have_text("已签意向")
    expect(phone.get_by_test_id("intent")).to_contain_text("定金 ¥50,000.00")
    expect(phone.get_by_test_id("receipt")).to_contain_text("SJ-0001")
    expect(phone.locator("[data-story=stage]").first).to_contain_text("已签意向")
    assert_fits_phone(phone)
    deal = Deal.objects.get(listing=listing)
    assert (deal.stage, deal.price) == ("intent", Decimal("1900000.00"))
    listing.refresh_from_db()
    assert listing.status == "reserved"
