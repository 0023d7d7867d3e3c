"""The demo's outbox (发件箱): a few greetings and recommendations already sent to consenting
clients (they show in the clients' timelines), one waiting to leave and birthday greetings waiting
for the agent's approval. Queued through the outbox's service, as the jobs would."""

from __future__ import annotations

import datetime as dt
import random

from anju.clients.models import Client, Consent
from anju.demo.clock import DemoClock
from anju.messaging.models import Message, MessageStatus
from anju.messaging.services import message_queue
from anju.org.models import Company

SENT = 3
AWAITING = 2


def demo_messaging(company: Company, clock: DemoClock, rng: random.Random) -> dict[str, int]:
    consenting = list(
        Consent.objects.filter(client__company=company, client__owner__isnull=False, granted=True)
        .exclude(channel__in=("phone", "email"))
        .order_by("client_id", "channel")
        .values_list("client_id", "channel")[:200]
    )
    picked = rng.sample(consenting, min(len(consenting), SENT + AWAITING + 1))
    clients = Client.objects.in_bulk([client_id for client_id, _channel in picked])
    for number, (client_id, channel) in enumerate(picked):
        client = clients[client_id]
        owner = client.owner
        signature = f"—— {owner.name}" if owner else ""
        days_ago = 1 + number * 2
        at: dt.datetime | None = clock.at(days_ago, 10 * 3600 + number * 600)
        if number < SENT:
            kind, template, text = "greeting", "festival", "冬日天寒，注意保暖，家中如有任何需要随时找我。"
            key = f"{client.pk}:winter:{clock.date(days_ago)}"
        elif number < SENT + AWAITING:
            kind, template, text = "greeting", "birthday", "祝您生日快乐，万事顺意！"
            key, at = f"{client.pk}:birthday:{clock.date(-2)}", None
        else:
            kind, template, text = "service", "", "您关注的房源本周六有开放日，欢迎到场。"
            key, at = f"{client.pk}:open-day:{clock.date(-5)}", None
        message = message_queue(
            client=client,
            channel=channel,
            kind=kind,
            template=template,
            text=f"{client.name}您好，{text}{signature}",
            key=key,
            by=owner,
            approval=template == "birthday",
            at=at,
        )
        if number < SENT:
            # Sent back then: the demo writes what the worker would have marked.
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.SENT, attempts=1, sent_at=at, provider_answer="200 demo"
            )
    return {"消息": len(picked)}
