"""The demo agency's clients are scored (tiers with reasons, stages, next contacts), one tier is
pinned by a store manager, and the agents' workbenches have contacts due by the cadence."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from anju.care.models import TierChange, TierPin
from anju.clients.models import Client
from anju.core.workbench import collect
from anju.demo.care import PIN_REASON
from anju.org.models import Agent
from tests.demo.demo_runs import run_demo

SMALL = ["--listings", "200", "--clients", "150"]


def test_the_demo_scores_its_clients_pins_one_and_fills_the_agents_day(db, frozen_day):
    # when the demo is made
    run_demo(*SMALL)
    # then every client has a tier with reasons, several tiers are used, and deals gave stages
    # (the client the demo erases at their request is scored no more)
    clients = Client.objects.filter(merged_into__isnull=True, erased_at__isnull=True)
    assert not clients.filter(tier="").exists()
    assert not clients.filter(tier_reasons="").exists()
    assert clients.values("tier").annotate(n=Count("pk")).count() >= 3
    assert clients.filter(stage="transaction").exists() and clients.filter(stage="past").exists()
    assert TierChange.objects.count() >= clients.count()
    # and one tier is pinned by a store manager, with its reason
    pin = TierPin.objects.select_related("by", "client").get()
    assert pin.by.role == "manager" and pin.reason == PIN_REASON and pin.client.tier == "A"
    # and some agent's workbench lists contacts due by the cadence
    agents = Agent.objects.filter(role="agent")
    today = timezone.localdate()
    assert any(item.source == "care" for agent in agents for item in collect(agent, today).items)
