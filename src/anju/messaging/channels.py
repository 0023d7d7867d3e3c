"""The channels a message leaves by, as small adapters in a registry (decision 0020).

An adapter takes one message and its idempotency key and answers the provider's reply, or raises
``SendFailed``. It must hand the key on, so that a message sent again after a worker died between
the provider's acceptance and the outbox's "sent" mark is recognised by the receiver.

- ``email``: Django's e-mail backend (SMTP in production); the key is the ``Message-ID``.
- ``sms`` and ``wechat`` (企业微信): the signed webhook the company configured (``ChannelWebhook``).
- ``in_app``: a notice on the agent's workbench (``org.Notification``, keyed by the message).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

from anju.messaging.models import ChannelWebhook, Message, MessageChannel
from anju.org.models import Notification

# How long a provider may take to answer one message; the lease is longer than this.
SEND_TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Anju-Signature"
TIMESTAMP_HEADER = "X-Anju-Timestamp"
KEY_HEADER = "Idempotency-Key"
SIGNATURE_MAX_AGE_SECONDS = 300


class SendFailed(Exception):
    """The provider refused or could not be reached. ``permanent``: trying again will not help."""

    def __init__(self, answer: str, *, permanent: bool = False) -> None:
        super().__init__(answer)
        self.answer = answer
        self.permanent = permanent


Adapter = Callable[[Message, str], str]
_adapters: dict[str, Adapter] = {}


def register(channel: str) -> Callable[[Adapter], Adapter]:
    def add(adapter: Adapter) -> Adapter:
        _adapters[channel] = adapter
        return adapter

    return add


def adapter_for(channel: str) -> Adapter:
    return _adapters[channel]


def message_id(key: str, company_id: int) -> str:
    """The e-mail ``Message-ID`` of a key: the same key gives the same id, whatever the attempt."""
    digest = hashlib.sha256(f"{company_id}:{key}".encode()).hexdigest()[:32]
    return f"<{digest}@anju.outbox>"


@register(MessageChannel.EMAIL)
def send_email(message: Message, key: str) -> str:
    email = EmailMessage(
        subject=message.subject or _("来自经纪人的消息"),
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.client.email],
        headers={"Message-ID": message_id(key, message.company_id), "X-Anju-Key": key},
    )
    try:
        email.send(fail_silently=False)
    except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors
        raise SendFailed(f"{type(exc).__name__}: {exc}") from exc
    return "smtp accepted"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``timestamp.body`` under the company's secret."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signature_valid(secret: str, timestamp: str, body: bytes, given: str, *, now: float) -> bool:
    """A request signed by whoever holds ``secret`` within the last 5 minutes (no replays later)."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), given)


def webhook_payload(message: Message, key: str) -> dict:
    client = message.client
    return {
        "idempotency_key": key,
        "message_id": message.pk,
        "company_id": message.company_id,
        "channel": message.channel,
        "kind": message.kind,
        "to": {"client_id": client.pk, "name": client.name, "mobile": client.mobile},
        "subject": message.subject,
        "text": message.text,
    }


def send_webhook(message: Message, key: str) -> str:
    hook = ChannelWebhook.objects.filter(company_id=message.company_id, channel=message.channel).first()
    if hook is None:
        raise SendFailed(
            _("未配置%(channel)s接口") % {"channel": message.get_channel_display()}, permanent=True
        )
    body = json.dumps(webhook_payload(message, key), ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the company's own https URL
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(hook.secret, timestamp, body),
            KEY_HEADER: key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=SEND_TIMEOUT_SECONDS) as response:  # noqa: S310
            return f"{response.status} {response.read(500).decode(errors='replace')}".strip()
    except urllib.error.HTTPError as exc:
        answer = f"{exc.code} {exc.read(500).decode(errors='replace')}".strip()
        # A refusal of this request (a bad number, a bad signature) will not change by trying again.
        raise SendFailed(answer, permanent=400 <= exc.code < 500 and exc.code not in (408, 429)) from exc
    except (OSError, ValueError) as exc:
        raise SendFailed(f"{type(exc).__name__}: {exc}") from exc


register(MessageChannel.SMS)(send_webhook)
register(MessageChannel.WECHAT)(send_webhook)


@register(MessageChannel.IN_APP)
def send_in_app(message: Message, key: str) -> str:
    assert message.agent_id is not None  # noqa: S101 - a check constraint holds it
    Notification.objects.get_or_create(
        key=f"message:{message.pk}",
        defaults={
            "agent_id": message.agent_id,
            "text": message.text[:300],
            "url": reverse("web:client_detail", args=[message.client_id]),
        },
    )
    return "notice"
