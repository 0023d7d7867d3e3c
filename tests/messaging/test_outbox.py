"""Queue, approve, cancel; opt-out; approved matches; the outbox API and pages."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anju.clients.models import Consent
from anju.matching.models import Match
from anju.matching.records.services import matches_approve
from anju.messaging.channels import signature
from anju.messaging.models import Message, MessageStatus
from anju.messaging.services import (
    client_opt_out,
    message_approve,
    message_cancel,
    message_queue,
    opt_out_by_reply,
)
from anju.messaging.tasks import send_messages
from tests.conftest import login
from tests.factories import ClientFactory, CommunityFactory, ListingFactory, NeedFactory

pytestmark = pytest.mark.django_db


def test_queuing_the_same_key_twice_gives_the_first_message(consenting, morning):
    # given
    client = consenting("sms")
    first = message_queue(
        client=client, channel="sms", kind="greeting", text="春节快乐", key=f"{client.pk}:spring:2027-02-06"
    )
    # when
    again = message_queue(
        client=client, channel="sms", kind="greeting", text="另一版", key=f"{client.pk}:spring:2027-02-06"
    )
    # then
    assert again.pk == first.pk
    assert again.text == "春节快乐"
    assert Message.objects.filter(client=client).count() == 1


def test_a_draft_waits_for_approval_and_is_approved_or_cancelled(consenting, agent, morning):
    # given
    client = consenting("wechat")
    draft = message_queue(
        client=client, channel="wechat", kind="greeting", text="生日快乐", key="b:1", approval=True
    )
    other = message_queue(
        client=client, channel="wechat", kind="greeting", text="冬至快乐", key="d:1", approval=True
    )
    assert draft.status == MessageStatus.AWAITING_APPROVAL
    # when
    approved = message_approve(message=draft, by=agent)
    cancelled = message_cancel(message=other, by=agent)
    # then
    assert approved.status == MessageStatus.QUEUED
    assert approved.approved_by == agent
    assert cancelled.status == MessageStatus.CANCELLED
    assert cancelled.reason == "由张伟取消"


def test_a_marketing_sms_carries_the_td_reply_and_other_channels_a_signed_link(consenting, morning):
    # given
    client = consenting("sms", "email")
    # when
    sms = message_queue(client=client, channel="sms", kind="marketing", text="光谷新盘", key="m:sms")
    email = message_queue(client=client, channel="email", kind="marketing", text="光谷新盘", key="m:email")
    service = message_queue(client=client, channel="sms", kind="service", text="明早10点带看", key="s:1")
    # then
    assert sms.text.endswith("回复TD退订")
    assert re.search(r"退订：http://[^/]+/u/[^/]+/$", email.text)
    assert "退订" not in service.text


def test_the_opt_out_link_stops_all_marketing_and_records_the_consent_change(consenting, morning):
    # given: consent on two channels and a marketing message waiting
    client = consenting("sms", "email")
    waiting = message_queue(client=client, channel="sms", kind="marketing", text="新盘", key="m:1")
    link = message_queue(client=client, channel="email", kind="marketing", text="新盘", key="m:2").text.split(
        "退订："
    )[1]
    page = login_free_path(link)
    # when
    from django.test import Client as Browser

    browser = Browser()
    shown = browser.get(page)
    done = browser.post(page)
    # then
    assert shown.status_code == 200
    assert "确认退订" in shown.content.decode()
    assert done.status_code == 200
    assert "您已退订" in done.content.decode()
    withdrawn = Consent.objects.filter(client=client, granted=False).order_by("channel")
    assert [(c.channel, c.how, c.recorded_by) for c in withdrawn] == [
        ("email", "客户通过退订链接退订", None),
        ("sms", "客户通过退订链接退订", None),
    ]
    waiting.refresh_from_db()
    assert (waiting.status, waiting.reason) == (MessageStatus.CANCELLED, "已退订")
    later = message_queue(client=client, channel="sms", kind="marketing", text="又一个新盘", key="m:3")
    assert (later.status, later.reason) == (MessageStatus.CANCELLED, "已退订")
    # and a second opt-out changes nothing
    assert client_opt_out(client=client, how="again") == 0


def login_free_path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_a_td_reply_opts_the_sender_out(consenting, morning):
    # given
    client = consenting("sms")
    # when
    ignored = opt_out_by_reply(company_id=client.company_id, mobile=client.mobile, text="好的谢谢")
    done = opt_out_by_reply(company_id=client.company_id, mobile=client.mobile, text=" td ")
    # then
    assert not ignored
    assert done
    assert Consent.objects.filter(client=client, granted=False, how="短信回复TD退订").count() == 1


def test_a_forged_opt_out_link_is_not_found(client):
    assert client.get("/u/not-a-token/").status_code == 404


def _approved_match(agent, client) -> Match:
    need = NeedFactory(client=client, agent=agent)
    listing = ListingFactory(
        agent=agent, property__community=CommunityFactory(company=agent.company, name="光谷天地")
    )
    match = Match.objects.create(company=agent.company, need=need, listing=listing, agent=agent, score=80)
    matches_approve(matches=[match], channel="wechat", by=agent)
    match.refresh_from_db()
    return match


def test_an_approved_match_goes_to_the_consenting_client_once_as_marketing(
    consenting, agent, morning, webhook
):
    # given: one client consented to WeChat, one to nothing
    willing = consenting("wechat")
    match = _approved_match(agent, willing)
    unwilling = ClientFactory(owner=agent)
    NeedFactory(client=unwilling, agent=agent)
    # when
    send_messages.call_local()
    send_messages.call_local()
    # then
    message = Message.objects.get(idempotency_key=f"match:{match.pk}")
    assert (message.client, message.channel, message.kind) == (willing, "wechat", "marketing")
    assert "光谷天地" in message.text
    assert not Message.objects.filter(client=unwilling).exists()


def test_the_outbox_api_lists_a_clients_messages(consenting, agent, morning, stranger):
    # given
    client = consenting("sms")
    message_queue(
        client=client,
        channel="sms",
        kind="greeting",
        text="中秋快乐",
        key=f"{client.pk}:mid-autumn:2027-09-15",
    )
    api = login(agent)
    # when
    answer = api.get("/api/v1/care/outbox", {"client_id": client.pk})
    theirs = login(stranger).get("/api/v1/care/outbox", {"client_id": client.pk})
    # then
    assert answer.status_code == 200
    body = answer.json()
    assert body["next_cursor"] is None
    assert [{k: i[k] for k in ("channel", "status", "idempotency_key", "kind")} for i in body["items"]] == [
        {
            "channel": "sms",
            "status": "queued",
            "idempotency_key": f"{client.pk}:mid-autumn:2027-09-15",
            "kind": "greeting",
        }
    ]
    assert theirs.json()["items"] == []


def test_an_agent_approves_a_draft_on_the_outbox_page_and_sees_it_sent_in_the_timeline(
    consenting, agent, morning, webhook, colleague
):
    # given
    client = consenting("sms")
    draft = message_queue(
        client=client, channel="sms", kind="greeting", text="生日快乐，张伟", key="b:2", approval=True
    )
    web = login(agent)
    # when
    page = web.get("/care/outbox/")
    web.post(f"/care/outbox/{draft.pk}/approve/")
    send_messages.call_local()
    detail = web.get(f"/clients/{client.pk}/")
    # then
    assert f'data-message="{draft.pk}"' in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == MessageStatus.SENT
    assert "已发送短信" in detail.content.decode()
    assert "生日快乐，张伟" in detail.content.decode()
    # and a colleague may not approve it
    assert login(colleague).post(f"/care/outbox/{draft.pk}/cancel/").status_code == 403


def test_an_old_approval_is_not_sent_weeks_later(consenting, agent, time_machine):
    # given: approved a month ago, before the outbox existed
    time_machine.move_to(dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC), tick=False)
    client = consenting("wechat")
    match = _approved_match(agent, client)
    time_machine.move_to(timezone.now() + dt.timedelta(days=30), tick=False)
    fresh = _approved_match(agent, consenting("wechat"))
    # when
    send_messages.call_local()
    # then
    assert not Message.objects.filter(idempotency_key=f"match:{match.pk}").exists()
    assert Message.objects.filter(idempotency_key=f"match:{fresh.pk}").exists()


def test_the_outbox_page_reads_a_fixed_number_of_queries(consenting, agent, morning):
    # given
    web = login(agent)
    message_queue(
        client=consenting("sms"), channel="sms", kind="greeting", text="你好", key="q:0", approval=True
    )
    with CaptureQueriesContext(connection) as one:
        first = web.get("/care/outbox/")
    for n in range(1, 12):
        message_queue(
            client=consenting("sms"), channel="sms", kind="greeting", text="你好", key=f"q:{n}", approval=True
        )
    # when
    with CaptureQueriesContext(connection) as many:
        page = web.get("/care/outbox/")
    # then
    assert first.content.decode().count("data-message=") == 1
    assert page.content.decode().count("data-message=") == 12
    assert len(many) == len(one)


def test_an_agent_approves_a_birthday_greeting_on_the_workbench(
    consenting, agent, colleague, morning, webhook
):
    # given: a draft to the agent's client and one to a colleague's
    client = consenting("sms")
    mine = message_queue(
        client=client, channel="sms", kind="greeting", text="生日快乐", key="b:mine", approval=True
    )
    theirs = ClientFactory(owner=colleague)
    message_queue(
        client=theirs, channel="sms", kind="greeting", text="生日快乐", key="b:theirs", approval=True
    )
    web = login(agent)
    # when
    page = web.get("/").content.decode()
    answer = web.post(f"/care/outbox/{mine.pk}/approve/", {"next": "/"})
    after = web.get("/").content.decode()
    # then
    assert f'data-draft="{mine.pk}"' in page
    assert page.count("data-draft=") == 1
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert "data-draft=" not in after
    mine.refresh_from_db()
    assert mine.status == MessageStatus.QUEUED


def _reply(body: dict, secret: str, *, at: int | None = None):
    from django.test import Client as Provider

    raw = json.dumps(body).encode()
    timestamp = str(at if at is not None else int(time.time()))
    return Provider().post(
        "/api/v1/care/outbox/replies",
        raw,
        content_type="application/json",
        headers={"X-Anju-Timestamp": timestamp, "X-Anju-Signature": signature(secret, timestamp, raw)},
    )


def test_the_providers_signed_td_reply_opts_the_client_out(consenting, sms_hook, morning):
    # given
    client = consenting("sms")
    sms_hook("https://sms.example.com/send", "company-secret")
    reply = {"company_id": client.company_id, "mobile": client.mobile}
    # when
    chat = _reply({**reply, "text": "周六可以看房"}, "company-secret")
    forged = _reply({**reply, "text": "TD"}, "guessed-secret")
    stale = _reply({**reply, "text": "TD"}, "company-secret", at=int(time.time()) - 600)
    td = _reply({**reply, "text": "TD"}, "company-secret")
    # then
    assert (chat.status_code, chat.json()) == (200, {"opted_out": False})
    assert (forged.status_code, forged.json()["code"]) == (401, "signature_invalid")
    assert stale.status_code == 401
    assert (td.status_code, td.json()) == (200, {"opted_out": True})
    assert list(Consent.objects.filter(client=client).values_list("granted", "how").order_by("at", "id")) == [
        (True, "门店书面签字"),
        (False, "短信回复TD退订"),
    ]


def test_a_draft_is_approved_through_the_api_and_a_sent_message_cannot_be_cancelled(
    consenting, agent, morning, webhook
):
    # given
    client = consenting("sms")
    draft = message_queue(
        client=client, channel="sms", kind="greeting", text="新年快乐", key="g:api", approval=True
    )
    api = login(agent)
    # when
    approved = api.post(f"/api/v1/care/outbox/{draft.pk}/approve")
    again = api.post(f"/api/v1/care/outbox/{draft.pk}/approve")
    send_messages.call_local()
    late = api.post(f"/api/v1/care/outbox/{draft.pk}/cancel")
    # then
    assert (approved.status_code, approved.json()["status"]) == (200, "queued")
    assert (again.status_code, again.json()["code"]) == (400, "message_not_awaiting")
    assert (late.status_code, late.json()["code"]) == (400, "message_not_cancellable")
    assert late.json()["message"] == "该消息当前状态为“已发送”，不能取消。"
