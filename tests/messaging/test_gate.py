"""The gate: consent per channel, opt-out, the weekly marketing cap and quiet hours."""

from __future__ import annotations

import datetime as dt

import pytest

from anju.clients.services import consent_record
from anju.messaging.gate import exclusions
from anju.messaging.models import MessageStatus, MessagingSettings
from anju.messaging.services import message_queue, messages_send_due
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _marketing(client, n: int, channel: str = "sms"):
    return message_queue(
        client=client, channel=channel, kind="marketing", text="新盘推荐", key=f"m:{client.pk}:{n}"
    )


def test_only_a_consented_channel_is_open(consenting, morning):
    # given
    client = consenting("wechat")
    # when
    sms = exclusions([client], "sms", "service", morning)
    wechat = exclusions([client], "wechat", "service", morning)
    # then
    assert sms == {client.pk: "未同意短信联系"}
    assert wechat == {}


def test_a_withdrawn_consent_reads_as_opted_out(consenting, agent, morning):
    # given
    client = consenting("sms")
    consent_record(client=client, by=agent, channel="sms", granted=False, how="电话口头撤回")
    # then
    assert exclusions([client], "sms", "marketing", morning) == {client.pk: "已退订"}


def test_the_weekly_cap_stops_the_third_marketing_message_but_not_greetings(
    consenting, morning, time_machine
):
    # given: two marketing messages this week
    client = consenting("sms")
    _marketing(client, 1)
    _marketing(client, 2)
    # when
    third = _marketing(client, 3)
    greeting = message_queue(client=client, channel="sms", kind="greeting", text="生日快乐", key="g:1")
    service = message_queue(client=client, channel="sms", kind="service", text="带看确认", key="s:1")
    # then
    assert third.status == MessageStatus.CANCELLED
    assert third.reason == "本周营销信息已达2条"
    assert greeting.status == MessageStatus.QUEUED
    assert service.status == MessageStatus.QUEUED
    # when: a rolling week later the first two no longer count
    time_machine.move_to(morning + dt.timedelta(days=7, minutes=1), tick=False)
    # then
    assert _marketing(client, 4).status == MessageStatus.QUEUED


def test_the_cap_is_the_companys_setting(consenting, agent, morning):
    # given
    MessagingSettings.objects.create(company=agent.company, weekly_marketing_cap=3)
    client = consenting("sms")
    _marketing(client, 1)
    _marketing(client, 2)
    # when
    third, fourth = _marketing(client, 3), _marketing(client, 4)
    # then
    assert third.status == MessageStatus.QUEUED
    assert fourth.reason == "本周营销信息已达3条"


def test_exclusions_for_many_clients_take_a_fixed_number_of_queries(
    consenting, agent, morning, django_assert_num_queries
):
    # given: clients without consent, opted out, at the cap, and free
    few = [consenting("sms") for _ in range(2)]
    many = few + [consenting("sms") for _ in range(20)] + [ClientFactory(owner=agent) for _ in range(5)]
    _marketing(many[0], 1)
    _marketing(many[0], 2)
    # when / then
    with django_assert_num_queries(2):
        exclusions(few, "sms", "marketing", morning)
    with django_assert_num_queries(2):
        reasons = exclusions(many, "sms", "marketing", morning)
    assert reasons[many[0].pk] == "本周营销信息已达2条"
    assert sum(1 for r in reasons.values() if r == "未同意短信联系") == 5
    assert many[1].pk not in reasons


def test_a_message_queued_in_quiet_hours_waits_for_the_morning(consenting, time_machine, webhook):
    # given: 22:30 in Beijing
    client = consenting("sms")
    night = dt.datetime(2026, 12, 7, 14, 30, tzinfo=dt.UTC)
    time_machine.move_to(night, tick=False)
    # when
    message = message_queue(client=client, channel="sms", kind="greeting", text="冬至快乐", key="g:dongzhi")
    # then: not dropped, waiting until 09:00 Beijing
    assert message.status == MessageStatus.QUEUED
    assert message.send_after == dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)
    assert messages_send_due()["sent"] == 0
    assert webhook.requests == []
    # when: 09:00 comes
    time_machine.move_to(dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC), tick=False)
    # then
    assert messages_send_due()["sent"] == 1
    assert list(webhook.delivered) == ["g:dongzhi"]
