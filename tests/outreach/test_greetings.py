"""The nightly greetings: drafted for approval (or queued) on a consented channel, leaving on the
day after the quiet hours, never counted as marketing, and written once however often it runs."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from anju.clients.services import consent_record
from anju.messaging.gate import exclusion
from anju.messaging.models import Message, MessageKind, MessageStatus
from anju.messaging.services import message_approve
from anju.outreach.greetings import greetings_draft
from anju.outreach.models import OutreachSettings
from anju.outreach.services import greeting_template_set
from anju.outreach.tasks import nightly_greetings
from tests.conftest import skip_or_fail
from tests.factories import ClientFactory

BEIJING = ZoneInfo("Asia/Shanghai")
# 02:45 in Beijing on Monday 2026-12-07, when the nightly job runs.
NIGHT = dt.datetime(2026, 12, 7, 2, 45, tzinfo=BEIJING)


@pytest.fixture
def night(time_machine):
    time_machine.move_to(NIGHT, tick=False)
    return NIGHT


@pytest.mark.django_db
def test_a_birthday_greeting_is_drafted_for_approval_on_the_consented_channel(night, agent, consenting):
    # given a client with a birthday in three days who consented to SMS only
    client = consenting("sms", name="王芳", birthday_calendar="solar", birthday=dt.date(1988, 12, 10))
    # and one without any consent, born the same day
    ClientFactory(owner=agent, name="无授权", birthday_calendar="solar", birthday=dt.date(1990, 12, 10))
    # when the nightly job runs
    report = nightly_greetings.call_local()
    # then one greeting awaits the agent's approval, by SMS, in the company's default words
    greeting = Message.objects.get(kind=MessageKind.GREETING)
    assert report == {"occasions": 2, "drafted": 1, "no_channel": 1}
    assert (greeting.client, greeting.channel, greeting.status) == (
        client,
        "sms",
        MessageStatus.AWAITING_APPROVAL,
    )
    assert greeting.idempotency_key == f"greeting:{client.pk}:birthday:2026-12-10"
    assert greeting.text.startswith("王芳您好！今天是您的生日")
    assert agent.name in greeting.text
    # and it leaves on the birthday itself once the quiet hours end (09:00)
    assert greeting.next_attempt_at == dt.datetime(2026, 12, 10, 9, tzinfo=BEIJING)
    # approving it keeps that time
    approved = message_approve(message=greeting, by=agent)
    assert (approved.status, approved.next_attempt_at) == (
        MessageStatus.QUEUED,
        dt.datetime(2026, 12, 10, 9, tzinfo=BEIJING),
    )


@pytest.mark.django_db
def test_a_company_that_sends_automatically_queues_with_its_own_words(night, agent, consenting):
    OutreachSettings.objects.create(company=agent.company, greetings_auto_send=True)
    manager = agent
    manager.role = "manager"
    manager.save()
    greeting_template_set(by=manager, kind="birthday", body="{name}，生日快乐！{signature}")
    client = consenting("wechat", name="李雷", birthday_calendar="solar", birthday=dt.date(1988, 12, 7))
    greetings_draft(company_id=agent.company_id, today=night.date(), now=night)
    greeting = Message.objects.get(client=client)
    # today's birthday, at 02:45: waits out the quiet hours until 09:00 today
    assert (greeting.status, greeting.channel, greeting.next_attempt_at) == (
        MessageStatus.QUEUED,
        "wechat",
        dt.datetime(2026, 12, 7, 9, tzinfo=BEIJING),
    )
    assert greeting.text.startswith("李雷，生日快乐！")


@pytest.mark.django_db
def test_greetings_do_not_count_toward_the_marketing_cap(night, agent, consenting):
    # given a client who got a greeting and whose cap of marketing is 2 a week
    client = consenting("sms", birthday_calendar="solar", birthday=dt.date(1988, 12, 8))
    greetings_draft(company_id=agent.company_id, today=night.date(), now=night)
    assert Message.objects.filter(client=client, kind=MessageKind.GREETING).count() == 1
    # then the gate still lets marketing through
    assert exclusion(client, "sms", MessageKind.MARKETING, night) == ""


@pytest.mark.django_db
def test_an_opted_out_client_gets_no_greeting(night, agent, consenting):
    client = consenting("sms", birthday_calendar="solar", birthday=dt.date(1988, 12, 8))
    consent_record(client=client, by=agent, channel="sms", granted=False, how="短信回复TD退订")
    report = greetings_draft(company_id=agent.company_id, today=night.date(), now=night)
    assert (report.drafted, report.no_channel) == (0, 1)
    assert not Message.objects.filter(client=client).exists()


@pytest.mark.django_db
def test_running_the_job_twice_drafts_once(night, agent, consenting):
    consenting("sms", birthday_calendar="solar", birthday=dt.date(1988, 12, 8))
    consenting("sms", birthday_calendar="lunar", lunar_birth_month=10, lunar_birth_day=29)
    first = nightly_greetings.call_local()
    second = nightly_greetings.call_local()
    assert first["drafted"] == 2
    assert second["drafted"] == 0
    assert Message.objects.filter(kind=MessageKind.GREETING).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_draft_once(agent, consenting):
    if connection.vendor != "postgresql":
        # The tests' SQLite is one in-memory database shared between threads, which answers a second
        # writer "table is locked" at once instead of waiting as a file database does.
        skip_or_fail("postgres", "two workers at once need a database that lets a writer wait")
    # given fifty clients with a birthday tomorrow
    for _n in range(50):
        consenting("sms", birthday_calendar="solar", birthday=dt.date(1990, 12, 8))
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            greetings_draft(company_id=agent.company_id, today=NIGHT.date(), now=NIGHT)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    # when two workers run the job at the same moment
    threads = [threading.Thread(target=worker) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then each client has one greeting
    assert errors == []
    assert Message.objects.filter(kind=MessageKind.GREETING).count() == 50
