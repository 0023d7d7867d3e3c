"""The dictionary on a phone, in Debian's Chromium: search as you type, and the duplicate check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from anju.geo.models import Community
from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_a_manager_finds_a_community_and_is_stopped_from_creating_it_twice(
    phone, live_server, manager, vanke, guanggu, tmp_path
):
    # given
    manager.user.set_password(PASSWORD)
    manager.user.save()
    sign_in(phone, manager.user.username, PASSWORD)
    # when: from 房源 to the dictionary, typing pinyin initials
    phone.goto("/listings/")
    phone.get_by_role("link", name="楼盘字典").click()
    # typing before htmx has bound the form would send nothing (seen once on a busy CI machine)
    expect(phone).to_have_url(re.compile(r"/communities/$"))
    phone.wait_for_load_state("load")
    phone.get_by_role("searchbox").fill("wkcshy")
    # then: the address bar keeps the search (htmx waits for a pause in typing, and CI is busy),
    # and the rows follow it
    expect(phone).to_have_url(re.compile(r"q=wkcshy"), timeout=20_000)
    expect(phone.locator("#community-rows")).to_contain_text("万科城市花园")
    phone.screenshot(path=tmp_path / "search-375.png", full_page=True)
    assert_fits_phone(phone)

    # when: creating the same community under a longer name
    phone.get_by_role("link", name="新建小区").click()
    # as above: the name field only asks for look-alikes once htmx has bound it
    expect(phone).to_have_url(re.compile(r"/communities/new/$"))
    phone.wait_for_load_state("load")
    phone.get_by_label("板块").select_option(label="光谷")
    phone.get_by_label("小区名称").fill("万科城市花园小区")
    # then: the look-alike is shown while typing
    expect(phone.get_by_test_id("similar-hint")).to_contain_text("万科城市花园")
    phone.get_by_label("纬度").fill("30.5080")
    phone.get_by_label("经度").fill("114.3990")
    phone.get_by_role("button", name="创建").click()
    # then: nothing is created until it is confirmed
    expect(phone.get_by_test_id("duplicate-warning")).to_be_visible()
    phone.screenshot(path=tmp_path / "duplicate-375.png", full_page=True)
    assert_fits_phone(phone)
    assert Community.objects.count() == 1
    # when
    phone.get_by_role("button", name="仍然创建").click()
    # then
    expect(phone.get_by_test_id("community-name")).to_have_text("万科城市花园小区")
    # when: a building is added in place
    phone.get_by_label("楼栋", exact=True).fill("1栋")
    phone.get_by_role("button", name="添加楼栋").click()
    expect(phone.locator("#community-buildings")).to_contain_text("已添加楼栋“1栋”")
    phone.screenshot(path=tmp_path / "detail-375.png", full_page=True)
    assert_fits_phone(phone)
