"""POST /api/v1/referrals and the rewards' approve and pay (decision 0002): 201 with the referral,
400 with who paid and when in ``details`` on a second pay, 403 for an agent, 404 across companies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from anju.clients.services import client_create
from anju.org.services import token_create
from anju.outreach.services import partner_save
from anju.referrals.models import Referral, Reward
from tests.factories import AgentFactory, ClientFactory
from tests.referrals.conftest import deal_for, rule, sign


def api_of(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def test_post_a_referral_links_referrer_client_and_agent(agent, referrer):
    # given a client recorded without a referrer
    friend = client_create(agent=agent, name="钱女士", mobile="13900007777")
    # when the agent records the referral
    response = api_of(agent).post(
        "/api/v1/referrals",
        {"client_id": friend.pk, "referrer_client_id": referrer.pk, "note": "朋友"},
        content_type="application/json",
    )
    # then 201 with the referral, and the client's 介绍人 is the referrer
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["client_id"], body["referrer_client_id"], body["agent_id"], body["referrer_name"]) == (
        friend.pk,
        referrer.pk,
        agent.pk,
        referrer.name,
    )
    friend.refresh_from_db()
    assert friend.referred_by_id == referrer.pk


def test_post_a_partner_referral_needs_a_name(agent):
    friend = client_create(agent=agent, name="孙女士", mobile="13900007778")
    api = api_of(agent)
    refused = api.post(
        "/api/v1/referrals",
        {"client_id": friend.pk, "referrer_kind": "partner"},
        content_type="application/json",
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "referrer_name_required")
    made = api.post(
        "/api/v1/referrals",
        {"client_id": friend.pk, "referrer_kind": "partner", "referrer_name": "友邻搬家"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["referrer_name"] == "友邻搬家"


def test_a_partner_of_the_directory_refers_by_its_id_and_another_companys_is_404(agent, manager, stranger):
    # given a partner of the directory, and one of another company's
    movers = partner_save(by=manager, name="好邻居搬家", kind="moving", phone="027-88880001")
    their_manager = AgentFactory(company=stranger.company, store=stranger.store, role="manager")
    theirs = partner_save(by=their_manager, name="别家搬家", kind="moving", phone="027-88880009")
    api = api_of(agent)
    friend = client_create(agent=agent, name="孙女士", mobile="13900007778")
    # when another company's partner is named, it is not found and nothing is recorded
    other = api.post(
        "/api/v1/referrals",
        {"client_id": friend.pk, "referrer_kind": "partner", "referrer_partner_id": theirs.pk},
        content_type="application/json",
    )
    assert other.status_code == 404
    assert not Referral.objects.exists()
    # when the company's partner is named, the referral points at it and carries its name
    made = api.post(
        "/api/v1/referrals",
        {"client_id": friend.pk, "referrer_kind": "partner", "referrer_partner_id": movers.pk},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert (made.json()["referrer_partner_id"], made.json()["referrer_name"]) == (movers.pk, "好邻居搬家")
    assert list(movers.referrals_made.values_list("referred_id", flat=True)) == [friend.pk]


def test_a_referral_of_another_companys_client_is_404(agent, stranger):
    theirs = ClientFactory(owner=stranger)
    response = api_of(agent).post(
        "/api/v1/referrals",
        {"client_id": theirs.pk, "referrer_kind": "other", "referrer_name": "某人"},
        content_type="application/json",
    )
    assert response.status_code == 404


@pytest.fixture
def reward(company, friend, agent):
    rule(company, kind="fixed", amount=Decimal("800.00"), earned_at="signing")
    sign(deal_for(friend, agent), agent)
    return Reward.objects.get()


def test_approve_then_pay_then_a_second_pay_is_400_saying_who_and_when(reward, manager, admin_agent, agent):
    base = f"/api/v1/referrals/{reward.referral_id}/rewards/{reward.pk}"
    # an agent may not approve
    assert api_of(agent).post(f"{base}/approve").status_code == 403
    # the manager approves, the administrator pays
    approved = api_of(manager).post(f"{base}/approve")
    assert approved.status_code == 200, approved.content
    assert (approved.json()["status"], approved.json()["approved_by_id"]) == ("approved", manager.pk)
    admin = api_of(admin_agent)
    paid = admin.post(f"{base}/pay")
    assert paid.status_code == 200
    assert (paid.json()["status"], paid.json()["paid_by_name"]) == ("paid", "赵管理")
    # when it is paid again
    again = admin.post(f"{base}/pay")
    # then 400 saying it was paid, by whom and when
    assert again.status_code == 400
    body = again.json()
    assert body["code"] == "reward_already_paid"
    assert "赵管理" in body["message"]
    assert body["details"]["paid"]["by_id"] == admin_agent.pk
    assert body["details"]["paid"]["at"] == paid.json()["paid_at"]


def test_a_reward_of_another_company_is_404(reward, stranger):
    response = api_of(stranger).post(f"/api/v1/referrals/{reward.referral_id}/rewards/{reward.pk}/approve")
    assert response.status_code == 404
