"""Complaints (投诉处理): a client's complaint, its two deadlines in working time (acknowledge and
resolve, from the company's SLA by severity), the alarms planned for them, the resolution and the
client's satisfaction, and the review (总结反思): root cause and corrective action.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.core.models import BaseModel, CompanyScopedModel


class Severity(models.TextChoices):
    URGENT = "urgent", _("紧急")
    NORMAL = "normal", _("一般")


class Channel(models.TextChoices):
    PHONE = "phone", _("电话")
    STORE = "store", _("到店")
    WECHAT = "wechat", _("微信")
    ONLINE = "online", _("网络平台")
    LETTER = "letter", _("书面/信函")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ACKNOWLEDGED = "acknowledged", _("已回应")
    RESOLVING = "resolving", _("处理中")
    RESOLVED = "resolved", _("已解决")
    CLOSED = "closed", _("已结案")
    REOPENED = "reopened", _("重新处理")


# While a complaint is in one of these, its resolve deadline runs; in RECEIVED the acknowledge one too.
OPEN_STATUSES = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.RESOLVING, Status.REOPENED)


class Deadline(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("回应时限")
    RESOLVE = "resolve", _("解决时限")


class Level(models.TextChoices):
    """Who an alarm goes to: the handler while time is left, then up the line once it has passed."""

    ALERT = "alert", _("临近时限提醒处理人")
    MANAGER = "manager", _("逾期升级至店长")
    ADMIN = "admin", _("逾期升级至公司管理员")


# The SLA's fields, as the settings page and the admin show them.
SLA_FIELDS = (
    "urgent_acknowledge_hours",
    "urgent_resolve_hours",
    "normal_acknowledge_hours",
    "normal_resolve_hours",
    "alert_left_percent",
    "admin_after_hours",
)


class ComplaintSettings(CompanyScopedModel):
    """The company's complaint SLA (公司设置: 投诉时限), in working hours from the complaint's receipt."""

    urgent_acknowledge_hours = models.PositiveSmallIntegerField(
        _("紧急投诉回应时限（工作小时）"), default=2, validators=[MinValueValidator(1)]
    )
    urgent_resolve_hours = models.PositiveSmallIntegerField(
        _("紧急投诉解决时限（工作小时）"), default=18, validators=[MinValueValidator(1)]
    )
    normal_acknowledge_hours = models.PositiveSmallIntegerField(
        _("一般投诉回应时限（工作小时）"), default=9, validators=[MinValueValidator(1)]
    )
    normal_resolve_hours = models.PositiveSmallIntegerField(
        _("一般投诉解决时限（工作小时）"), default=45, validators=[MinValueValidator(1)]
    )
    alert_left_percent = models.PositiveSmallIntegerField(
        _("剩余时间提醒比例（%）"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("时限只剩这么多比例的时间时提醒处理人。"),
    )
    admin_after_hours = models.PositiveSmallIntegerField(
        _("逾期后升级至管理员（工作小时）"),
        default=4,
        help_text=_("逾期即升级至店长；再过这么多工作小时仍未处理，升级至公司管理员。"),
    )

    class Meta:
        verbose_name = _("投诉时限设置")
        verbose_name_plural = _("投诉时限设置")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="complaint_settings_once"),
            models.CheckConstraint(
                condition=models.Q(urgent_acknowledge_hours__lte=models.F("urgent_resolve_hours"))
                & models.Q(normal_acknowledge_hours__lte=models.F("normal_resolve_hours")),
                name="complaint_acknowledge_within_resolve",
                violation_error_message=_("回应时限不能长于解决时限。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}"


class Category(CompanyScopedModel):
    """A kind of complaint in the company's list (公司设置: 投诉类别)."""

    name = models.CharField(_("名称"), max_length=40)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("投诉类别")
        verbose_name_plural = _("投诉类别")
        ordering = ["company_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="complaint_category_once")]

    def __str__(self) -> str:
        return self.name


class RootCause(CompanyScopedModel):
    """A root cause in the company's list (公司设置: 投诉根本原因), chosen at the review."""

    name = models.CharField(_("名称"), max_length=40)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("投诉根本原因")
        verbose_name_plural = _("投诉根本原因")
        ordering = ["company_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="complaint_cause_once")]

    def __str__(self) -> str:
        return self.name


class Complaint(CompanyScopedModel):
    """A client's complaint. Its deadlines are computed once, from ``received_at``, and stored
    (decision 0011); a reopened complaint gets a new resolve deadline from the reopening."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", verbose_name=_("客户")
    )
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices, default=Channel.PHONE)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("类别"))
    severity = models.CharField(_("紧急程度"), max_length=10, choices=Severity.choices)
    text = models.TextField(_("客户原话"), max_length=2000)
    received_at = models.DateTimeField(_("受理时间"))
    # What it is about: any of these, or none (a complaint about the company as a whole).
    about_agent = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("涉及员工"),
    )
    deal = models.ForeignKey(
        "deals.Deal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("涉及交易"),
    )
    listing = models.ForeignKey(
        "listings.Listing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("涉及房源"),
    )
    partner = models.ForeignKey(
        "outreach.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("涉及合作商"),
    )
    # The store answerable for it (the agent's, else the client's, else the recorder's): its manager
    # is the first escalation, and the monthly review counts it there.
    store = models.ForeignKey(
        "org.Store",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任门店"),
    )
    recorded_by = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    handler = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("处理人")
    )
    status = models.CharField(_("状态"), max_length=14, choices=Status.choices, default=Status.RECEIVED)
    acknowledge_due_at = models.DateTimeField(_("回应时限"))
    resolve_due_at = models.DateTimeField(_("解决时限"))
    acknowledged_at = models.DateTimeField(_("回应时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    # The resolution (公平合理): what was done, and the remedy the client agreed to.
    resolution = models.TextField(_("处理经过"), max_length=2000, blank=True)
    remedy = models.CharField(_("商定的补救措施"), max_length=300, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("客户满意度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_note = models.CharField(_("客户评价"), max_length=300, blank=True)
    # The review (总结反思).
    root_cause = models.ForeignKey(
        RootCause,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("根本原因"),
    )
    corrective_action = models.CharField(_("改进措施"), max_length=300, blank=True)
    corrective_owner = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("改进负责人"),
    )
    corrective_due_on = models.DateField(_("改进完成期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["company", "status", "resolve_due_at"], name="complaint_open_due"),
            models.Index(fields=["company", "received_at"], name="complaint_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaint_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(satisfaction__isnull=False),
                name="complaint_closed_with_satisfaction",
                violation_error_message=_("记录客户满意度后才能结案。"),
            ),
            models.CheckConstraint(
                condition=models.Q(acknowledge_due_at__lte=models.F("resolve_due_at")),
                name="complaint_acknowledge_before_resolve",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.client_id}"


class Step(models.Model):
    """One move of a complaint's status, with who made it and the note: the complaint's history."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="steps", verbose_name=_("投诉")
    )
    status = models.CharField(_("状态"), max_length=14, choices=Status.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("投诉处理记录")
        verbose_name_plural = _("投诉处理记录")
        ordering = ["complaint_id", "at", "id"]

    def __str__(self) -> str:
        return self.status


class Alarm(BaseModel):
    """An alarm planned for a deadline: to the handler when a quarter of the time is left, to the store
    manager when it has passed, to the company administrator some hours later. The periodic job
    raises the ones whose time has come while the deadline is still unmet (``raised_at``, ``to``),
    once each; an alarm of a deadline met in time is never raised."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="alarms", verbose_name=_("投诉")
    )
    deadline = models.CharField(_("时限"), max_length=12, choices=Deadline.choices)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    due_at = models.DateTimeField(_("触发时间"))
    raised_at = models.DateTimeField(_("已触发"), null=True, blank=True)
    to = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("通知对象"),
    )

    class Meta:
        verbose_name = _("投诉时限提醒")
        verbose_name_plural = _("投诉时限提醒")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["raised_at", "due_at"], name="complaint_alarm_pending")]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "deadline", "level", "due_at"], name="complaint_alarm_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.deadline} {self.level}"
