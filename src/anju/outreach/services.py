"""Writes of the outreach app: settings and templates, content and campaigns, partners."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.core.errors import ApplicationError
from anju.deals.models import Deal
from anju.messaging.models import Message, MessageKind
from anju.messaging.services import message_queue
from anju.org.models import Agent, Role
from anju.outreach.greetings import DEFAULT_GREETINGS, open_channels, signature
from anju.outreach.models import (
    ContentItem,
    ContentKind,
    GreetingTemplate,
    OutreachSettings,
    Partner,
    PartnerRating,
    Recommendation,
)
from anju.outreach.selectors import home_tips, partners_fitting

MANAGERS = (Role.MANAGER, Role.ADMIN)


def ensure_manager(agent: Agent) -> None:
    if agent.role not in MANAGERS:
        raise PermissionDenied(_("只有店长或管理员可以进行此操作。"))


def outreach_settings_set(
    *, by: Agent, greetings_auto_send: bool, recent_contact_days: int, poor_rating_below: Decimal
) -> OutreachSettings:
    ensure_manager(by)
    if not 0 <= recent_contact_days <= 60:
        raise ApplicationError(_("近期已联系的天数应在 0 到 60 之间。"), code="recent_contact_days_invalid")
    if not Decimal(1) <= poor_rating_below <= Decimal(5):
        raise ApplicationError(_("差评线应在 1 到 5 之间。"), code="poor_rating_invalid")
    found, _created = OutreachSettings.objects.update_or_create(
        company_id=by.company_id,
        defaults={
            "greetings_auto_send": greetings_auto_send,
            "recent_contact_days": recent_contact_days,
            "poor_rating_below": poor_rating_below,
        },
    )
    return found


def greeting_template_set(*, by: Agent, kind: str, body: str) -> GreetingTemplate:
    """The company's own greeting for an occasion; ``{name}``, ``{occasion}`` and ``{signature}``
    are filled in when it is sent."""
    ensure_manager(by)
    if kind not in DEFAULT_GREETINGS:
        raise ApplicationError(_("没有这种场合。"), code="greeting_kind_invalid")
    body = body.strip()
    if not body:
        raise ApplicationError(_("问候内容不能为空。"), code="greeting_body_empty")
    try:
        body.format(name="", occasion="", signature="")
    except (KeyError, ValueError, IndexError) as exc:
        raise ApplicationError(
            _("问候内容只能使用 {name}、{occasion}、{signature} 三个占位符。"),
            code="greeting_placeholder_invalid",
        ) from exc
    found, _created = GreetingTemplate.objects.update_or_create(
        company_id=by.company_id, kind=kind, defaults={"body": body}
    )
    return found


def content_item_create(*, by: Agent, kind: str, title: str, body: str) -> ContentItem:
    ensure_manager(by)
    if kind not in ContentKind.values:
        raise ApplicationError(_("内容类型不正确。"), code="content_kind_invalid")
    if not title.strip() or not body.strip():
        raise ApplicationError(_("标题和内容都不能为空。"), code="content_empty")
    return ContentItem.objects.create(
        company_id=by.company_id, kind=kind, title=title.strip()[:80], body=body.strip(), created_by=by
    )


def partner_save(
    *,
    by: Agent,
    partner: Partner | None = None,
    name: str,
    kind: str,
    phone: str,
    contact_name: str = "",
    service_area: str = "",
    price_range: str = "",
    description: str = "",
    active: bool = True,
) -> Partner:
    """Adds a partner to the company's directory, or changes one (managers only)."""
    ensure_manager(by)
    name, kind = name.strip(), kind.strip()
    if not name or not kind or not phone.strip():
        raise ApplicationError(_("名称、服务类型和电话不能为空。"), code="partner_incomplete")
    clash = Partner.objects.filter(company_id=by.company_id, name=name)
    if partner is not None:
        clash = clash.exclude(pk=partner.pk)
    if clash.exists():
        raise ApplicationError(_("已有同名的合作商。"), code="partner_name_taken")
    partner = partner or Partner(company_id=by.company_id)
    partner.name, partner.kind, partner.phone = name, kind[:20], phone.strip()
    partner.contact_name, partner.service_area = contact_name.strip(), service_area.strip()
    partner.price_range, partner.description, partner.active = (
        price_range.strip(),
        description.strip(),
        active,
    )
    partner.save()
    return partner


def partner_rate(
    *, partner: Partner, client: Client, score: int, comment: str = "", by: Agent
) -> PartnerRating:
    """The client's rating of the partner after using it; rating again replaces the earlier one."""
    if partner.company_id != client.company_id:
        raise ApplicationError(_("合作商与客户不属于同一公司。"), code="partner_company_mismatch")
    if not 1 <= score <= 5:
        raise ApplicationError(_("评分应为 1 到 5 分。"), code="partner_score_invalid")
    rating, _created = PartnerRating.objects.update_or_create(
        partner=partner,
        client=client,
        defaults={"score": score, "comment": comment.strip()[:200], "recorded_by": by, "at": timezone.now()},
    )
    return rating


@transaction.atomic
def partner_recommend(*, partner: Partner, client: Client, by: Agent, note: str = "") -> Recommendation:
    """Records that the agent recommended the partner to the client, and sends the partner's card
    to the client on a channel the client consented to (recorded only when there is none)."""
    if partner.company_id != client.company_id:
        raise ApplicationError(_("合作商与客户不属于同一公司。"), code="partner_company_mismatch")
    if not partner.active:
        raise ApplicationError(_("该合作商已停止合作。"), code="partner_inactive")
    recommendation = Recommendation.objects.create(
        partner=partner, client=client, agent=by, note=note.strip()[:200]
    )
    recommendation_send(recommendation)
    return recommendation


def partner_card(partner: Partner) -> str:
    parts = [partner.name, partner.kind_label, partner.contact_name, partner.phone, partner.price_range]
    return " ".join(part for part in parts if part)


def recommendation_send(recommendation: Recommendation) -> None:
    """Queues the partner's card to the client on the first channel the client consented to
    (a service message: asked for, so not counted as marketing); records the channel, or none."""
    client, agent = recommendation.client, recommendation.agent
    now = timezone.now()
    channel = open_channels([client], MessageKind.SERVICE, now).get(client.pk, "")
    if not channel:
        return
    message_queue(
        client=client,
        channel=channel,
        kind=MessageKind.SERVICE,
        template="partner_recommendation",
        subject=_("为您推荐的服务商"),
        text=_("%(name)s您好，为您推荐：%(card)s。——%(signature)s")
        % {"name": client.name, "card": partner_card(recommendation.partner), "signature": signature(agent)},
        key=f"recommendation:{recommendation.pk}",
        by=agent,
        at=now,
    )
    recommendation.channel = channel
    recommendation.save(update_fields=["channel", "updated_at"])


DEFAULT_HOME_TIPS = _(
    "入住小贴士：及时办理水电气与物业过户，更换入户门锁芯，检查燃气管与热水器，保留好交接时的表底读数。"
)


def handover_care_send(*, deal_id: int) -> Message | None:
    """After the handover: the buyer gets the home-care tips and the partners that fit the flat
    (a service message, on a consented channel; once per deal)."""
    deal = (
        Deal.objects.select_related("buyer", "agent__store", "listing__district").filter(pk=deal_id).first()
    )
    if deal is None:
        return None
    client = deal.buyer
    now = timezone.now()
    channel = open_channels([client], MessageKind.SERVICE, now).get(client.pk)
    if channel is None:
        return None
    tips = home_tips(deal.company_id)
    lines = [f"{tips.title}：{tips.body}" if tips else str(DEFAULT_HOME_TIPS)]
    district = deal.listing.district.name if deal.listing.district_id else ""
    partners = partners_fitting(deal.company_id, district=district)
    if partners:
        lines.append(_("为您推荐的服务商："))
        lines += [f"· {partner_card(p)}" for p in partners]
    lines.append(f"——{signature(deal.agent)}")
    return message_queue(
        client=client,
        channel=channel,
        kind=MessageKind.SERVICE,
        template="handover_care",
        subject=_("新居入住小贴士"),
        text=_("%(name)s您好，恭喜乔迁新居！") % {"name": client.name} + "\n" + "\n".join(lines),
        key=f"handover_care:{deal.pk}",
        by=deal.agent,
        at=now,
    )


@transaction.atomic
def outreach_configure(
    *,
    by: Agent,
    greetings_auto_send: bool,
    recent_contact_days: int,
    poor_rating_below: Decimal,
    greetings: dict[str, str],
) -> OutreachSettings:
    """The settings page's one save: the settings and every occasion's greeting, all or nothing."""
    found = outreach_settings_set(
        by=by,
        greetings_auto_send=greetings_auto_send,
        recent_contact_days=recent_contact_days,
        poor_rating_below=poor_rating_below,
    )
    for kind, body in greetings.items():
        greeting_template_set(by=by, kind=kind, body=body)
    return found
