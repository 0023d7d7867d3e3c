"""The demo agency has referrals with rewards in each state, satisfied clients to ask (after a visit and
after a complaint), and every agent's card page linked from the referrals page."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from anju.clients.models import Client
from anju.complaints.models import Complaint
from anju.core import workbench
from anju.org.models import Agent
from anju.referrals.models import AgentCard, Referral, ReferralCode, Reward
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
    # and agents are reminded to ask satisfied clients (鼓励分享): after a visit and after a complaint
    kinds = {
        item.kind
        for agent in Agent.objects.all()
        for item in workbench.collect_one("referrals", agent, timezone.localdate()).items
    }
    assert kinds == {"referral_ask", "referral_ask_complaint"}
    closed = Complaint.objects.get(status="closed")
    owner = closed.client.owner
    assert owner is not None
    asks = workbench.collect_one("referrals", owner, timezone.localdate()).items
    assert f"client:{closed.client_id}" in [i.key for i in asks]
    # and every working agent has a card page, its link and QR on the referrals page
    agents = Agent.objects.filter(is_active=True, store__isnull=False)
    assert AgentCard.objects.filter(agent__in=agents).count() == agents.count() > 0
    page = login(owner).get(reverse("web:referrals")).content.decode()
    assert f"/c/{owner.card.slug}/" in page and 'data-testid="card-qr"' in page
    assert login(owner).get(f"/c/{owner.card.slug}/").status_code == 200
    # and the cards show the agents' photos, but for one agent whose card shows the initial
    without = [a.name for a in agents if not a.photo]
    assert without == ["孙浩"]
    for agent in agents.select_related("card"):
        visitor = HttpClient()
        card = visitor.get(f"/c/{agent.card.slug}/").content.decode()
        if agent.photo:
            assert f"/c/{agent.card.slug}/photo/" in card
            photo = visitor.get(f"/c/{agent.card.slug}/photo/")
            assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
        else:
            assert 'data-testid="agent-initial">孙</div>' in card
