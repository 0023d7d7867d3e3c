"""/api/v1/referrals: record a referral; approve and pay its rewards (each once, by a store manager or
an administrator; a second pay is 400 ``reward_already_paid`` with who paid and when in ``details``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from anju.clients.selectors import access_client, access_client_for_write
from anju.core.schemas import ERRORS
from anju.org.scoping import agent_of
from anju.outreach.selectors import access_partner
from anju.referrals.models import Referral, Reward
from anju.referrals.schemas import ReferralIn, ReferralOut, RewardOut
from anju.referrals.selectors import access_referral, access_reward
from anju.referrals.services import referral_record, reward_approve, reward_pay

router = Router(tags=["转介绍"])


def reward_out(reward: Reward) -> dict[str, Any]:
    return {
        **{f: getattr(reward, f) for f in ("id", "deal_id", "kind", "amount", "gift", "year", "capped")},
        "status": reward.status,
        "status_label": reward.get_status_display(),
        "approved_by_id": reward.approved_by_id,
        "approved_by_name": reward.approved_by.name if reward.approved_by else None,
        "approved_at": reward.approved_at,
        "paid_by_id": reward.paid_by_id,
        "paid_by_name": reward.paid_by.name if reward.paid_by else None,
        "paid_at": reward.paid_at,
    }


def referral_out(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "client_id": referral.referred_id,
        "client_name": referral.referred.name,
        "referrer_kind": referral.referrer_kind,
        "referrer_client_id": referral.referrer_client_id,
        "referrer_partner_id": referral.referrer_partner_id,
        "referrer_name": referral.referrer_display,
        "agent_id": referral.agent_id,
        "channel": referral.channel,
        "note": referral.note,
        "created_at": referral.created_at,
        "rewards": [reward_out(r) for r in referral.rewards.select_related("approved_by", "paid_by")],
    }


@router.post(
    "/referrals", response={201: ReferralOut, **ERRORS}, summary="登记转介绍（介绍人、新客户、经纪人）"
)
def create_referral(request: HttpRequest, payload: ReferralIn) -> Any:
    viewer = agent_of(request.user)
    referred = access_client_for_write(viewer, payload.client_id)
    referrer = access_client(viewer, payload.referrer_client_id) if payload.referrer_client_id else None
    referral = referral_record(
        by=viewer,
        referred=referred,
        referrer_kind=payload.referrer_kind,
        referrer_client=referrer,
        referrer_name=payload.referrer_name,
        referrer_partner=access_partner(viewer, payload.referrer_partner_id)
        if payload.referrer_partner_id
        else None,
        note=payload.note,
    )
    return Status(201, referral_out(referral))


@router.post(
    "/referrals/{referral_id}/rewards/{reward_id}/approve",
    response={200: RewardOut, **ERRORS},
    summary="审批转介绍奖励（店长、管理员）",
)
def approve_reward(request: HttpRequest, referral_id: int, reward_id: int) -> dict:
    viewer = agent_of(request.user)
    return reward_out(reward_approve(reward=access_reward(viewer, referral_id, reward_id), by=viewer))


@router.post(
    "/referrals/{referral_id}/rewards/{reward_id}/pay",
    response={200: RewardOut, **ERRORS},
    summary="发放转介绍奖励（只发放一次；重复发放返回 400 并说明由谁、何时发放）",
)
def pay_reward(request: HttpRequest, referral_id: int, reward_id: int) -> dict:
    viewer = agent_of(request.user)
    return reward_out(reward_pay(reward=access_reward(viewer, referral_id, reward_id), by=viewer))


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS}, summary="转介绍及其奖励")
def get_referral(request: HttpRequest, referral_id: int) -> dict:
    return referral_out(access_referral(agent_of(request.user), referral_id))
