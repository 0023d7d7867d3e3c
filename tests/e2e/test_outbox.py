"""On a phone: the agent approves a birthday greeting and a batch of new matches on the workbench,
the outbox sends them (to a real webhook receiver), and the client's timeline shows them as sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from anju.clients.services import consent_record
from anju.messaging.models import ChannelWebhook, Message, MessagingSettings
from anju.messaging.services import message_queue
from anju.messaging.tasks import send_messages
from tests.e2e.conftest import assert_fits_phone, browser, phone, requested_urls  # noqa: F401  (fixtures)
from tests.factories import ClientFactory, CommunityFactory
from tests.matching.match_world import buy_need, sale
from tests.messaging.receivers import webhook_receiver
from tests.needs.test_needs_browser import signed_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_an_agent_approves_a_greeting_and_matches_and_sees_them_sent(phone, signed_in):  # noqa: F811
    # given: a client who agreed to texts, with a birthday greeting drafted and two new matches
    agent = signed_in
    # The browser runs on the real clock: this company keeps no quiet hours, so nothing waits.
    MessagingSettings.objects.create(company=agent.company, quiet_from=dt.time(0), quiet_until=dt.time(0))
    client = ClientFactory(owner=agent, name="王先生")
    consent_record(client=client, by=agent, channel="sms", granted=True, how="门店书面签字")
    draft = message_queue(
        client=client,
        channel="sms",
        kind="greeting",
        text="王先生您好，祝您生日快乐！—— 张伟",
        key="b:wang",
        approval=True,
    )
    community = CommunityFactory(company=agent.company, name="光谷天悦府")
    buy_need(agent, client, districts=[community.district_id])
    for n in range(2):
        sale(agent, community, price=Decimal(2000000 + n * 50000))
    with webhook_receiver() as provider:
        ChannelWebhook.objects.create(
            company=agent.company, channel="sms", url=provider.url, secret=provider.secret
        )
        phone.goto("/")
        assert_fits_phone(phone)
        # when: the greeting is approved in place, then both matches at once
        phone.locator(f'[data-draft="{draft.pk}"]').get_by_role("button", name="批准发送").click()
        expect(phone.locator(f'[data-draft="{draft.pk}"]')).to_have_count(0)
        matches = phone.get_by_test_id("new-matches")
        for box in matches.locator('input[name="ids"]').all():
            box.check()
        matches.get_by_role("button", name="批准推荐所选").click()
        expect(phone.get_by_test_id("approve-message")).to_be_visible()
        # and the outbox's job runs
        send_messages.call_local()
        # then: the provider got three texts, each once, and the client's timeline shows them sent
        assert len(provider.delivered) == 3
        phone.goto(f"/clients/{client.pk}/")
        timeline = phone.locator("#client-timeline")
        expect(timeline.get_by_text("祝您生日快乐")).to_be_visible()
        expect(timeline.get_by_text("已发送短信")).to_have_count(3)
        expect(timeline.get_by_text("光谷天悦府").first).to_be_visible()
        assert_fits_phone(phone)
    assert Message.objects.filter(client=client, status="sent").count() == 3
