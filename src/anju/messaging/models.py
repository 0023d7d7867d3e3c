"""The outbox (发件箱): every message to a client or an agent is a row here before it leaves, and the
per-company settings of sending: the marketing cap, quiet hours and the webhook channels."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.core.models import CompanyScopedModel


class MessageChannel(models.TextChoices):
    """The client's consent channels (``clients.Channel``, without the telephone) and agents' in-app notices."""

    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("企业微信")
    IN_APP = "in_app", _("站内提醒")


class MessageKind(models.TextChoices):
    SERVICE = "service", _("服务通知")
    MARKETING = "marketing", _("营销信息")
    GREETING = "greeting", _("节日问候")


class MessageStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("待审批")
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    CANCELLED = "cancelled", _("已取消")


class Message(CompanyScopedModel):
    """One message on its way to one client (or, ``in_app``, to one agent about a client).

    ``idempotency_key`` is unique per company: queuing the same key twice finds the first row, and
    the adapters hand it to the provider, so a message re-sent after a worker died is recognised.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="messages", verbose_name=_("客户")
    )
    # The recipient of an in-app notice (the client is what it is about).
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("员工")
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=MessageChannel.choices)
    kind = models.CharField(_("类别"), max_length=10, choices=MessageKind.choices)
    template = models.CharField(_("模板"), max_length=60, blank=True)
    subject = models.CharField(_("标题"), max_length=120, blank=True)
    text = models.TextField(_("内容"))
    idempotency_key = models.CharField(_("幂等键"), max_length=120)
    status = models.CharField(_("状态"), max_length=20, choices=MessageStatus.choices)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # When it may leave: quiet hours push it to the morning, a failed attempt to its backoff.
    next_attempt_at = models.DateTimeField(_("下次发送"), default=timezone.now)
    send_after = models.DateTimeField(_("最早发送"), null=True, blank=True)
    # A worker that takes the message holds it until then; a message whose lease ran out was left by
    # a worker that died and is taken again (with the same key).
    lease_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    provider_answer = models.TextField(_("服务商答复"), blank=True)
    created_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    approved_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        constraints = [
            models.UniqueConstraint(fields=["company", "idempotency_key"], name="message_key_unique"),
            models.CheckConstraint(
                condition=~models.Q(channel="in_app") | models.Q(agent__isnull=False),
                name="message_in_app_has_agent",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["client", "kind", "-created_at"], name="message_client_recent"),
            models.Index(fields=["company", "status", "-created_at", "-id"], name="message_outbox"),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} ({self.get_status_display()})"


class MessagingSettings(models.Model):
    """How a company sends: the weekly marketing cap and the quiet hours (Beijing time)."""

    company = models.OneToOneField(
        "org.Company", on_delete=models.CASCADE, related_name="messaging_settings", verbose_name=_("公司")
    )
    weekly_marketing_cap = models.PositiveSmallIntegerField(
        _("每周营销信息上限"), default=2, help_text=_("每位客户滚动7天内最多收到的营销信息条数")
    )
    quiet_from = models.TimeField(_("免打扰开始"), default=dt.time(21, 0))
    quiet_until = models.TimeField(_("免打扰结束"), default=dt.time(9, 0))

    class Meta:
        verbose_name = _("发送设置")
        verbose_name_plural = _("发送设置")

    def __str__(self) -> str:
        return str(self.company)


class ChannelWebhook(CompanyScopedModel):
    """Where a company's SMS or 企业微信 messages go: a URL that receives signed JSON (decision 0020)."""

    channel = models.CharField(
        _("渠道"),
        max_length=10,
        choices=[
            (MessageChannel.SMS.value, MessageChannel.SMS.label),
            (MessageChannel.WECHAT.value, MessageChannel.WECHAT.label),
        ],
    )
    url = models.URLField(_("接收地址"))
    secret = models.CharField(_("签名密钥"), max_length=128)

    class Meta:
        verbose_name = _("渠道接口")
        verbose_name_plural = _("渠道接口")
        constraints = [models.UniqueConstraint(fields=["company", "channel"], name="channel_webhook_unique")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.url}"
