"""On a phone, in Debian's Chromium: an agent opens the workbench on a client's birthday, approves
the drafted birthday greeting and a batch of new matches, and once the outbox has sent them sees
both in the client's timeline as sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from anju.clients.services import consent_record
from anju.messaging.models import Message, MessageKind, MessageStatus
from anju.messaging.tasks import send_messages
from anju.outreach.greetings import greetings_draft
from tests.e2e.conftest import assert_fits_phone, browser, phone, requested_urls  # noqa: F401  (fixtures)
from tests.factories import ClientFactory, CommunityFactory
from tests.matching.match_world import buy_need, sale
from tests.needs.test_needs_browser import signed_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
BEIJING = ZoneInfo("Asia/Shanghai")
# 10:00 in Beijing: outside the quiet hours, so what is approved leaves at once.
BIRTHDAY_MORNING = dt.datetime(2026, 12, 7, 10, tzinfo=BEIJING)


def test_an_agent_approves_a_birthday_greeting_and_new_matches_and_sees_them_sent(phone, signed_in):  # noqa: F811
    with time_machine.travel(BIRTHDAY_MORNING, tick=True):
        # given a client whose birthday is today, who consented to e-mail, and who has two new matches
        client = ClientFactory(
            owner=signed_in,
            name="王芳",
            email="wang.fang@example.com",
            birthday_calendar="solar",
            birthday=dt.date(1988, 12, 7),
        )
        consent_record(client=client, by=signed_in, channel="email", granted=True, how="门店书面签字")
        community = CommunityFactory(company=signed_in.company, name="光谷天悦府")
        buy_need(signed_in, client, districts=[community.district_id])
        sale(signed_in, community, price=Decimal("2000000"))
        sale(signed_in, community, price=Decimal("2100000"))
        # and the nightly job drafted her greeting for approval
        greetings_draft(company_id=signed_in.company_id, today=BIRTHDAY_MORNING.date(), now=BIRTHDAY_MORNING)
        greeting = Message.objects.get(kind=MessageKind.GREETING, client=client)
        assert greeting.status == MessageStatus.AWAITING_APPROVAL

        # when the agent opens the workbench on a phone
        phone.goto("/")
        expect(phone.locator('[data-section="outreach"]')).to_contain_text("王芳 · 生日")
        draft = phone.locator(f'[data-draft="{greeting.pk}"]')
        expect(draft).to_contain_text("王芳您好！今天是您的生日")
        # and approves the greeting
        draft.get_by_test_id("approve-draft").click()
        expect(phone.locator(f'[data-draft="{greeting.pk}"]')).to_have_count(0)
        # and the batch of new matches, by e-mail
        matches = phone.get_by_test_id("new-matches")
        boxes = matches.locator(f'[data-client="{client.pk}"] input[name="ids"]')
        expect(boxes).to_have_count(2)
        for box in boxes.all():
            box.check()
        matches.locator("#approve-channel").select_option("email")
        matches.get_by_role("button", name="批准推荐所选").click()
        expect(phone.get_by_test_id("approve-message")).to_be_visible()
        assert_fits_phone(phone)

        # and the outbox's every-minute job runs
        report = send_messages.call_local()
        assert report["sent"] == 3

        # then the client's timeline shows the greeting and both recommendations as sent
        phone.goto(f"/clients/{client.pk}/")
        timeline = phone.locator("#client-timeline")
        expect(timeline).to_contain_text("王芳您好！今天是您的生日")
        expect(timeline.locator('[data-kind="message"]')).to_have_count(3)
        assert_fits_phone(phone)
