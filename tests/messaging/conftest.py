from __future__ import annotations

import datetime as dt

import pytest

from anju.clients.models import Client
from anju.clients.services import consent_record
from anju.messaging.models import ChannelWebhook
from tests.factories import ClientFactory

UTC = dt.UTC
# 10:00 on a Monday in Beijing: outside quiet hours.
MORNING = dt.datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@pytest.fixture
def morning(time_machine):
    time_machine.move_to(MORNING, tick=False)
    return MORNING


@pytest.fixture
def consenting(agent):
    """A client of ``agent`` who consented to the given channels (``email`` gets an address)."""

    def make(*channels: str, **fields: object) -> Client:
        fields.setdefault("email", "li.lei@example.com")
        client = ClientFactory(owner=agent, **fields)
        for channel in channels:
            consent_record(client=client, by=agent, channel=channel, granted=True, how="门店书面签字")
        return client

    return make


@pytest.fixture
def sms_hook(agent):
    """Point the company's SMS channel at a webhook receiver given later (``sms_hook(url, secret)``)."""

    def configure(url: str, secret: str) -> ChannelWebhook:
        return ChannelWebhook.objects.create(company=agent.company, channel="sms", url=url, secret=secret)

    return configure


@pytest.fixture
def webhook(sms_hook):
    """A real HTTP receiver, checking signatures, configured as the company's SMS channel."""
    from tests.messaging.receivers import webhook_receiver

    with webhook_receiver() as hook:
        sms_hook(hook.url, hook.secret)
        yield hook
