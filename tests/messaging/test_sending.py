"""Sending through real receivers: SMTP (aiosmtpd) and a webhook that checks the signature; retries;
a job run twice or on two workers at once; a worker killed mid-send (decision 0020)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from anju.messaging.channels import message_id
from anju.messaging.models import ChannelWebhook, Message, MessageStatus, MessagingSettings
from anju.messaging.services import LEASE, message_queue, messages_send_due
from tests.conftest import skip_or_fail
from tests.messaging.receivers import smtp_receiver, webhook_receiver

pytestmark = pytest.mark.django_db


def test_an_email_arrives_at_a_real_smtp_server_with_its_key(consenting, morning, settings):
    # given
    client = consenting("email", email="han.mei@example.com")
    message = message_queue(
        client=client, channel="email", kind="service", subject="带看确认", text="明早10点带看", key="s:mail"
    )
    with smtp_receiver() as mailbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = mailbox.host, mailbox.port
        # when
        report = messages_send_due()
    # then
    assert report["sent"] == 1
    [mail] = mailbox.messages
    assert mail["To"] == "han.mei@example.com"
    assert mail["Message-ID"] == message_id("s:mail", client.company_id)
    assert "明早10点带看" in mail.get_payload(decode=True).decode()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


def test_the_webhook_is_signed_and_a_wrong_secret_is_refused(consenting, agent, morning):
    # given
    client = consenting("sms")
    ok = message_queue(client=client, channel="sms", kind="service", text="合同已签", key="s:ok")
    with webhook_receiver() as hook:
        webhook = ChannelWebhook.objects.create(
            company=agent.company, channel="sms", url=hook.url, secret=hook.secret
        )
        # when
        messages_send_due()
        webhook.secret = "not-what-the-provider-has"
        webhook.save()
        bad = message_queue(client=client, channel="sms", kind="service", text="过户完成", key="s:bad")
        messages_send_due()
    # then
    assert hook.delivered["s:ok"]["to"] == {
        "client_id": client.pk,
        "name": client.name,
        "mobile": client.mobile,
    }
    assert hook.delivered["s:ok"]["text"] == "合同已签"
    assert hook.refused == ["s:bad"]
    ok.refresh_from_db()
    bad.refresh_from_db()
    assert ok.status == MessageStatus.SENT
    assert bad.status == MessageStatus.FAILED
    assert bad.provider_answer.startswith("401")


def test_a_provider_error_is_retried_with_backoff_then_sent(consenting, morning, webhook, time_machine):
    # given: the provider answers 503
    client = consenting("sms")
    message = message_queue(client=client, channel="sms", kind="service", text="交房提醒", key="s:retry")
    webhook.answer_status = 503
    # when
    first = messages_send_due()
    again_at_once = messages_send_due()
    webhook.answer_status = 200
    time_machine.move_to(morning + dt.timedelta(minutes=1, seconds=1), tick=False)
    later = messages_send_due()
    # then
    assert (first["retried"], again_at_once["sent"], later["sent"]) == (1, 0, 1)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert len(webhook.requests) == 2
    assert list(webhook.delivered) == ["s:retry"]


def test_a_message_failing_five_times_is_marked_failed(consenting, morning, webhook, time_machine):
    client = consenting("sms")
    message = message_queue(client=client, channel="sms", kind="service", text="交房提醒", key="s:down")
    webhook.answer_status = 500
    for hours in range(5):
        time_machine.move_to(morning + dt.timedelta(hours=hours * 2), tick=False)  # by day, past each backoff
        messages_send_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 5)
    assert message.provider_answer.startswith("500")


def test_the_job_run_twice_sends_once(consenting, morning, webhook, capsys):
    # given
    client = consenting("sms")
    message_queue(client=client, channel="sms", kind="greeting", text="元旦快乐", key="g:new-year")
    # when
    call_command("jobs", "run", "send_messages")
    call_command("jobs", "run", "send_messages")
    # then
    assert len(webhook.requests) == 1
    first, second = capsys.readouterr().out.splitlines()
    assert json.loads(first)["sent"] == 1 and json.loads(second)["sent"] == 0


def _require_postgres() -> None:
    if connection.vendor != "postgresql":
        skip_or_fail("postgres", "two workers and a killed worker need a database other processes can share")


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_once(consenting, morning, webhook):
    _require_postgres()
    # given: 30 messages due and a provider slow enough for the workers to overlap
    for n in range(30):
        message_queue(client=consenting("sms"), channel="sms", kind="service", text=f"通知{n}", key=f"s:{n}")
    start = threading.Barrier(2)
    reports: list[dict] = []

    def worker() -> None:
        try:
            start.wait(timeout=10)
            reports.append(messages_send_due())
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then: every message once, and both workers took a share
    assert len(webhook.requests) == 30
    assert len(webhook.delivered) == 30
    assert sum(r["sent"] for r in reports) == 30
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 30


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_nothing_and_the_receiver_sees_each_message_once(
    consenting, agent, webhook, time_machine
):
    _require_postgres()
    # given: two messages due now (the worker runs on the real clock: no quiet hours for this
    # company); the provider holds the first request open
    MessagingSettings.objects.create(company=agent.company, quiet_from=dt.time(0), quiet_until=dt.time(0))
    clients = [consenting("sms"), consenting("sms")]
    for n, client in enumerate(clients):
        message_queue(client=client, channel="sms", kind="service", text=f"带看确认{n}", key=f"s:kill:{n}")
    webhook.hold_first = True
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "anju", "jobs", "run", "send_messages"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # when: the worker is killed while the provider has the first message
        assert webhook.arrived.wait(timeout=60), (
            worker.stdout.read().decode() if worker.poll() is not None else ""
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    webhook.release.set()
    # then: nothing was marked sent, and both messages are held by the dead worker's lease
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.QUEUED}
    assert messages_send_due()["sent"] == 0
    # when: the lease runs out and the next run takes them up
    time_machine.move_to(dt.datetime.now(tz=dt.UTC) + LEASE + dt.timedelta(seconds=1), tick=False)
    report = messages_send_due()
    # then: both sent; the first reached the provider twice with the same key and was delivered once
    assert report["sent"] == 2
    assert sorted(p["idempotency_key"] for p in webhook.requests) == ["s:kill:0", "s:kill:0", "s:kill:1"]
    assert sorted(webhook.delivered) == ["s:kill:0", "s:kill:1"]
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
