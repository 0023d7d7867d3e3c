"""An agent on a phone records a client with a buy need, then finds the client again by the last
four digits of the mobile — in Debian's Chromium, at 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from anju.clients.models import Client
from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, DistrictFactory

pytestmark = pytest.mark.browser


def test_agent_records_a_client_with_a_buy_need_and_finds_them_by_the_last_four_digits(phone, live_server):
    # given
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    DistrictFactory(name="洪山区")
    sign_in(phone, "zhangwei", PASSWORD)

    # when: the client is recorded with the essentials only
    phone.goto("/clients/new/")
    phone.get_by_role("textbox", name="姓名", exact=True).fill("王芳")
    phone.get_by_role("textbox", name="手机", exact=True).fill("139 0000 5678")
    phone.get_by_role("combobox", name="来源", exact=True).select_option("online")
    phone.get_by_role("button", name="保存").click()

    # then: the client page, with the full number for the owning agent
    expect(phone).to_have_url(re.compile(r"/clients/\d+/$"))
    expect(phone.locator("main")).to_contain_text("已录入客户“王芳”。")
    expect(phone.locator("main")).to_contain_text("13900005678")
    assert_fits_phone(phone)

    # when: a buy need is added
    phone.get_by_role("link", name="+ 购房").click()
    phone.get_by_label("预算下限（万元）").fill("250")
    phone.get_by_label("预算上限（万元）").fill("320")
    phone.get_by_label("最少几室").fill("3")
    phone.locator("label", has_text="洪山区").click()  # a toggle button over the checkbox
    assert_fits_phone(phone)
    phone.locator("main form").get_by_role("button", name=re.compile("保存")).click()

    # then: the need is on the client page, summarised
    expect(phone).to_have_url(re.compile(r"/clients/\d+/$"))
    expect(phone.locator("#client-needs")).to_contain_text("购房")
    expect(phone.locator("#client-needs")).to_contain_text("洪山区")
    client = Client.objects.get(mobile="13900005678")
    need = client.needs.get()
    assert (need.kind, need.budget_min, need.budget_max, need.rooms_min) == ("buy", 2500000, 3200000, 3)
    assert client.owner == agent

    # when: later, the agent searches by the last four digits
    phone.goto("/clients/?scope=all")
    phone.get_by_placeholder("姓名或手机后四位").fill("5678")
    phone.get_by_role("button", name="筛选").click()

    # then
    rows = phone.locator("tr[data-client]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("王芳")
    rows.first.get_by_role("link", name="王芳").click()
    expect(phone.locator("h1")).to_contain_text("王芳")
