"""The demo's referrals (转介绍): buyers of signed deals recorded as referred by another client of
their agent, the rewards those deals earned in each state (待审批, 已审批, 已发放), a partner's
referral, a referral code on an old client, every agent's card page (名片页), and a highly rated
after-sales visit so that 鼓励分享 shows on the agent's workbench (the complaint the demo closed with
the client satisfied shows there too, see ``demo/complaints.py``). Rewards are earned, approved and
paid through the services, as a manager would."""

from __future__ import annotations

from anju.clients.models import Client
from anju.deals.models import Deal, DealStage
from anju.org.models import Agent, Company, Role
from anju.processing.models import Visit
from anju.processing.services import visit_record
from anju.referrals.models import (
    AgentCard,
    Referral,
    ReferralAsk,
    ReferralCode,
    ReferralSettings,
    ReferrerKind,
    Reward,
)
from anju.referrals.services import (
    agent_card_issue,
    referral_code_issue,
    referral_follow_client,
    referral_record,
    reward_approve,
    reward_pay,
    rewards_earn,
)

REFERRED_DEALS = 4


def demo_referrals(company: Company) -> dict[str, int]:
    ReferralSettings.objects.get_or_create(company=company)  # the defaults: ¥1,000 at signing, ¥5,000 a year
    manager = Agent.objects.filter(company=company, role=Role.MANAGER).order_by("id").first()
    deals = list(
        Deal.objects.filter(
            company=company, stage__in=[DealStage.CONTRACT, DealStage.PROCESSING, DealStage.CLOSED]
        )
        .exclude(buyer__referral__isnull=False)
        .select_related("agent", "buyer")
        .order_by("id")[:REFERRED_DEALS]
    )
    rewards = []
    for deal in deals:
        referrer = (
            Client.objects.filter(company=company, owner=deal.agent, referred_by__isnull=True)
            .exclude(pk__in=[deal.buyer_id, deal.seller_id or 0])
            .order_by("id")
            .first()
        )
        if referrer is None or Referral.objects.filter(referred=deal.buyer).exists():
            continue  # a buyer of two deals is referred once
        # As if the 介绍人 had been recorded at intake with the demo's other client rows (no history
        # rows, like them); the referral row follows referred_by as it does for every intake.
        Client.objects.filter(pk=deal.buyer_id).update(referred_by=referrer)
        referral_follow_client(client_id=deal.buyer_id, by_id=deal.agent_id)
        referral_code_issue(client=referrer)
        # the rule's moment passed before the referral was recorded: earned now, as a late record is
        rewards += rewards_earn(deal_id=deal.pk, to_stage=DealStage.CONTRACT)
    if manager is not None:
        for index, reward in enumerate(rewards):
            if index % 3 >= 1:
                reward_approve(reward=reward, by=manager)
            if index % 3 == 2:
                reward_pay(reward=reward, by=manager)
    partner_client = (
        Client.objects.filter(
            company=company, owner__isnull=False, referred_by__isnull=True, referral__isnull=True
        )
        .order_by("-id")
        .first()
    )
    if partner_client is not None:
        referral_record(
            by=partner_client.owner,  # type: ignore[arg-type]
            referred=partner_client,
            referrer_kind=ReferrerKind.PARTNER,
            referrer_name="顺心装修 陈师傅",
        )
    # A closed deal's buyer who rated the first visit 5: the agent is reminded to ask for referrals.
    visit = Visit.objects.filter(deal__company=company, done_at__isnull=True).order_by("id").first()
    if visit is not None:
        visit_record(visit=visit, satisfaction=5, remarks="非常满意，愿意推荐朋友", by=visit.agent)
    # Every agent's card page, linked from the referrals page and, with a code, from the client's.
    for agent in Agent.objects.filter(company=company, is_active=True, store__isnull=False).order_by("id"):
        agent_card_issue(agent=agent)
    return {
        "转介绍": Referral.objects.filter(company=company).count(),
        "转介绍奖励": len(rewards),
        "名片页": AgentCard.objects.filter(company=company).count(),
    }


def wipe_referrals(company: Company) -> None:
    """The demo's referrals go before its deals and clients (they hold on to both)."""
    referral_ids = list(Referral.objects.filter(company=company).values_list("pk", flat=True))
    Reward.objects.filter(referral_id__in=referral_ids).delete()
    # The deletes wrote history rows of their own; the demo leaves no trace.
    Reward.history.model.objects.filter(referral_id__in=referral_ids).delete()
    ReferralAsk.objects.filter(client__company=company).delete()
    ReferralCode.objects.filter(company=company).delete()
    AgentCard.objects.filter(company=company).delete()
    Referral.objects.filter(company=company).delete()
    ReferralSettings.objects.filter(company=company).delete()
