"""行情 on a phone: the charts are drawn, a district is chosen without leaving the page, the summary prints."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anju.market.models import MarketMonth
from anju.market.services import market_refresh
from tests.e2e.conftest import assert_fits_phone, is_local
from tests.e2e.test_login import sign_in
from tests.factories import (
    PASSWORD,
    AgentFactory,
    BusinessAreaFactory,
    CommunityFactory,
    ListingFactory,
    PropertyFactory,
)

pytestmark = pytest.mark.browser


def test_an_agent_reads_the_market_on_a_phone(phone, requested_urls, tmp_path):
    # given: listings in two districts, figures computed
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    today = timezone.localdate()
    for district, price in (("洪山区", "2500000"), ("江岸区", "1500000")):
        community = CommunityFactory(
            company=agent.company, business_area=BusinessAreaFactory(district__name=district)
        )
        for days in (3, 40, 70):
            prop = PropertyFactory(company=agent.company, community=community, area=Decimal("100"))
            ListingFactory(
                agent=agent, property=prop, price=Decimal(price), listed_on=today - dt.timedelta(days=days)
            )
    market_refresh(company=agent.company)
    sign_in(phone, "zhangwei", PASSWORD)

    # when
    phone.goto("/market/")
    # then: the district bars and the monthly charts are drawn, and nothing scrolls sideways
    expect(phone.get_by_role("heading", name="各区县挂牌均价（元/㎡）")).to_be_visible()
    bars = phone.locator('[data-chart="districts"]')
    expect(bars).to_have_attribute("data-drawn", "1")
    expect(bars.locator("svg")).to_have_count(1)
    expect(bars).to_contain_text("洪山区")
    expect(phone.locator('[data-chart="price"] svg')).to_have_count(1)
    expect(phone.get_by_test_id("unit-price")).to_contain_text("¥20,000.00")
    phone.screenshot(path=tmp_path / "market-375.png", full_page=True)
    assert_fits_phone(phone)

    # when: a district is chosen
    phone.get_by_label("区县", exact=True).select_option(label="洪山区")
    # then: the figures are swapped for that district and its charts redrawn
    expect(phone.get_by_test_id("unit-price")).to_contain_text("¥25,000.00")
    expect(phone.locator('[data-chart="price"]')).to_have_attribute("data-drawn", "1")
    expect(phone.locator('[data-chart="price"]')).to_contain_text("洪山区")

    # when: the client summary is opened from the district page
    phone.get_by_test_id("district-link").click()
    phone.get_by_test_id("summary-link").click()
    # then
    expect(phone.get_by_role("heading", name="洪山区二手房挂牌行情")).to_be_visible()
    expect(phone.locator('[data-chart="price"] svg')).to_have_count(1)
    assert_fits_phone(phone)
    assert [url for url in requested_urls if not is_local(url)] == []


def test_charts_with_a_second_axis_show_their_labels_whole_on_a_phone(phone):
    # given: a market big enough that both axes of 供需 read in the thousands
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    today = timezone.localdate()
    community = CommunityFactory(company=agent.company)
    for days in (3, 40, 70):
        prop = PropertyFactory(company=agent.company, community=community, area=Decimal("100"))
        ListingFactory(agent=agent, property=prop, listed_on=today - dt.timedelta(days=days))
    market_refresh(company=agent.company)
    MarketMonth.objects.filter(company=agent.company).update(inventory=3000, new_listings=1200, left=1100)
    sign_in(phone, "zhangwei", PASSWORD)

    # when
    phone.goto("/market/")

    # then: every axis label of the chart lies inside the chart and reads as a whole number
    chart = phone.locator('[data-chart="supply"]')
    expect(chart).to_have_attribute("data-drawn", "1")
    labels = chart.locator("svg text").evaluate_all(
        """texts => {
          const box = texts[0].ownerSVGElement.getBoundingClientRect();
          return texts.map(t => { const r = t.getBoundingClientRect();
            return {text: t.textContent, inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5}; });
        }"""
    )
    numbers = [label for label in labels if label["text"][:1].isdigit()]
    assert any(label["text"] == "3,000" for label in numbers), numbers
    assert [label for label in numbers if not label["inside"] or label["text"].endswith(",")] == []
