"""Writes for complaints: recording one (its deadlines computed once, from the company's SLA in
working time), the one transition function for its status, the review, the company's lists, and
the periodic raising of alarms and escalations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.complaints.deadlines import deadline_alarms
from anju.complaints.models import (
    OPEN_STATUSES,
    SLA_FIELDS,
    Alarm,
    Category,
    Channel,
    Complaint,
    ComplaintSettings,
    Deadline,
    Level,
    RootCause,
    Severity,
    Status,
    Step,
)
from anju.complaints.selectors import complaint_settings, sla_of
from anju.core.errors import ApplicationError, IllegalTransition
from anju.core.workcalendar import WorkingHours
from anju.deals.models import Deal
from anju.listings.models import Listing
from anju.org.models import Agent, Company, Role
from anju.org.selectors import company_working_hours
from anju.outreach.models import Partner

DEFAULT_CATEGORIES = (
    "服务态度",
    "房源信息不实",
    "带看与预约",
    "交易流程与办理",
    "费用与佣金",
    "隐私与骚扰",
    "其他",
)
DEFAULT_ROOT_CAUSES = (
    "沟通不到位",
    "流程执行不规范",
    "信息核实不足",
    "员工培训不足",
    "外部原因（业主、银行、部门）",
    "其他",
)

# Where each status may go. Resolving from 已受理 acknowledges it on the way; 重新处理 starts a new
# resolve deadline from the reopening.
MOVES: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.ACKNOWLEDGED, Status.RESOLVING, Status.RESOLVED),
    Status.ACKNOWLEDGED: (Status.RESOLVING, Status.RESOLVED),
    Status.RESOLVING: (Status.RESOLVED,),
    Status.RESOLVED: (Status.CLOSED, Status.REOPENED),
    Status.CLOSED: (Status.REOPENED,),
    Status.REOPENED: (Status.RESOLVING, Status.RESOLVED),
}


@transaction.atomic
def complaint_lists_ensure(*, company: Company) -> None:
    """A company without a category or root-cause list gets the default ones, to edit in the admin."""
    if not Category.objects.filter(company=company).exists():
        Category.objects.bulk_create(
            [Category(company=company, name=name, position=i) for i, name in enumerate(DEFAULT_CATEGORIES)]
        )
    if not RootCause.objects.filter(company=company).exists():
        RootCause.objects.bulk_create(
            [RootCause(company=company, name=name, position=i) for i, name in enumerate(DEFAULT_ROOT_CAUSES)]
        )


@transaction.atomic
def complaint_settings_update(*, company: Company, by: Agent, **values: int) -> ComplaintSettings:
    """The company's complaint SLA (公司设置 · 投诉时限). Applies to complaints recorded from now on:
    a recorded complaint keeps the deadlines it was given."""
    if not by.is_admin or by.company_id != company.pk:
        raise ApplicationError(_("只有管理员可以修改投诉时限。"), code="settings_forbidden", extra={})
    row = ComplaintSettings.objects.select_for_update().filter(company=company).first() or ComplaintSettings(
        company=company
    )
    for name, value in values.items():
        if name not in SLA_FIELDS:
            raise ApplicationError(_("未知的设置项。"), code="setting_unknown")
        if value < 1:
            raise ApplicationError(_("时限和比例必须大于零。"), code="setting_not_positive")
        setattr(row, name, value)
    if row.alert_left_percent >= 100:
        raise ApplicationError(_("提醒比例应在 1 到 99 之间。"), code="alert_percent_too_high")
    if (
        row.urgent_acknowledge_hours > row.urgent_resolve_hours
        or row.normal_acknowledge_hours > row.normal_resolve_hours
    ):
        raise ApplicationError(_("回应时限不能长于解决时限。"), code="acknowledge_after_resolve")
    row.save()
    return row


def _category(company: Company, category: Category | str) -> Category:
    if isinstance(category, Category):
        if category.company_id != company.pk:
            raise ApplicationError(_("未知的投诉类别。"), code="category_unknown")
        return category
    complaint_lists_ensure(company=company)
    found = Category.objects.filter(company=company, name=category.strip(), is_active=True).first()
    if found is None:
        names = list(Category.objects.filter(company=company, is_active=True).values_list("name", flat=True))
        raise ApplicationError(
            _("未知的投诉类别“%(name)s”，可选：%(names)s。") % {"name": category, "names": "、".join(names)},
            code="category_unknown",
            extra={"choices": names},
        )
    return found


def _same_company(company: Company, *rows: Any) -> None:
    for row in rows:
        if row is not None and row.company_id != company.pk:
            raise ApplicationError(_("关联的记录不属于本公司。"), code="related_unknown")


def _plan(
    complaint: Complaint, deadline: str, start: dt.datetime, amount: dt.timedelta, hours: WorkingHours
) -> dt.datetime:
    sla = sla_of(complaint_settings(complaint.company_id))
    alarms = deadline_alarms(start, amount, sla, hours)
    Alarm.objects.bulk_create(
        [
            Alarm(complaint=complaint, deadline=deadline, level=Level.ALERT, due_at=alarms.alert),
            Alarm(complaint=complaint, deadline=deadline, level=Level.MANAGER, due_at=alarms.due),
            Alarm(complaint=complaint, deadline=deadline, level=Level.ADMIN, due_at=alarms.admin),
        ],
        ignore_conflicts=True,
    )
    return alarms.due


@transaction.atomic
def complaint_record(
    *,
    by: Agent,
    client: Client,
    severity: str,
    category: Category | str,
    text: str,
    received_at: dt.datetime | None = None,
    channel: str = Channel.PHONE,
    about_agent: Agent | None = None,
    deal: Deal | None = None,
    listing: Listing | None = None,
    partner: Partner | None = None,
    handler: Agent | None = None,
) -> Complaint:
    """Record a complaint. Its deadlines count working time from ``received_at`` (default now) by the
    company's SLA for the severity; they are stored and do not move when the calendar is edited."""
    company = by.company
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        raise ApplicationError(_("受理时间需要带时区。"), code="received_at_naive")
    if received_at > now + dt.timedelta(minutes=5):
        raise ApplicationError(_("受理时间不能晚于现在。"), code="received_at_future")
    if severity not in Severity.values:
        raise ApplicationError(_("紧急程度只能是“紧急”或“一般”。"), code="severity_invalid")
    if channel not in Channel.values:
        raise ApplicationError(_("未知的投诉渠道。"), code="channel_invalid")
    text = text.strip()
    if not text:
        raise ApplicationError(_("请记录客户的原话。"), code="text_required")
    _same_company(company, client, about_agent, deal, listing, partner, handler)
    handler = handler or by
    if not handler.is_active:
        raise ApplicationError(_("处理人已离职。"), code="handler_inactive")
    store = (about_agent and about_agent.store) or client.store or handler.store or by.store
    complaint = Complaint(
        company=company,
        client=client,
        channel=channel,
        category=_category(company, category),
        severity=severity,
        text=text,
        received_at=received_at,
        about_agent=about_agent,
        deal=deal,
        listing=listing,
        partner=partner,
        store=store,
        recorded_by=by,
        handler=handler,
        # Placeholders until the alarms are planned below (they need the row's id).
        acknowledge_due_at=received_at,
        resolve_due_at=received_at,
    )
    complaint.save()
    sla = sla_of(complaint_settings(company))
    hours = company_working_hours(company)
    complaint.acknowledge_due_at = _plan(
        complaint, Deadline.ACKNOWLEDGE, received_at, sla.acknowledge(severity), hours
    )
    complaint.resolve_due_at = _plan(complaint, Deadline.RESOLVE, received_at, sla.resolve(severity), hours)
    complaint.save(update_fields=["acknowledge_due_at", "resolve_due_at"])
    Step.objects.create(complaint=complaint, status=Status.RECEIVED, at=received_at, by=by, note="")
    return complaint


def _drop_unraised(complaint: Complaint, deadline: str) -> None:
    """A deadline met: its alarms not raised yet never will be."""
    complaint.alarms.filter(deadline=deadline, raised_at__isnull=True).delete()


@transaction.atomic
def complaint_move(
    *,
    complaint: Complaint,
    to: str,
    by: Agent,
    note: str = "",
    resolution: str = "",
    remedy: str = "",
    satisfaction: int | None = None,
    at: dt.datetime | None = None,
) -> Complaint:
    """The one transition function. Resolving records what was done (``resolution``) and the remedy
    agreed; closing needs the client's satisfaction (1–5); reopening starts a new resolve deadline."""
    locked = Complaint.objects.select_for_update().select_related("company").get(pk=complaint.pk)
    if to not in Status.values:
        raise ApplicationError(_("未知的投诉状态。"), code="status_invalid")
    current = Status(locked.status)
    target = Status(to)
    if target not in MOVES[current]:
        raise IllegalTransition(
            _("投诉当前状态为“%(current)s”，不能改为“%(to)s”。")
            % {"current": current.label, "to": target.label},
            code="status_move_illegal",
            extra={"status": current.value, "allowed": list(MOVES[current])},
        )
    at = at or timezone.now()
    note = note.strip()
    fields = {"status"}
    if target in (Status.ACKNOWLEDGED, Status.RESOLVING, Status.RESOLVED) and locked.acknowledged_at is None:
        locked.acknowledged_at = at
        fields.add("acknowledged_at")
        _drop_unraised(locked, Deadline.ACKNOWLEDGE)
    if target == Status.RESOLVED:
        resolution = (resolution or note).strip()
        if not resolution:
            raise ApplicationError(_("请写明处理经过。"), code="resolution_required")
        locked.resolution, locked.remedy, locked.resolved_at = resolution, remedy.strip(), at
        fields |= {"resolution", "remedy", "resolved_at"}
        _drop_unraised(locked, Deadline.RESOLVE)
    elif target == Status.CLOSED:
        if satisfaction is None or not 1 <= satisfaction <= 5:
            raise ApplicationError(_("请先记录客户满意度（1–5 分）再结案。"), code="satisfaction_required")
        locked.satisfaction, locked.satisfaction_note, locked.closed_at = satisfaction, note, at
        fields |= {"satisfaction", "satisfaction_note", "closed_at"}
    elif target == Status.REOPENED:
        if not note:
            raise ApplicationError(_("请说明重新处理的原因。"), code="note_required")
        locked.resolved_at = locked.closed_at = locked.satisfaction = None
        locked.satisfaction_note = ""
        fields |= {"resolved_at", "closed_at", "satisfaction", "satisfaction_note", "resolve_due_at"}
        sla = sla_of(complaint_settings(locked.company_id))
        locked.resolve_due_at = _plan(
            locked, Deadline.RESOLVE, at, sla.resolve(locked.severity), company_working_hours(locked.company)
        )
    locked.status = target
    locked.save(update_fields=fields)
    Step.objects.create(complaint=locked, status=target, at=at, by=by, note=note[:500])
    return locked


@transaction.atomic
def complaint_review(
    *,
    complaint: Complaint,
    by: Agent,
    root_cause: RootCause,
    corrective_action: str,
    corrective_owner: Agent | None,
    corrective_due_on: dt.date | None,
) -> Complaint:
    """The review (总结反思): the root cause from the company's list and the corrective action with its
    owner and due date. Done once the complaint is resolved."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status in OPEN_STATUSES:
        raise ApplicationError(_("投诉解决后才能复盘。"), code="review_too_early")
    _same_company(by.company, root_cause, corrective_owner)
    corrective_action = corrective_action.strip()
    if corrective_action and (corrective_owner is None or corrective_due_on is None):
        raise ApplicationError(_("改进措施需要负责人和完成期限。"), code="corrective_owner_required")
    locked.root_cause = root_cause
    locked.corrective_action = corrective_action
    locked.corrective_owner = corrective_owner
    locked.corrective_due_on = corrective_due_on
    locked.save(update_fields=["root_cause", "corrective_action", "corrective_owner", "corrective_due_on"])
    return locked


# --- alarms ------------------------------------------------------------------------------------


def _first(company_id: int, role: str, store_id: int | None = None) -> int | None:
    qs = Agent.objects.filter(company_id=company_id, role=role, is_active=True)
    if store_id is not None:
        qs = qs.filter(store_id=store_id)
    return qs.order_by("id").values_list("id", flat=True).first()


def _recipient(alarm: Alarm) -> int | None:
    complaint = alarm.complaint
    if alarm.level == Level.ALERT:
        return complaint.handler_id
    admin = _first(complaint.company_id, Role.ADMIN)
    if alarm.level == Level.MANAGER:
        # A store without a manager escalates straight to the administrator.
        return (
            complaint.store_id and _first(complaint.company_id, Role.MANAGER, complaint.store_id)
        ) or admin
    return admin


def complaint_alarms_raise(*, now: dt.datetime | None = None) -> int:
    """Raise every alarm whose time has come while its deadline is unmet: the handler's alert, the
    store manager's and then the administrator's escalation. Each is raised once (a conditional
    update), so the job may run any number of times, and at once on several workers."""
    now = now or timezone.now()
    unmet = Q(deadline=Deadline.RESOLVE) | Q(complaint__acknowledged_at__isnull=True)
    due = (
        Alarm.objects.filter(raised_at__isnull=True, due_at__lte=now, complaint__status__in=OPEN_STATUSES)
        .filter(unmet)
        .select_related("complaint")
        .order_by("due_at", "id")
    )
    raised = 0
    for alarm in due:
        raised += Alarm.objects.filter(pk=alarm.pk, raised_at__isnull=True).update(
            raised_at=now, to_id=_recipient(alarm)
        )
    return raised
