"""The gate: may this client get this kind of message on this channel now — and if not, why not.

One answer for many clients in a fixed number of queries (a campaign preview asks it for thousands
at once), so the outbox, the campaign preview and a greeting draft refuse for the same reasons in
the same words. Quiet hours are not a refusal: what falls in them waits (``quiet_hours_end``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from anju.clients.models import Client, Consent
from anju.messaging.models import Message, MessageChannel, MessageKind, MessageStatus, MessagingSettings

BEIJING = ZoneInfo("Asia/Shanghai")
# The rolling window of the marketing cap.
CAP_WINDOW = dt.timedelta(days=7)
# What counts toward the cap: marketing that went, or is on its way.
COUNTED = (MessageStatus.SENT, MessageStatus.QUEUED, MessageStatus.AWAITING_APPROVAL)


def messaging_settings(company_id: int) -> MessagingSettings:
    """The company's sending settings; the defaults (cap 2, quiet 21:00–09:00) when it set none."""
    found = MessagingSettings.objects.filter(company_id=company_id).first()
    return found or MessagingSettings(company_id=company_id)


def quiet_hours_end(settings: MessagingSettings, at: dt.datetime) -> dt.datetime | None:
    """When the quiet hours around ``at`` end (Beijing time), or ``None`` when ``at`` is outside them."""
    local = at.astimezone(BEIJING)
    start, end = settings.quiet_from, settings.quiet_until
    now = local.time()
    if start == end:
        return None
    overnight = start > end
    inside = (now >= start or now < end) if overnight else (start <= now < end)
    if not inside:
        return None
    day = local.date() if now < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=BEIJING)


def _channel_name(channel: str) -> str:
    return str(MessageChannel(channel).label)


def exclusions(
    clients: Iterable[Client],
    channel: str,
    kind: str,
    at: dt.datetime,
    *,
    capped: bool = True,
    counting_out: int | None = None,
) -> dict[int, str]:
    """``{client_id: reason}`` for the clients who may not get ``kind`` on ``channel`` at ``at``.

    Three queries whatever the number of clients: the settings, then the clients with their newest
    consent on the channel and their marketing count in the rolling week. ``capped=False`` leaves
    the cap out (a queued message re-checked when it leaves already counts itself);
    ``counting_out`` is a message not to count (the draft being approved).
    """
    rows = list(clients)
    if not rows or channel == MessageChannel.IN_APP:
        return {}
    company_id = rows[0].company_id
    settings = messaging_settings(company_id)
    newest = Consent.objects.filter(client=OuterRef("pk"), channel=channel).order_by("-at", "-id")
    counted = (
        Message.objects.filter(client=OuterRef("pk"), kind=MessageKind.MARKETING, status__in=COUNTED)
        .exclude(pk=counting_out or 0)
        .annotate(when=Coalesce("sent_at", "created_at"))
        .filter(when__gt=at - CAP_WINDOW, when__lte=at)
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")
    )
    facts = (
        Client.objects.filter(pk__in=[c.pk for c in rows], company_id=company_id)
        .annotate(
            granted=Subquery(newest.values("granted")[:1]),
            marketing=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        )
        .values_list("pk", "granted", "marketing", "email", "erased_at")
    )
    reasons: dict[int, str] = {}
    for pk, granted, marketing, email, erased_at in facts:
        if erased_at is not None:
            reasons[pk] = _("个人信息已删除")
        elif granted is None:
            reasons[pk] = _("未同意%(channel)s联系") % {"channel": _channel_name(channel)}
        elif not granted:
            reasons[pk] = _("已退订")
        elif channel == MessageChannel.EMAIL and not email:
            reasons[pk] = _("没有邮箱地址")
        elif capped and kind == MessageKind.MARKETING and marketing >= settings.weekly_marketing_cap:
            reasons[pk] = _("本周营销信息已达%(cap)s条") % {"cap": settings.weekly_marketing_cap}
    return reasons


def exclusion(
    client: Client, channel: str, kind: str, at: dt.datetime, *, counting_out: int | None = None
) -> str:
    """The reason one client may not get the message, or ``""``."""
    return exclusions([client], channel, kind, at, counting_out=counting_out).get(client.pk, "")
