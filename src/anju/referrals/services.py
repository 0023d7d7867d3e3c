"""Writes of referrals: recording who referred whom, the reward rule, earning rewards on a deal,
approving and paying them (each once, under the reward's row lock), and the share-link arrival."""

from __future__ import annotations

import secrets
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client, Source
from anju.clients.services import client_create, client_set_referrer
from anju.core.errors import ApplicationError, ConflictError
from anju.core.formats import format_datetime, format_money
from anju.core.text import clean_name, clean_text
from anju.deals.models import Deal, DealStage
from anju.deals.selectors import deal_commission
from anju.org.models import Agent, Role
from anju.outreach.models import Partner
from anju.referrals.models import (
    AgentCard,
    Channel,
    EarnedAt,
    Referral,
    ReferralAsk,
    ReferralCode,
    ReferralSettings,
    ReferrerKind,
    Reward,
    RewardKind,
    RewardStatus,
)
from anju.referrals.selectors import referral_settings
from anju.showings.models import ListingShare

CODE_BYTES = 6  # 8 URL-safe characters
CARD_BYTES = 12  # 16 URL-safe characters: 96 random bits, like a listing's share link
STAGE_OF_MOMENT = {EarnedAt.SIGNING: DealStage.CONTRACT, EarnedAt.CLOSING: DealStage.CLOSED}
APPROVERS = (Role.MANAGER, Role.ADMIN)


# --- who referred whom ------------------------------------------------------------------------------


def referral_follow_client(*, client_id: int, by_id: int) -> Referral | None:
    """Keep the client's referral row equal to its ``referred_by`` (the listener of ``ClientReferred``)."""
    client = Client.objects.get(pk=client_id)
    if client.referred_by_id is None:
        return None
    referral = Referral.objects.filter(referred_id=client.pk).first()
    if referral is None:
        return Referral.objects.create(
            company_id=client.company_id,
            referrer_kind=ReferrerKind.CLIENT,
            referrer_client_id=client.referred_by_id,
            referred=client,
            agent_id=client.owner_id or by_id,
            channel=Channel.INTAKE,
        )
    if referral.referrer_client_id != client.referred_by_id:
        referral.referrer_kind, referral.referrer_name = ReferrerKind.CLIENT, ""
        referral.referrer_client_id = client.referred_by_id
        referral.save(update_fields=["referrer_kind", "referrer_name", "referrer_client", "updated_at"])
    return referral


def referrals_follow_merge(*, keep_id: int, merged_id: int) -> None:
    """What pointed at a merged-away duplicate points at the client kept, as ``referred_by`` does."""
    # The kept client referred by its own duplicate would refer itself: that referral goes.
    Referral.objects.filter(referred_id=keep_id, referrer_client_id=merged_id, rewards__isnull=True).delete()
    Referral.objects.filter(referrer_client_id=merged_id).exclude(referred_id=keep_id).update(
        referrer_client_id=keep_id
    )
    if not Referral.objects.filter(referred_id=keep_id).exists():
        Referral.objects.filter(referred_id=merged_id).exclude(referrer_client_id=keep_id).update(
            referred_id=keep_id
        )


@transaction.atomic
def referral_record(
    *,
    by: Agent,
    referred: Client,
    referrer_kind: str = ReferrerKind.CLIENT,
    referrer_client: Client | None = None,
    referrer_name: str = "",
    referrer_partner: Partner | None = None,
    note: str = "",
    channel: str = Channel.MANUAL,
    share: ListingShare | None = None,
) -> Referral:
    """Record that ``referred`` came through a referrer. A client referrer goes through the client's
    介绍人 (``client_set_referrer``), whose announcement makes the row; a partner or another person
    is named. A client is referred once: a second referral is refused naming the first."""
    if referrer_kind not in ReferrerKind.values:
        raise ApplicationError(_("介绍人类型无效。"), code="referrer_kind_invalid")
    if referred.company_id != by.company_id or referred.merged_into_id is not None:
        raise ApplicationError(_("被介绍客户不存在。"), code="referred_invalid")
    existing = Referral.objects.filter(referred=referred).select_related("referrer_client").first()
    if existing is not None:
        raise ConflictError(
            _("该客户已登记由“%(name)s”介绍。") % {"name": existing.referrer_display},
            code="referral_exists",
            extra={"referral_id": existing.pk},
        )
    note = clean_text(note, label=_("备注"))[:200]
    if referrer_kind == ReferrerKind.CLIENT:
        if referrer_client is None:
            raise ApplicationError(_("请选择介绍人。"), code="referrer_required")
        client_set_referrer(client=referred, referrer=referrer_client, by=by)
        referral = Referral.objects.get(referred=referred)
        referral.channel, referral.share, referral.note = channel, share, note
        referral.agent_id = referral.agent_id or by.pk
        referral.save(update_fields=["channel", "share", "note", "agent", "updated_at"])
        return referral
    if referred.referred_by_id is not None:
        raise ConflictError(_("该客户已登记介绍人。"), code="referral_exists")
    if referrer_partner is not None:
        if referrer_kind != ReferrerKind.PARTNER or referrer_partner.company_id != by.company_id:
            raise ApplicationError(_("介绍合作商无效。"), code="referrer_partner_invalid")
        referrer_name = referrer_partner.name
    name = clean_name(referrer_name, label=_("介绍人姓名"), most=60)
    if not name:
        raise ApplicationError(_("请填写介绍人姓名。"), code="referrer_name_required")
    return Referral.objects.create(
        company_id=referred.company_id,
        referrer_kind=referrer_kind,
        referrer_name=name,
        referrer_partner=referrer_partner,
        referred=referred,
        agent_id=referred.owner_id or by.pk,
        channel=channel,
        share=share,
        note=note,
    )


def referral_code_issue(*, client: Client) -> ReferralCode:
    """The client's referral code: made the first time, the same code after."""
    # get_or_create retries the read when a simultaneous press made the row first.
    code, _created = ReferralCode.objects.get_or_create(
        client=client, defaults={"company_id": client.company_id, "code": secrets.token_urlsafe(CODE_BYTES)}
    )
    return code


def _referrer_of_code(company_id: int, code: str) -> Client | None:
    """The client whose referral code this is (the client kept, when they were merged), or None."""
    if not code:
        return None
    row = ReferralCode.objects.select_related("client").filter(company_id=company_id, code=code).first()
    referrer = row.client if row is not None else None
    while referrer is not None and referrer.merged_into_id is not None:
        referrer = Client.objects.get(pk=referrer.merged_into_id)
    return referrer


def referral_arrive(*, share: ListingShare, code: str, name: str, mobile: str) -> Client:
    """A visitor of a share link leaves name and mobile: a new client of the sharing agent, attributed
    to the client whose referral code the link carried (转介绍), or an online lead without one."""
    return _arrive(
        agent=share.agent,
        code=code,
        name=name,
        mobile=mobile,
        notes=_("通过房源分享链接留下联系方式：%(listing)s") % {"listing": share.listing},
        channel={"channel": Channel.SHARE_LINK, "share": share},
    )


def agent_card_issue(*, agent: Agent) -> AgentCard:
    """The agent's card page (名片页): made the first time, the same link every time after."""
    card, _created = AgentCard.objects.get_or_create(
        agent=agent, defaults={"company_id": agent.company_id, "slug": secrets.token_urlsafe(CARD_BYTES)}
    )
    return card


def referral_arrive_by_card(*, card: AgentCard, code: str, name: str, mobile: str) -> Client:
    """A visitor of an agent's card page leaves name and mobile: a new client of that agent,
    attributed to the client whose referral code the card's link carried, or an online lead."""
    return _arrive(
        agent=card.agent,
        code=code,
        name=name,
        mobile=mobile,
        notes=_("通过经纪人名片页留下联系方式"),
        channel={"channel": Channel.CARD, "card": card},
    )


@transaction.atomic
def _arrive(
    *, agent: Agent, code: str, name: str, mobile: str, notes: str, channel: dict[str, Any]
) -> Client:
    """The visitor becomes the agent's client: referred by the holder of ``code`` (the referral then
    records how the friend came, ``channel``), or an online lead without one."""
    referrer = _referrer_of_code(agent.company_id, code)
    client = client_create(
        agent=agent,
        name=name,
        mobile=mobile,
        source=Source.REFERRAL if referrer else Source.ONLINE,
        referred_by=referrer,
        notes=notes,
    )
    if referrer is not None:
        Referral.objects.filter(referred=client).update(**channel)
    return client


def referral_ask_record(*, client: Client, by: Agent) -> ReferralAsk:
    """鼓励分享 done: the agent asked the client to refer friends (once per client)."""
    ask, _created = ReferralAsk.objects.get_or_create(client=client, defaults={"agent": by})
    return ask


# --- the reward rule ---------------------------------------------------------------------------------


def referral_settings_set(*, company_id: int, by: Agent, **values: object) -> ReferralSettings:
    """Change the company's reward rule (administrators)."""
    if by.role != Role.ADMIN or by.company_id != company_id:
        raise PermissionDenied(_("只有管理员可以修改转介绍奖励规则。"))
    row = referral_settings(company_id)
    for field, value in values.items():
        setattr(row, field, value)
    if row.kind not in RewardKind.values or row.earned_at not in EarnedAt.values:
        raise ApplicationError(_("奖励规则无效。"), code="referral_rule_invalid")
    if row.kind == RewardKind.GIFT and not str(row.gift).strip():
        raise ApplicationError(_("请填写礼品。"), code="referral_gift_required")
    if Decimal(row.share_percent) > 100 or Decimal(row.share_percent) < 0:
        raise ApplicationError(_("佣金比例应在 0 到 100 之间。"), code="referral_share_invalid")
    if not 1 <= int(row.high_rating) <= 5:
        raise ApplicationError(_("满意度应为 1 到 5。"), code="referral_rating_invalid")
    row.save()
    return row


# --- earning, approving and paying -------------------------------------------------------------------


def _worth(rule: ReferralSettings, deal: Deal) -> Decimal:
    if rule.kind == RewardKind.FIXED:
        return Decimal(rule.amount)
    if rule.kind == RewardKind.GIFT:
        return Decimal(rule.gift_value)
    commission = deal_commission(deal).amount or Decimal(0)
    return (commission * Decimal(rule.share_percent) / 100).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _earned_this_year(referral: Referral, year: int) -> Decimal:
    same = Reward.objects.filter(year=year, referral__company_id=referral.company_id)
    if referral.referrer_client_id is not None:
        same = same.filter(referral__referrer_client_id=referral.referrer_client_id)
    else:
        same = same.filter(
            referral__referrer_kind=referral.referrer_kind, referral__referrer_name=referral.referrer_name
        )
    return same.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def rewards_earn(*, deal_id: int, to_stage: str) -> list[Reward]:
    """The rewards a deal earns its buyer's and seller's referrers at the company's moment (签约 or
    结案), once per referral and deal, within the yearly cap per referrer (the last reward of a
    year is cut to what is left; nothing is left, nothing is earned; a gift is whole or nothing).
    A cancelled deal's pending rewards are withdrawn."""
    if to_stage == DealStage.CANCELLED:
        # A deal that fell through earns nothing: what is still pending goes (approved ones stay
        # for a manager to decide, as money may have been promised).
        Reward.objects.filter(deal_id=deal_id, status=RewardStatus.PENDING).delete()
        return []
    deal = Deal.objects.get(pk=deal_id)
    rule = referral_settings(deal.company_id)
    if STAGE_OF_MOMENT[EarnedAt(rule.earned_at)] != to_stage:
        return []
    clients = [c for c in (deal.buyer_id, deal.seller_id) if c is not None]
    year = timezone.localdate().year
    made = []
    for referral in Referral.objects.filter(referred_id__in=clients).order_by("pk"):
        if Reward.objects.filter(referral=referral, deal=deal).exists():
            continue
        amount, capped = _worth(rule, deal), False
        if rule.yearly_cap is not None:
            left = max(Decimal(rule.yearly_cap) - _earned_this_year(referral, year), Decimal(0))
            if amount > left:
                if rule.kind == RewardKind.GIFT or left == 0:
                    continue
                amount, capped = left, True
        made.append(
            Reward.objects.create(
                referral=referral,
                deal=deal,
                kind=rule.kind,
                amount=amount,
                gift=rule.gift if rule.kind == RewardKind.GIFT else "",
                year=year,
                capped=capped,
            )
        )
    return made


def _locked(reward: Reward) -> Reward:
    # The row alone: a request that waited for the lock re-reads the reward row as the other left
    # it, but a joined approver or payer would still be read as it was before the wait.
    return Reward.objects.select_for_update().get(pk=reward.pk)


def _step(who: Agent | None, at: object) -> dict[str, object]:
    return {"by": who.name if who else None, "by_id": who.pk if who else None, "at": at}


@transaction.atomic
def reward_approve(*, reward: Reward, by: Agent) -> Reward:
    """待审批 → 已审批 by a store manager or an administrator; approving again is refused naming who did."""
    if by.role not in APPROVERS:
        raise PermissionDenied(_("只有店长和管理员可以审批转介绍奖励。"))
    locked = _locked(reward)
    if locked.status != RewardStatus.PENDING:
        raise ApplicationError(
            _("该奖励已由%(name)s于%(when)s审批。")
            % {"name": locked.approved_by.name, "when": format_datetime(locked.approved_at)},  # type: ignore[union-attr]
            code="reward_already_approved",
            extra={"approved": _step(locked.approved_by, locked.approved_at), "status": locked.status},
        )
    locked.status, locked.approved_by, locked.approved_at = RewardStatus.APPROVED, by, timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return locked


@transaction.atomic
def reward_pay(*, reward: Reward, by: Agent) -> Reward:
    """已审批 → 已发放, once: a second pay (even at the same moment: the row is locked) is refused
    saying who paid it and when."""
    if by.role not in APPROVERS:
        raise PermissionDenied(_("只有店长和管理员可以发放转介绍奖励。"))
    locked = _locked(reward)
    if locked.status == RewardStatus.PAID:
        raise ApplicationError(
            _("该奖励已由%(name)s于%(when)s发放（%(amount)s），不能重复发放。")
            % {
                "name": locked.paid_by.name,  # type: ignore[union-attr]
                "when": format_datetime(locked.paid_at),
                "amount": format_money(locked.amount),
            },
            code="reward_already_paid",
            extra={"paid": _step(locked.paid_by, locked.paid_at), "status": locked.status},
        )
    if locked.status != RewardStatus.APPROVED:
        raise ApplicationError(_("奖励尚未审批，不能发放。"), code="reward_not_approved")
    locked.status, locked.paid_by, locked.paid_at = RewardStatus.PAID, by, timezone.now()
    locked.save(update_fields=["status", "paid_by", "paid_at", "updated_at"])
    return locked
