"""Reward rules (company data): fixed, a share of the commission or a gift; earned at signing or at
closing; a yearly cap per referrer. States pending → approved → paid, each once, by a manager."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from anju.clients.services import client_create
from anju.core.errors import ApplicationError
from anju.deals.escrow import escrow_record
from anju.deals.selectors import deal_commission
from anju.deals.services import deal_move
from anju.processing.services import deal_close
from anju.referrals.models import Reward, RewardStatus
from anju.referrals.services import reward_approve, reward_pay
from tests.processing.test_close import finish_everything
from tests.referrals.conftest import deal_for, rule, sign


def test_a_fixed_reward_is_earned_when_the_friends_contract_is_signed(company, friend, agent):
    # given the company pays ¥800 at signing
    rule(company, kind="fixed", amount=Decimal("800.00"), earned_at="signing")
    deal = deal_for(friend, agent)
    # an accepted offer is not yet a signing
    assert not Reward.objects.exists()
    # when the contract is signed
    sign(deal, agent)
    # then the referral earned ¥800, pending
    reward = Reward.objects.get()
    assert (reward.deal, reward.kind, reward.amount, reward.status) == (
        deal,
        "fixed",
        Decimal("800.00"),
        "pending",
    )
    assert reward.referral.referred == friend


def test_a_share_of_the_commission_is_rounded_down_to_the_fen(company, friend, agent):
    rule(company, kind="share", share_percent=Decimal("3.33"), earned_at="signing")
    deal = sign(deal_for(friend, agent, price="1987654.00"), agent)
    commission = deal_commission(deal).amount
    assert commission > 0
    expected = (commission * Decimal("3.33") / 100).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    assert Reward.objects.get().amount == expected


def test_a_gift_reward_names_the_gift(company, friend, agent):
    rule(company, kind="gift", gift="超市购物卡", gift_value=Decimal("500.00"), earned_at="signing")
    sign(deal_for(friend, agent), agent)
    reward = Reward.objects.get()
    assert (reward.kind, reward.gift, reward.amount) == ("gift", "超市购物卡", Decimal("500.00"))


def test_earned_at_closing_waits_for_the_close(company, friend, agent, manager):
    # given rewards earned at closing
    rule(company, kind="fixed", amount=Decimal("1000.00"), earned_at="closing")
    deal = sign(deal_for(friend, agent), agent)
    # then signing earns nothing
    assert not Reward.objects.exists()
    # when the deal is closed with everything done
    escrow_record(deal=deal, kind="deposit", amount="300000.00", on=timezone.localdate(), by=agent)
    escrow_record(deal=deal, kind="release", amount="300000.00", on=timezone.localdate(), by=agent)
    finish_everything(deal, agent, manager)
    deal_close(deal=deal, by=agent)
    # then the reward is earned
    assert Reward.objects.get().amount == Decimal("1000.00")


def test_the_yearly_cap_cuts_the_last_reward_and_stops_the_next(company, referrer, agent):
    # given ¥2,000 per referral, at most ¥5,000 a year per referrer, and three friends who buy
    rule(company, kind="fixed", amount=Decimal("2000.00"), earned_at="signing", yearly_cap=Decimal("5000.00"))
    friends = [
        client_create(agent=agent, name=f"朋友{i}", mobile=f"1390000555{i}", referred_by=referrer)
        for i in range(4)
    ]
    for friend in friends:
        sign(deal_for(friend, agent), agent)
    # then 2,000 + 2,000 + 1,000 (capped), and nothing for the fourth
    rewards = list(Reward.objects.order_by("pk").values_list("amount", "capped"))
    assert rewards == [(Decimal("2000.00"), False), (Decimal("2000.00"), False), (Decimal("1000.00"), True)]


def test_the_cap_counts_per_referrer(company, referrer, agent):
    rule(company, kind="fixed", amount=Decimal("2000.00"), earned_at="signing", yearly_cap=Decimal("2000.00"))
    mine = client_create(agent=agent, name="朋友甲", mobile="13900006661", referred_by=referrer)
    other_referrer = client_create(agent=agent, name="另一位老客户", mobile="13900006662")
    theirs = client_create(agent=agent, name="朋友乙", mobile="13900006663", referred_by=other_referrer)
    for friend in (mine, theirs):
        sign(deal_for(friend, agent), agent)
    assert sorted(Reward.objects.values_list("amount", flat=True)) == [Decimal("2000.00")] * 2


@pytest.fixture
def reward(company, friend, agent):
    rule(company, kind="fixed", amount=Decimal("800.00"), earned_at="signing")
    sign(deal_for(friend, agent), agent)
    return Reward.objects.get()


def test_pending_approved_paid_records_who_and_when(reward, manager, admin_agent):
    approved = reward_approve(reward=reward, by=manager)
    assert (approved.status, approved.approved_by) == (RewardStatus.APPROVED, manager)
    paid = reward_pay(reward=reward, by=admin_agent)
    assert (paid.status, paid.paid_by, paid.approved_by) == (RewardStatus.PAID, admin_agent, manager)
    assert paid.paid_at is not None


def test_paying_before_approval_is_refused(reward, manager):
    with pytest.raises(ApplicationError) as refused:
        reward_pay(reward=reward, by=manager)
    assert refused.value.code == "reward_not_approved"
    reward.refresh_from_db()
    assert reward.status == RewardStatus.PENDING


def test_a_second_pay_is_refused_saying_who_paid_and_when(reward, manager, admin_agent):
    reward_approve(reward=reward, by=manager)
    reward_pay(reward=reward, by=manager)
    with pytest.raises(ApplicationError) as refused:
        reward_pay(reward=reward, by=admin_agent)
    assert refused.value.code == "reward_already_paid"
    assert "王店长" in refused.value.message
    assert refused.value.extra["paid"]["by_id"] == manager.pk
    reward.refresh_from_db()
    assert reward.paid_by == manager


def test_an_agent_may_not_approve(reward, agent):
    with pytest.raises(PermissionDenied):
        reward_approve(reward=reward, by=agent)
    reward.refresh_from_db()
    assert reward.status == RewardStatus.PENDING


def test_a_cancelled_deal_withdraws_its_pending_reward(company, friend, agent, manager):
    # given two signed deals of referred friends, each with its reward; one approved
    rule(company, kind="fixed", amount=Decimal("800.00"), earned_at="signing", yearly_cap=None)
    pending_deal = sign(deal_for(friend, agent), agent)
    other = client_create(agent=agent, name="朋友丙", mobile="13900006671", referred_by=friend.referred_by)
    approved_deal = sign(deal_for(other, agent), agent)
    reward_approve(reward=Reward.objects.get(deal=approved_deal), by=manager)
    # when both deals are cancelled
    for deal in (pending_deal, approved_deal):
        deal_move(deal=deal, to="cancelled", by=agent, reason="买方放弃")
    # then the pending reward is gone and the approved one stays for a manager to decide
    assert list(Reward.objects.values_list("deal_id", "status")) == [(approved_deal.pk, "approved")]
