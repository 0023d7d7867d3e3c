"""A store manager on a phone erases a client's personal information at the client's request: the
confirm step wants the name typed again, then the client page says so and lists what the law keeps,
and the audit view shows the erasure — in Debian's Chromium, at 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from anju.clients.models import Client
from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory

pytestmark = pytest.mark.browser


def test_a_manager_erases_a_client_after_typing_the_name(phone, live_server):
    # given
    manager = AgentFactory(name="王磊", role="manager", user__username="wanglei")
    agent = AgentFactory(name="张伟", store=manager.store, company=manager.company, user__username="zhangwei")
    client = ClientFactory(owner=agent, name="钱多多", mobile="13900005678", notes="周末看房")
    sign_in(phone, "wanglei", PASSWORD)

    # when: the manager opens the erase step from the client page
    phone.goto(f"/clients/{client.pk}/")
    assert_fits_phone(phone)
    phone.get_by_test_id("erase-personal-data").click()
    expect(phone).to_have_url(re.compile(rf"/clients/{client.pk}/erase/$"))
    assert_fits_phone(phone)

    # when: a wrong name is typed, nothing happens
    phone.get_by_test_id("confirm-name").fill("钱多")
    phone.get_by_test_id("confirm-erase").click()
    expect(phone.locator("main")).to_contain_text("请输入客户姓名以确认删除。")
    assert Client.objects.get(pk=client.pk).erased_at is None

    # when: the name is typed again
    phone.get_by_test_id("confirm-name").fill("钱多多")
    phone.get_by_test_id("confirm-erase").click()

    # then: the client page says it, without the number
    expect(phone).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    expect(phone.get_by_test_id("erased")).to_contain_text("已按个人信息保护法删除")
    expect(phone.locator("main")).not_to_contain_text("13900005678")
    assert_fits_phone(phone)

    # then: the audit view lists the erasure, filtered by kind
    phone.goto("/clients/personal-data/?kind=erasure")
    expect(phone.locator("tr[data-access='erasure']")).to_have_count(1)
    expect(phone.locator("tr[data-access='erasure']")).to_contain_text("王磊")
    assert_fits_phone(phone)
