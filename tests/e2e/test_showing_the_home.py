"""Showing the home on a phone: the agent shares a listing and a client opens the link without an
account; the seller's report draws its chart; the calendar and an open day fit a 375 px screen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anju.showings.open_days import open_day_schedule
from tests.e2e.conftest import PHONE, assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory, ListingFactory
from tests.showings.seller_data import visit

pytestmark = pytest.mark.browser


def test_an_agent_shares_a_listing_and_reads_its_report_on_a_phone(phone, browser, live_server):
    # given: a listing of the agent's with an owner, shown twice
    agent = AgentFactory(name="张伟", user__username="zhangwei", mobile="13800001111")
    owner = ClientFactory(owner=agent, name="王业主", mobile="13912345678")
    listing = ListingFactory(
        agent=agent,
        seller=owner,
        verified_at=timezone.now(),
        price=Decimal("2680000"),
        property__community__name="东湖花园",
        property__room_number="1503",
    )
    for days, tags in ((3, ["噪音"]), (10, ["噪音", "楼层"])):
        visit(
            listing,
            ClientFactory(owner=agent),
            timezone.now() - dt.timedelta(days=days),
            feedback={"interest": 3, "disliked": tags, "price_opinion": "high"},
        )
    sign_in(phone, "zhangwei", PASSWORD)

    # when: 分享 on the listing page
    phone.goto(f"/listings/{listing.pk}/")
    phone.get_by_test_id("share").click()
    # then: the public page, with the agent's card and a QR code, fits the phone
    expect(phone.get_by_test_id("shared-listing")).to_contain_text("东湖花园")
    expect(phone.get_by_test_id("agent-card")).to_contain_text("13800001111")
    expect(phone.locator('[data-testid="qr"] svg')).to_have_count(1)
    assert_fits_phone(phone)
    link = phone.url

    # when: a client with no account opens the link
    stranger = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")
    client_page = stranger.new_page()
    client_page.goto(link)
    # then: the home, not the owner or the room
    expect(client_page.get_by_test_id("price")).to_contain_text("268万")
    body = client_page.locator("body").inner_text()
    assert "王业主" not in body and "13912345678" not in body and "1503" not in body
    stranger.close()

    # when: the agent opens the showing report
    phone.goto(f"/listings/{listing.pk}/showing-report/")
    # then: the weekly chart is drawn and the objections are listed
    expect(phone.locator("#weeks-chart")).to_have_attribute("data-drawn", "1")
    expect(phone.get_by_test_id("showings")).to_have_text("2")
    expect(phone.get_by_test_id("objections")).to_contain_text("噪音")
    assert_fits_phone(phone)


def test_the_calendar_and_an_open_day_on_a_phone(phone):
    # given: an open day on the agent's listing in two days, and a buyer of theirs
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    listing = ListingFactory(agent=agent, verified_at=timezone.now(), property__community__name="东湖花园")
    day = timezone.localdate() + dt.timedelta(days=2)
    zone = timezone.get_current_timezone()
    open_day = open_day_schedule(
        listing=listing,
        by=agent,
        starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=zone),
        ends_at=dt.datetime.combine(day, dt.time(12), tzinfo=zone),
        capacity=3,
    )
    ClientFactory(owner=agent, name="李买家")
    sign_in(phone, "zhangwei", PASSWORD)

    # when: the agent opens the calendar for that day and the open day from it
    phone.goto(f"/showings/calendar/?view=day&day={day.isoformat()}")
    expect(phone.locator(f'[data-open-day="{open_day.pk}"]')).to_contain_text("东湖花园")
    assert_fits_phone(phone)
    phone.locator(f'[data-open-day="{open_day.pk}"] a').click()
    # and signs the buyer up
    phone.locator("#id_client").select_option(label="李买家")
    phone.get_by_role("button", name="报名", exact=True).click()
    # then
    expect(phone.get_by_test_id("taken")).to_have_text("1/3")
    expect(phone.get_by_test_id("signups")).to_contain_text("李买家")
    assert_fits_phone(phone)
