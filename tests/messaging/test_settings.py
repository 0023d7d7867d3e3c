"""An administrator sets the company's marketing cap, quiet hours and webhook channels on a page."""

from __future__ import annotations

import datetime as dt

import pytest

from anju.messaging.gate import messaging_settings
from anju.messaging.models import ChannelWebhook
from tests.conftest import login

pytestmark = pytest.mark.django_db

FORM = {
    "weekly_marketing_cap": "3",
    "quiet_from": "22:00",
    "quiet_until": "08:30",
    "sms_url": "https://sms.example.com/anju",
    "sms_secret": "a-long-enough-secret-1234",
    "wechat_url": "",
    "wechat_secret": "",
}


def test_an_administrator_sets_the_cap_quiet_hours_and_sms_channel(admin_agent, agent):
    # given
    web = login(admin_agent)
    # when
    saved = web.post("/care/outbox/settings/", FORM)
    kept_secret = web.post("/care/outbox/settings/", {**FORM, "sms_secret": ""})
    refused = web.post("/care/outbox/settings/", {**FORM, "weekly_marketing_cap": "99"})
    # then
    assert saved.status_code == kept_secret.status_code == 302
    current = messaging_settings(admin_agent.company_id)
    assert (current.weekly_marketing_cap, current.quiet_from, current.quiet_until) == (
        3,
        dt.time(22),
        dt.time(8, 30),
    )
    hook = ChannelWebhook.objects.get(company=admin_agent.company)
    assert (hook.channel, hook.url, hook.secret) == (
        "sms",
        "https://sms.example.com/anju",
        "a-long-enough-secret-1234",
    )
    assert "每周营销信息上限须在0至20条之间。" in refused.content.decode()
    # and an agent may not
    assert login(agent).get("/care/outbox/settings/").status_code == 403
