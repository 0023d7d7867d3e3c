"""A store manager on a phone (375 px) finds an urgent complaint nobody acknowledged at the top of
the workbench, escalated to them, opens it, tells the client the deadline and resolves it; it leaves
the workbench."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anju.complaints.services import complaint_alarms_raise, complaint_record
from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory

pytestmark = pytest.mark.browser


def test_a_manager_resolves_an_escalated_complaint_from_the_top_of_the_workbench(phone, live_server):
    # given: an urgent complaint received ten days ago, never acknowledged, escalated by the job
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    AgentFactory(
        store=agent.store, company=agent.company, name="王店长", role="manager", user__username="wang"
    )
    client = ClientFactory(owner=agent, name="投诉人刘女士")
    complaint_record(
        by=agent,
        client=client,
        severity="urgent",
        category="服务态度",
        text="经纪人电话里态度很差。",
        received_at=timezone.now() - dt.timedelta(days=10),
        about_agent=agent,
    )
    complaint_alarms_raise()

    # when the manager signs in
    sign_in(phone, "wang", PASSWORD)

    # then the escalated complaint is the first thing on the workbench
    first = phone.locator("main section").first
    expect(first).to_have_attribute("data-section", "complaints")
    expect(first).to_contain_text("已升级")
    expect(first).to_contain_text("投诉人刘女士")
    assert_fits_phone(phone)

    # and the manager opens it, reads the text to send the client, and resolves it
    first.get_by_role("link", name="紧急投诉 · 投诉人刘女士 · 服务态度").click()
    expect(phone.get_by_test_id("client-notice")).to_have_value(
        re.compile("投诉人刘女士您好.*前给出处理结果")
    )
    assert_fits_phone(phone)
    phone.locator("[data-testid=moves] summary", has_text="已解决").click()
    resolve = phone.locator("form[data-move=resolved]")
    resolve.get_by_label("处理经过").fill("店长当面致歉，更换跟进经纪人。")
    resolve.get_by_label("商定的补救措施").fill("免一次保洁费")
    resolve.get_by_role("button").click()
    expect(phone.get_by_test_id("status")).to_have_text("已解决")
    expect(phone.locator("main")).to_contain_text("免一次保洁费")

    # and it has left the workbench
    phone.goto("/")
    expect(phone.locator("[data-testid=figures]")).to_be_visible()
    expect(phone.locator("[data-section=complaints]")).to_have_count(0)

    # and the month's review draws its charts on the phone
    phone.goto(
        "/care/complaints/review/?month="
        + timezone.localtime(timezone.now() - dt.timedelta(days=10)).strftime("%Y-%m")
    )
    expect(phone.locator("[data-chart=category]")).to_have_attribute("data-drawn", "1")
    expect(phone.get_by_test_id("review-total")).to_contain_text("1")
    assert_fits_phone(phone)
    phone.goto("/care/complaints/?tab=closed")
    assert_fits_phone(phone)
