"""Targeted information (精准信息推送): who a campaign's target picks, and who of them is left out.

A target's parts are each "no requirement" when empty, and the parts that are set must all hold.
The preview is exact: ``campaign_send`` queues a message to precisely the ``recipients`` of the
preview made at the moment of sending, and every one of the ``excluded`` carries the reason in
Chinese (the messaging gate's, or 近期已联系 when the client was contacted in the company's
recent-contact days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client, ClientTag
from anju.core.errors import ApplicationError
from anju.core.formats import format_wan, join_list
from anju.geo.models import District
from anju.messaging.gate import exclusions
from anju.messaging.models import MessageChannel, MessageKind, MessageStatus
from anju.messaging.services import message_queue
from anju.needs.models import Need, NeedKind, NeedStatus
from anju.org.models import Agent
from anju.outreach.models import Campaign, CampaignStatus
from anju.outreach.selectors import clients_cared_for, outreach_settings
from anju.outreach.services import content_item_create, ensure_manager

MARKETING_CHANNELS = (MessageChannel.SMS, MessageChannel.WECHAT, MessageChannel.EMAIL)


@dataclass(frozen=True)
class Target:
    need_kind: str = ""
    district_ids: list[int] = field(default_factory=list)
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    tiers: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def check(self) -> None:
        if self.need_kind and self.need_kind not in NeedKind.values:
            raise ApplicationError(_("需求类型不正确。"), code="target_need_kind_invalid")
        if self.budget_min is not None and self.budget_max is not None and self.budget_min > self.budget_max:
            raise ApplicationError(_("预算下限不能高于上限。"), code="target_budget_reversed")

    def describe(self) -> str:
        """Why a client is picked, in words: the parts of the target that are set."""
        parts = []
        if self.need_kind:
            parts.append(_("%(kind)s需求") % {"kind": NeedKind(self.need_kind).label})
        if self.district_ids:
            parts.append(_("意向区域相符"))
        if self.budget_min is not None or self.budget_max is not None:
            low = format_wan(self.budget_min) if self.budget_min is not None else _("不限")
            high = format_wan(self.budget_max) if self.budget_max is not None else _("不限")
            parts.append(_("预算 %(low)s–%(high)s") % {"low": low, "high": high})
        if self.tiers:
            parts.append(_("等级 %(tiers)s") % {"tiers": join_list(self.tiers)})
        if self.stages:
            parts.append(_("阶段相符"))
        if self.tags:
            parts.append(_("标签：%(tags)s") % {"tags": join_list(self.tags)})
        return _("符合：%(parts)s") % {"parts": "，".join(parts)} if parts else _("全部客户")


def _needs_condition(target: Target) -> Q | None:
    """The clients with an active need that meets the target's need parts (one need meets all)."""
    needs = Need.objects.filter(status=NeedStatus.ACTIVE)
    used = False
    if target.need_kind:
        needs, used = needs.filter(kind=target.need_kind), True
    if target.district_ids:
        needs, used = needs.filter(districts__in=target.district_ids), True
    if target.budget_min is not None:
        needs, used = needs.filter(Q(budget_max__isnull=True) | Q(budget_max__gte=target.budget_min)), True
    if target.budget_max is not None:
        needs, used = needs.filter(Q(budget_min__isnull=True) | Q(budget_min__lte=target.budget_max)), True
    return Q(pk__in=needs.values("client_id")) if used else None


def target_clients(viewer: Agent, target: Target) -> QuerySet[Client]:
    """The viewer's clients the target picks."""
    target.check()
    clients = clients_cared_for(viewer)
    needs = _needs_condition(target)
    if needs is not None:
        clients = clients.filter(needs)
    if target.tags:
        clients = clients.filter(
            pk__in=Client.tags.through.objects.filter(clienttag__name__in=target.tags).values("client_id")
        )
    if target.tiers:
        clients = clients.filter(tier__in=target.tiers)
    if target.stages:
        clients = clients.filter(stage__in=target.stages)
    return clients


@dataclass(frozen=True)
class PreviewRow:
    client_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class Preview:
    recipients: list[PreviewRow]
    excluded: list[PreviewRow]


def recently_contacted(clients: QuerySet[Client], *, days: int, at: dt.datetime) -> QuerySet[Client]:
    return clients.filter(last_contact_at__gte=at - dt.timedelta(days=days))


def campaign_preview(
    *, viewer: Agent, target: Target, channel: str, at: dt.datetime | None = None
) -> Preview:
    """Who the campaign would reach on ``channel`` now, and who it leaves out and why."""
    if channel not in MARKETING_CHANNELS:
        raise ApplicationError(
            _("营销信息只能通过短信、企业微信或邮件发送。"), code="campaign_channel_invalid"
        )
    at = at or timezone.now()
    clients = target_clients(viewer, target)
    rows = list(clients.order_by("id").values_list("id", "name"))
    reasons = gate_reasons(clients, channel=channel, at=at)
    days = outreach_settings(viewer.company_id).recent_contact_days
    recent = _("近期已联系（%(days)s天内）") % {"days": days}
    for client_id in recently_contacted(clients, days=days, at=at).values_list("id", flat=True):
        reasons.setdefault(client_id, recent)
    why = target.describe()
    return Preview(
        recipients=[PreviewRow(pk, name, why) for pk, name in rows if pk not in reasons],
        excluded=[PreviewRow(pk, name, reasons[pk]) for pk, name in rows if pk in reasons],
    )


def gate_reasons(clients: QuerySet[Client], *, channel: str, at: dt.datetime) -> dict[int, str]:
    """The messaging gate's reasons for leaving clients out of a marketing message."""
    return exclusions(clients.only("id", "company_id"), channel, MessageKind.MARKETING, at)


@transaction.atomic
def campaign_send(
    *,
    by: Agent,
    kind: str,
    title: str,
    body: str,
    target: Target,
    channel: str,
    at: dt.datetime | None = None,
) -> tuple[Campaign, Preview]:
    """Saves the content and the campaign and queues one marketing message to each recipient of
    the preview made now (managers only). Each message's key is the campaign and the client, so
    nothing is sent twice."""
    ensure_manager(by)
    target.check()
    content = content_item_create(by=by, kind=kind, title=title, body=body)
    at = at or timezone.now()
    campaign = Campaign.objects.create(
        company_id=by.company_id,
        content=content,
        channel=channel,
        need_kind=target.need_kind,
        budget_min=target.budget_min,
        budget_max=target.budget_max,
        tiers=target.tiers,
        stages=target.stages,
        created_by=by,
    )
    campaign.districts.set(District.objects.filter(pk__in=target.district_ids))
    campaign.tags.set(ClientTag.objects.filter(company_id=by.company_id, name__in=target.tags))
    preview = campaign_preview(viewer=by, target=target, channel=channel, at=at)
    queued = campaign_queue(
        campaign=campaign, client_ids=[row.client_id for row in preview.recipients], at=at
    )
    campaign.status, campaign.sent_at, campaign.sent_count = CampaignStatus.SENT, at, queued
    campaign.save(update_fields=["status", "sent_at", "sent_count"])
    return campaign, preview


def campaign_queue(*, campaign: Campaign, client_ids: list[int], at: dt.datetime) -> int:
    """Queues the campaign's marketing message to each client (messaging adds the opt-out path);
    how many were queued. The key is the campaign and the client: sending again queues nothing."""
    queued = 0
    content = campaign.content
    for client in Client.objects.filter(pk__in=client_ids).order_by("id"):
        message = message_queue(
            client=client,
            channel=campaign.channel,
            kind=MessageKind.MARKETING,
            template=f"campaign:{content.kind}",
            subject=content.title,
            text=f"{content.title}\n{content.body}",
            key=f"campaign:{campaign.pk}:{client.pk}",
            by=campaign.created_by,
            at=at,
        )
        queued += message.status != MessageStatus.CANCELLED
    return queued
