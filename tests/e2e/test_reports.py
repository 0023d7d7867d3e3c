"""报表 on a phone: a store manager opens the funnel, the chart is drawn, and its 新增客户 figure opens
the list of exactly those clients."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory, NeedFactory

pytestmark = pytest.mark.browser


def test_a_manager_reads_the_funnel_on_a_phone_and_opens_a_figure(phone, tmp_path):
    # given: a store with two agents, three new clients and one need
    manager = AgentFactory(name="王店长", role="manager", user__username="wang")
    agent = AgentFactory(name="张伟", store=manager.store, company=manager.company, user__username="zhangwei")
    colleague = AgentFactory(name="李娜", store=manager.store, company=manager.company, user__username="lina")
    first = ClientFactory(owner=agent, name="陈女士")
    ClientFactory(owner=agent, name="刘先生")
    ClientFactory(owner=colleague, name="周女士")
    NeedFactory(client=first)
    sign_in(phone, "wang", PASSWORD)

    # when
    phone.goto("/reports/")
    # then: the funnel is drawn with its numbers under it, and nothing scrolls sideways
    chart = phone.locator('[data-report-chart="funnel"]')
    expect(chart).to_have_attribute("data-drawn", "1")
    expect(chart.locator("svg")).to_have_count(1)
    expect(chart).to_contain_text("新增客户")
    clients = phone.locator('[data-figure="clients"]')
    expect(clients.get_by_test_id("figure-value")).to_contain_text("3")
    phone.screenshot(path=tmp_path / "reports-375.png", full_page=True)
    assert_fits_phone(phone)

    # when: the 新增客户 figure is tapped
    clients.click()
    # then: the list holds those three clients, as the figure said
    expect(phone.get_by_role("heading", name="新增客户")).to_be_visible()
    expect(phone.get_by_test_id("list-total")).to_have_text("3")
    rows = phone.get_by_test_id("report-list").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(phone.get_by_test_id("report-list")).to_contain_text("周女士")
    assert_fits_phone(phone)
