"""Writes for the outbox: queue (idempotent on the key), approve, cancel, send what is due, opt out.

A message moves queued → sent | failed | cancelled, or starts as awaiting_approval (a draft an
agent approves or cancels). Sending is at least once towards the provider, with the key handed on
so that the receiver sees each message once (decision 0020).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client, Consent
from anju.clients.services import consent_record
from anju.core.errors import ApplicationError, ConflictError
from anju.core.formats import format_area, format_rent, format_wan
from anju.matching.models import Match
from anju.messaging.channels import SendFailed, adapter_for, signature_valid
from anju.messaging.gate import exclusion, exclusions, messaging_settings, quiet_hours_end
from anju.messaging.models import ChannelWebhook, Message, MessageChannel, MessageKind, MessageStatus
from anju.messaging.selectors import OPT_OUT_SALT
from anju.org.models import Agent

log = logging.getLogger(__name__)

# Messages a worker takes at once, and how long it holds each batch: longer than a batch of
# providers answering at their slowest, so a live worker never loses its batch to another.
BATCH = 20
LEASE = dt.timedelta(seconds=BATCH * 15)
MAX_ATTEMPTS = 5
# The channels a recommendation goes by, in the order tried: the first the client consented to.
PREFERRED = (MessageChannel.WECHAT, MessageChannel.SMS, MessageChannel.EMAIL)
# Approved matches older than this when the job first sees them are not sent any more.
MATCH_FRESH = dt.timedelta(days=7)


def backoff(attempts: int) -> dt.timedelta:
    """1, 5, 25 minutes, then 2 hours: the wait before attempt ``attempts + 1``."""
    return dt.timedelta(minutes=min(5 ** (attempts - 1), 120))


# --- opt-out -----------------------------------------------------------------------------------


def opt_out_token(client: Client) -> str:
    return signing.dumps({"c": client.pk}, salt=OPT_OUT_SALT)


def opt_out_link(client: Client) -> str:
    path = reverse("web:opt_out", args=[opt_out_token(client)])
    return django_settings.ANJU_SITE_URL.rstrip("/") + path


def _with_opt_out(client: Client, channel: str, text: str) -> str:
    """Every marketing message carries its way out: a reply for SMS, a signed link elsewhere."""
    if channel == MessageChannel.SMS:
        return f"{text} {_('回复TD退订')}"
    return f"{text}\n{_('退订：')}{opt_out_link(client)}"


@transaction.atomic
def client_opt_out(*, client: Client, how: str) -> int:
    """Stop all marketing to the client at once: withdraw every channel they had consented to (a
    consent change saying how), and cancel the marketing still waiting. The number of channels
    withdrawn; a second opt-out changes nothing."""
    newest: dict[str, bool] = {}
    for channel, granted in (
        Consent.objects.filter(client=client).order_by("at", "id").values_list("channel", "granted")
    ):
        newest[channel] = granted
    withdrawn = 0
    for channel, granted in newest.items():
        if granted:
            consent_record(client=client, by=None, channel=channel, granted=False, how=how)
            withdrawn += 1
    Message.objects.filter(
        client=client,
        kind=MessageKind.MARKETING,
        status__in=(MessageStatus.QUEUED, MessageStatus.AWAITING_APPROVAL),
    ).update(status=MessageStatus.CANCELLED, reason=_("已退订"), lease_until=None, updated_at=timezone.now())
    return withdrawn


class SignatureInvalid(ApplicationError):
    code = "signature_invalid"
    status = 401


def reply_receive(*, body: bytes, timestamp: str, given_signature: str) -> bool:
    """An SMS reply the company's provider forwards, signed as the outgoing webhook is (decision
    0020): ``{"company_id", "mobile", "text"}``. "TD" opts the sender out; ``True`` when it did."""
    try:
        reply = json.loads(body)
        company_id, mobile, text = int(reply["company_id"]), str(reply["mobile"]), str(reply["text"])
    except (ValueError, KeyError, TypeError):
        raise ApplicationError(_("回复内容格式不正确。"), code="reply_invalid") from None
    hook = ChannelWebhook.objects.filter(company_id=company_id, channel=MessageChannel.SMS).first()
    if hook is None or not signature_valid(hook.secret, timestamp, body, given_signature, now=time.time()):
        raise SignatureInvalid(_("签名无效或已过期。"))
    return opt_out_by_reply(company_id=company_id, mobile=mobile, text=text)


def opt_out_by_reply(*, company_id: int, mobile: str, text: str) -> bool:
    """An SMS reply the provider passed on: "TD" (or "T", "退订") opts the sender out."""
    if text.strip().upper() not in {"TD", "T", "退订"}:
        return False
    client = Client.objects.filter(company_id=company_id, mobile=mobile, merged_into__isnull=True).first()
    if client is None:
        return False
    client_opt_out(client=client, how=_("短信回复TD退订"))
    return True


# --- queue, approve, cancel ------------------------------------------------------------------


def message_queue(
    *,
    client: Client,
    channel: str,
    kind: str,
    text: str,
    key: str,
    subject: str = "",
    template: str = "",
    by: Agent | None = None,
    agent: Agent | None = None,
    approval: bool = False,
    at: dt.datetime | None = None,
) -> Message:
    """Put a message in the outbox, or find the one queued with ``key`` before (never a second one).

    ``approval`` makes it a draft an agent approves first. A message the gate refuses is kept,
    cancelled with the reason, so that the key is spent and the agent sees why it did not go; one
    that falls in quiet hours waits for the morning. ``agent`` is the recipient of an in-app notice.
    """
    key = key.strip()
    if not key or len(key) > 120:
        raise ApplicationError(_("幂等键须为1至120个字符。"), code="key_invalid")
    existing = Message.objects.filter(company_id=client.company_id, idempotency_key=key).first()
    if existing is not None:
        return existing
    if channel not in MessageChannel.values:
        raise ApplicationError(_("发送渠道无效。"), code="channel_invalid")
    if kind not in MessageKind.values:
        raise ApplicationError(_("消息类别无效。"), code="kind_invalid")
    if channel == MessageChannel.IN_APP and agent is None:
        raise ApplicationError(_("站内提醒须指定接收的员工。"), code="agent_required")
    text = text.strip()
    if not text:
        raise ApplicationError(_("消息内容不能为空。"), code="text_required")
    now = at or timezone.now()
    reason = exclusion(client, channel, kind, now)
    if kind == MessageKind.MARKETING and channel != MessageChannel.IN_APP:
        text = _with_opt_out(client, channel, text)
    wait = (
        None
        if channel == MessageChannel.IN_APP
        else quiet_hours_end(messaging_settings(client.company_id), now)
    )
    status = MessageStatus.AWAITING_APPROVAL if approval else MessageStatus.QUEUED
    try:
        with transaction.atomic():
            return Message.objects.create(
                company_id=client.company_id,
                client=client,
                agent=agent,
                channel=channel,
                kind=kind,
                template=template,
                subject=subject,
                text=text,
                idempotency_key=key,
                status=MessageStatus.CANCELLED if reason else status,
                reason=reason,
                send_after=wait,
                next_attempt_at=wait or now,
                created_by=by,
            )
    except IntegrityError:
        # Queued by someone else at the same moment: theirs is the message.
        return Message.objects.get(company_id=client.company_id, idempotency_key=key)


def message_approve(*, message: Message, by: Agent) -> Message:
    """A draft goes out: queued, unless the gate refuses it now (then cancelled with the reason)."""
    if message.status != MessageStatus.AWAITING_APPROVAL:
        raise ApplicationError(
            _("该消息当前状态为“%(status)s”，无需审批。") % {"status": message.get_status_display()},
            code="message_not_awaiting",
        )
    now = timezone.now()
    reason = exclusion(message.client, message.channel, message.kind, now, counting_out=message.pk)
    wait = None
    if message.channel != MessageChannel.IN_APP:
        wait = quiet_hours_end(messaging_settings(message.company_id), now)
    moved = Message.objects.filter(pk=message.pk, status=MessageStatus.AWAITING_APPROVAL).update(
        status=MessageStatus.CANCELLED if reason else MessageStatus.QUEUED,
        reason=reason,
        approved_by=by,
        approved_at=now,
        send_after=wait,
        next_attempt_at=max(wait or now, message.next_attempt_at),
        updated_at=now,
    )
    if not moved:
        raise ConflictError(_("该消息已被他人处理。"), code="message_not_awaiting")
    message.refresh_from_db()
    return message


def message_cancel(*, message: Message, by: Agent) -> Message:
    """Stop a message that has not left (queued or awaiting approval)."""
    cancelled = Message.objects.filter(
        pk=message.pk, status__in=(MessageStatus.QUEUED, MessageStatus.AWAITING_APPROVAL)
    ).update(
        status=MessageStatus.CANCELLED,
        reason=_("由%(agent)s取消") % {"agent": by.name},
        lease_until=None,
        updated_at=timezone.now(),
    )
    if not cancelled:
        raise ApplicationError(
            _("该消息当前状态为“%(status)s”，不能取消。") % {"status": message.get_status_display()},
            code="message_not_cancellable",
        )
    message.refresh_from_db()
    return message


# --- sending -----------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    waiting: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retried": self.retried,
            "failed": self.failed,
            "cancelled": self.cancelled,
            "waiting": self.waiting,
        }


def _claim(claim: str, now: dt.datetime) -> list[Message]:
    """Take up to ``BATCH`` due messages for this worker: free ones, or ones whose worker died."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    with transaction.atomic():
        due = Message.objects.filter(free, status=MessageStatus.QUEUED, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "id"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:BATCH])
        # Conditional, so that without row locks (SQLite serialises writers instead) nothing is
        # taken twice.
        Message.objects.filter(free, pk__in=ids, status=MessageStatus.QUEUED).update(
            claim=claim, lease_until=now + LEASE, attempts=F("attempts") + 1
        )
    return list(
        Message.objects.filter(claim=claim, status=MessageStatus.QUEUED)
        .select_related("client")
        .order_by("next_attempt_at", "id")
    )


def _settle(message: Message, claim: str, **fields: object) -> None:
    Message.objects.filter(pk=message.pk, claim=claim, status=MessageStatus.QUEUED).update(
        lease_until=None, updated_at=timezone.now(), **fields
    )


def _refusals(batch: list[Message], now: dt.datetime) -> dict[int, str]:
    """Why a message may not leave now after all (consent withdrawn since it was queued): by message id."""
    groups: dict[tuple[int, str, str], list[Message]] = defaultdict(list)
    for message in batch:
        groups[(message.company_id, message.channel, message.kind)].append(message)
    refused: dict[int, str] = {}
    for (_company, channel, kind), messages in groups.items():
        reasons = exclusions([m.client for m in messages], channel, kind, now, capped=False)
        refused.update({m.pk: reasons[m.client_id] for m in messages if m.client_id in reasons})
    return refused


def _attempt(message: Message) -> str:
    """Hand the message to its channel's adapter: the provider's answer, or ``SendFailed``."""
    try:
        return adapter_for(message.channel)(message, message.idempotency_key)
    except SendFailed:
        raise
    except Exception as exc:  # an adapter's own bug must not stall the outbox: retried, then failed
        log.exception("message %s: the %s adapter failed", message.pk, message.channel)
        raise SendFailed(f"{type(exc).__name__}: {exc}") from exc


def _send_one(message: Message, claim: str, report: SendReport) -> None:
    try:
        answer = _attempt(message)
    except SendFailed as exc:
        if exc.permanent or message.attempts >= MAX_ATTEMPTS:
            _settle(message, claim, status=MessageStatus.FAILED, provider_answer=exc.answer[:2000])
            report.failed += 1
        else:
            retry_at = timezone.now() + backoff(message.attempts)
            _settle(message, claim, next_attempt_at=retry_at, provider_answer=exc.answer[:2000])
            report.retried += 1
        return
    _settle(message, claim, status=MessageStatus.SENT, sent_at=timezone.now(), provider_answer=answer[:2000])
    report.sent += 1


def messages_send_due(*, limit: int = 1000) -> dict[str, int]:
    """Send what is due, batch by batch, until nothing is due or ``limit`` messages were taken.

    Safe on several workers at once: each batch is claimed under a lease (skipping rows another
    worker has locked, on PostgreSQL), and each mark is conditional on still holding it.
    """
    report = SendReport()
    taken = 0
    while taken < limit:
        now = timezone.now()
        claim = uuid.uuid4().hex
        batch = _claim(claim, now)
        if not batch:
            break
        taken += len(batch)
        refused = _refusals(batch, now)
        quiet: dict[int, dt.datetime | None] = {}
        for message in batch:
            if message.pk in refused:
                _settle(message, claim, status=MessageStatus.CANCELLED, reason=refused[message.pk])
                report.cancelled += 1
                continue
            if message.channel != MessageChannel.IN_APP:
                if message.company_id not in quiet:
                    quiet[message.company_id] = quiet_hours_end(messaging_settings(message.company_id), now)
                wait = quiet[message.company_id]
                if wait is not None:
                    # A retry that came due in the night waits for the morning; this was no attempt.
                    _settle(message, claim, next_attempt_at=wait, attempts=F("attempts") - 1)
                    report.waiting += 1
                    continue
            _send_one(message, claim, report)
    return report.as_dict()


# --- approved matches ------------------------------------------------------------------------


def _listing_line(match: Match) -> str:
    listing = match.listing
    price = format_rent(listing.price) if listing.kind == "rent" else format_wan(listing.price)
    return _("%(community)s %(rooms)s室 %(area)s %(price)s") % {
        "community": listing.community.name,
        "rooms": listing.rooms,
        "area": format_area(listing.area),
        "price": price,
    }


def matches_queue_approved(*, now: dt.datetime | None = None) -> int:
    """Every match an agent approved (``Match.approved_at``) goes to its client once, as marketing
    (a recommendation counts toward the weekly cap), on the first channel the client consented to.
    The number of messages queued."""
    now = now or timezone.now()
    matches = list(
        Match.objects.filter(approved_at__gte=now - MATCH_FRESH, approved_at__lte=now)
        .select_related("need__client", "listing__community", "approved_by")
        .order_by("approved_at", "id")
    )
    spent = set(
        Message.objects.filter(idempotency_key__in=[f"match:{m.pk}" for m in matches]).values_list(
            "idempotency_key", flat=True
        )
    )
    fresh = [m for m in matches if f"match:{m.pk}" not in spent]
    clients = {m.need.client_id for m in fresh}
    granted: dict[int, dict[str, bool]] = defaultdict(dict)
    for client_id, channel, yes in (
        Consent.objects.filter(client_id__in=clients)
        .order_by("at", "id")
        .values_list("client_id", "channel", "granted")
    ):
        granted[client_id][channel] = yes
    queued = 0
    for match in fresh:
        client = match.need.client
        usable = [c for c in PREFERRED if granted[client.pk].get(c)]
        if not usable:
            continue  # no channel to send it by: it stays an approved match the agent can share by hand
        agent = match.approved_by
        signature = f" —— {agent.name}" if agent else ""
        message_queue(
            client=client,
            channel=usable[0],
            kind=MessageKind.MARKETING,
            template="match",
            subject=_("为您推荐的房源"),
            text=_("%(name)s您好，为您推荐：%(listing)s%(signature)s")
            % {"name": client.name, "listing": _listing_line(match), "signature": signature},
            key=f"match:{match.pk}",
            by=agent,
            at=now,
        )
        queued += 1
    return queued
