"""The demo agency has referrals with rewards in each state, and a satisfied client to ask."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from anju.clients.models import Client
from anju.core import workbench
from anju.org.models import Agent
from anju.referrals.models import Referral, ReferralCode, Reward
from tests.conftest import login
from tests.demo.demo_runs import run_demo

SMALL = ["--listings", "200", "--clients", "150"]


def test_the_demo_has_referrals_and_rewards_in_each_state(db, frozen_day):
    # when the demo is made
    run_demo(*SMALL)
    # then rewards are pending, approved and paid
    assert set(Reward.objects.values_list("status", flat=True)) == {"pending", "approved", "paid"}
    # and a partner referred someone, and every client referral agrees with referred_by
    assert Referral.objects.filter(referrer_kind="partner").exists()
    pairs = set(Client.objects.filter(referred_by__isnull=False).values_list("pk", "referred_by_id"))
    assert pairs == set(
        Referral.objects.filter(referrer_kind="client").values_list("referred_id", "referrer_client_id")
    )
    assert ReferralCode.objects.exists()
    # and a manager sees them on the referrals page
    manager = Agent.objects.filter(role="manager").first()
    page = login(Agent.objects.get(role="admin")).get(reverse("web:referrals"))
    assert page.status_code == 200 and "已发放" in page.content.decode()
    assert manager is not None
    # and some agent is reminded to ask a satisfied client (鼓励分享)
    asked = [
        agent
        for agent in Agent.objects.all()
        if workbench.collect_one("referrals", agent, timezone.localdate()).items
    ]
    assert asked
