"""Signing in and out on a phone, through the real form, in Debian's Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_fits_phone, is_local
from tests.factories import PASSWORD, AgentFactory

pytestmark = pytest.mark.browser

NAVIGATION = ["工作台", "客户", "房源", "带看", "交易", "计算器", "客户服务", "报表", "设置"]


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def test_an_agent_signs_in_on_a_phone_uses_the_menu_and_signs_out(
    phone, requested_urls, live_server, tmp_path
):
    # given
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    # when
    sign_in(phone, "zhangwei", PASSWORD)
    # then: the workbench, greeting the agent by name
    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.get_by_role("heading", name="工作台", level=1)).to_be_visible()
    expect(phone.locator("main")).to_contain_text(agent.name)
    # then: it fits the phone's width, nothing to scroll sideways
    phone.screenshot(path=tmp_path / "workbench-375.png", full_page=True)
    assert_fits_phone(phone)

    # given: on a phone the navigation is folded away behind the menu button
    menu_button = phone.get_by_role("button", name="菜单")
    menu = phone.locator(f"#{menu_button.get_attribute('aria-controls')}")
    expect(menu.get_by_role("link", name="客户", exact=True)).to_be_hidden()
    # when
    menu_button.click()
    # then: once unfolded (Bootstrap's "collapsing" animation over), all nine entries are there
    expect(menu).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(menu).not_to_have_class(re.compile(r"collapsing"))
    for label in NAVIGATION:
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    phone.screenshot(path=tmp_path / "menu-375.png", full_page=True)
    assert_fits_phone(phone)

    # when
    menu.get_by_role("button", name="退出").click()
    # then: back on the sign-in page, and signed out for real
    expect(phone).to_have_url(re.compile(r"/login/$"))
    expect(phone.get_by_role("heading", name="登录安居")).to_be_visible()
    phone.goto("/")
    expect(phone).to_have_url(re.compile(r"/login/\?next=/$"))
    # then: every page, style sheet, script and font came from this server
    assert requested_urls, "the browser made no requests at all"
    assert [url for url in requested_urls if not is_local(url)] == []


def test_a_wrong_password_is_refused_in_chinese_and_stays_on_the_sign_in_page(phone, requested_urls):
    # given
    AgentFactory(name="李娜", user__username="lina")
    # when
    sign_in(phone, "lina", "not the password")
    # then
    expect(phone.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(phone).to_have_url(re.compile(r"/login/$"))
    expect(phone.get_by_role("button", name="菜单")).to_have_count(0)
    assert [url for url in requested_urls if not is_local(url)] == []
