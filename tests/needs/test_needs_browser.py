"""On a phone, in Debian's Chromium: the need form shows only the chosen kind's fields, a follow-up
is saved in a few taps without leaving the page, and a need is paused from its card."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_fits_phone, browser, phone, requested_urls  # noqa: F401  (fixtures)
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory, NeedFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(phone, live_server):  # noqa: F811
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    sign_in(phone, "zhangwei", PASSWORD)
    return agent


def test_the_need_form_shows_only_the_chosen_kinds_fields(phone, signed_in):  # noqa: F811
    # given
    client = ClientFactory(owner=signed_in)
    phone.goto(f"/clients/{client.pk}/needs/new/?kind=buy")
    expect(phone.get_by_label("预算上限（万元）")).to_be_visible()
    expect(phone.get_by_label("月租金上限（元）")).to_be_hidden()
    # when
    phone.locator("label", has_text="租房").first.click()
    # then
    expect(phone.get_by_label("月租金上限（元）")).to_be_visible()
    expect(phone.get_by_label("预算上限（万元）")).to_be_hidden()
    expect(phone.get_by_label("入住日期")).to_be_visible()
    # when
    phone.locator("label", has_text="售房").first.click()
    # then
    expect(phone.get_by_label("心理价位（万元）")).to_be_visible()
    expect(phone.get_by_label("最少几室")).to_be_hidden()
    assert_fits_phone(phone)


def test_a_follow_up_in_a_few_taps_and_a_need_paused_from_its_card(phone, signed_in):  # noqa: F811
    # given
    client = ClientFactory(owner=signed_in)
    need = NeedFactory(client=client)
    phone.goto(f"/clients/{client.pk}/needs/")
    # when: a WeChat follow-up, next one in three days
    phone.locator("#interaction-form label", has_text="微信").click()
    phone.get_by_label("跟进内容").fill("发了三套光谷的三房，客户周六来看")
    phone.get_by_role("button", name="3天后").click()
    phone.get_by_role("button", name="保存跟进").click()
    # then: the timeline shows it at once and the form is empty again
    in_three_days = timezone.localdate() + dt.timedelta(days=3)
    timeline = phone.locator("#client-timeline")
    expect(timeline).to_contain_text("发了三套光谷的三房，客户周六来看")
    expect(timeline).to_contain_text(
        f"{in_three_days.year}年{in_three_days.month}月{in_three_days.day}日（3天后）"
    )
    expect(phone.get_by_label("跟进内容")).to_have_value("")
    client.refresh_from_db()
    assert client.next_follow_up_on == in_three_days
    # when: the need is paused from its card
    phone.locator(f"#need-{need.pk}").get_by_role("button", name="暂停").click()
    # then
    expect(phone.locator(f"#need-{need.pk}")).to_contain_text("暂停")
    expect(phone.locator(f"#need-{need.pk}").get_by_role("button", name="恢复")).to_be_visible()
    need.refresh_from_db()
    assert need.status == "paused"
    assert_fits_phone(phone)
