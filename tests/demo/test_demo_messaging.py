"""The demo agency's outbox: messages sent (in the clients' timelines) and greetings to approve."""

from __future__ import annotations

from django.urls import reverse

from anju.messaging.models import Message
from tests.conftest import login
from tests.demo.demo_runs import run_demo

SMALL = ["--listings", "200", "--clients", "150"]


def test_the_demo_has_sent_messages_and_greetings_awaiting_approval(db, frozen_day):
    # when the demo is made
    run_demo(*SMALL)
    # then some messages went out and some wait for the agent
    sent = Message.objects.filter(status="sent").select_related("client__owner").first()
    assert sent is not None
    awaiting = Message.objects.filter(status="awaiting_approval").select_related("client__owner").first()
    assert awaiting is not None
    # and the agent sees the draft on the outbox page and the sent one in the client's timeline
    outbox = login(awaiting.client.owner).get(reverse("web:outbox"))
    assert f'data-message="{awaiting.pk}"' in outbox.content.decode()
    timeline = login(sent.client.owner).get(reverse("web:client_detail", args=[sent.client_id]))
    assert sent.text in timeline.content.decode()
