"""An agent on a phone opens the workbench, finds a client the cadence says is due, with its tier,
and sees on the client's page the tier and the reasons in words — in Debian's Chromium, at 375 px."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anju.care.services import tiers_recompute
from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory, InteractionFactory, NeedFactory

pytestmark = pytest.mark.browser


def test_agent_sees_the_due_contact_on_the_workbench_and_the_tier_with_its_reasons(phone, live_server):
    # given a buyer with a 450万 budget, last called eight days ago, scored by the nightly job
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    client = ClientFactory(owner=agent, name="王芳", last_contact_at=timezone.now() - dt.timedelta(days=8))
    NeedFactory(client=client, agent=agent, kind="buy", budget_max=Decimal("4500000"))
    InteractionFactory(client=client, happened_at=timezone.now() - dt.timedelta(days=8))
    tiers_recompute(company_id=agent.company_id)
    client.refresh_from_db()
    assert client.tier == "B"
    sign_in(phone, "zhangwei", PASSWORD)

    # when the agent opens the workbench
    phone.goto("/")
    due = phone.locator(f'[data-item="care:client:{client.pk}"]')
    # then the client is due by the cadence, with the tier
    expect(due).to_contain_text("王芳")
    expect(due).to_contain_text("B类")
    expect(due).to_contain_text("应联系")
    assert_fits_phone(phone)

    # when the agent opens the client
    due.get_by_role("link", name="王芳").click()
    # then the tier and the reasons in words
    expect(phone).to_have_url(re.compile(r"/clients/\d+/$"))
    card = phone.get_by_test_id("client-tier")
    expect(card.get_by_test_id("tier")).to_have_text("B 类")
    expect(card.get_by_test_id("tier-reasons")).to_contain_text("近30天跟进1次")
    expect(card.get_by_test_id("tier-reasons")).to_contain_text("预算450万")
    assert_fits_phone(phone)
