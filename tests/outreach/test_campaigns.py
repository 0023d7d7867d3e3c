"""Campaigns: the preview names who gets the content and why, and who is left out and why (the
messaging gate's reasons and 近期已联系); sending queues exactly the recipients, once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient

from anju.messaging.models import Message, MessageKind, MessageStatus
from anju.messaging.services import client_opt_out, message_queue
from anju.org.services import token_create
from anju.outreach.campaigns import Target, campaign_send
from tests.factories import DistrictFactory, NeedFactory

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
# 10:00 on a Monday in Beijing: outside quiet hours.
MORNING = dt.datetime(2026, 12, 7, 10, tzinfo=BEIJING)


@pytest.fixture
def morning(time_machine):
    time_machine.move_to(MORNING, tick=False)
    return MORNING


@pytest.fixture
def world(morning, agent, manager, consenting):
    """Buyers in 武昌区 with budgets, each with a different reason to be in or out."""
    wuchang, hankou = DistrictFactory(name="武昌区"), DistrictFactory(name="江汉区")
    people = {}

    def buyer(name, *channels, district=wuchang, budget=(Decimal("3000000"), Decimal("4000000")), **fields):
        client = consenting(*channels, name=name, **fields)
        NeedFactory(client=client, districts=[district], budget_min=budget[0], budget_max=budget[1])
        people[name] = client
        return client

    buyer("会收到", "sms")
    buyer("没授权")
    buyer("已退订", "sms")
    client_opt_out(client=people["已退订"], how="短信回复TD退订")
    buyer("刚联系过", "sms", last_contact_at=MORNING - dt.timedelta(days=1))
    capped = buyer("本周已满", "sms")
    for n in range(2):
        message_queue(
            client=capped, channel="sms", kind="marketing", text="行情", key=f"earlier:{n}", at=MORNING
        )
    buyer("别的区", "sms", district=hankou)
    buyer("预算太低", "sms", budget=(Decimal("1000000"), Decimal("1500000")))
    return people


TARGET = {"need_kind": "buy", "budget_min": "3500000", "budget_max": "5000000", "tiers": [], "tags": []}


def test_the_preview_names_everyone_in_or_out_with_the_reason(world, manager):
    # given a manager's session token
    _token, raw = token_create(user=manager.user, name="测试")
    api = HttpClient(headers={"Authorization": f"Bearer {raw}"})
    district = world["会收到"].needs.get().districts.get()
    # when the manager previews a campaign to buyers in 武昌区 with 350–500万
    answer = api.post(
        "/api/v1/care/campaigns/preview",
        {"target": {**TARGET, "district_ids": [district.pk]}, "channel": "sms"},
        content_type="application/json",
    )
    # then exactly one client gets it, with why
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [(r["client_id"], r["reason"]) for r in body["recipients"]] == [
        (world["会收到"].pk, "符合：购房需求，意向区域相符，预算 350万–500万")
    ]
    # and every other client the target picks is left out with the reason in Chinese
    assert {r["client_id"]: r["reason"] for r in body["excluded"]} == {
        world["没授权"].pk: "未同意短信联系",
        world["已退订"].pk: "已退订",
        world["刚联系过"].pk: "近期已联系（3天内）",
        world["本周已满"].pk: "本周营销信息已达2条",
    }
    # (clients outside the target are neither)
    named = {r["client_id"] for r in body["recipients"] + body["excluded"]}
    assert world["别的区"].pk not in named and world["预算太低"].pk not in named


def test_a_preview_with_a_bad_channel_is_refused_in_chinese(world, manager):
    _token, raw = token_create(user=manager.user, name="测试")
    api = HttpClient(headers={"Authorization": f"Bearer {raw}"})
    answer = api.post(
        "/api/v1/care/campaigns/preview",
        {"target": TARGET, "channel": "in_app"},
        content_type="application/json",
    )
    assert (answer.status_code, answer.json()["code"]) == (400, "campaign_channel_invalid")


def test_sending_queues_marketing_with_an_opt_out_to_exactly_the_recipients(world, manager):
    target = Target(need_kind="buy", budget_min=Decimal("3500000"))
    campaign, preview = campaign_send(
        by=manager,
        kind="market_report",
        title="11月武昌二手房行情",
        body="成交量环比上涨12%。",
        target=target,
        channel="sms",
    )
    sent = Message.objects.filter(idempotency_key__startswith=f"campaign:{campaign.pk}:")
    assert (
        {m.client_id for m in sent}
        == {r.client_id for r in preview.recipients}
        == {
            world["会收到"].pk,
            world["别的区"].pk,
        }
    )
    assert campaign.sent_count == 2
    for message in sent:
        assert (message.kind, message.status) == (MessageKind.MARKETING, MessageStatus.QUEUED)
        assert message.text.endswith("回复TD退订")


def test_an_agent_may_not_send_a_campaign(world, agent):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        campaign_send(by=agent, kind="policy", title="政策", body="解读", target=Target(), channel="sms")


def test_the_campaign_page_previews_and_sends(world, manager):
    # given the manager on the campaign page
    web = HttpClient()
    web.force_login(manager.user)
    form = {
        "kind": "market_report",
        "title": "11月行情",
        "body": "成交量上涨。",
        "channel": "sms",
        "need_kind": "buy",
        "budget_min": "350",
        "budget_max": "500",
    }
    # when previewing
    preview = web.post("/care/campaigns/", {**form, "action": "preview"})
    # then the counts and both lists are shown
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "会收到" in page and "近期已联系（3天内）" in page and "发送给 2 位客户" in page
    # and sending queues the messages
    sent = web.post("/care/campaigns/", {**form, "action": "send"}, follow=True)
    assert "已发送给 2 位客户，4 位被排除。" in sent.content.decode()
    assert Message.objects.filter(idempotency_key__startswith="campaign:").count() == 2
