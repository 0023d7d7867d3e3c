"""Reads for complaints: who sees which, the company's SLA and lists, what is overdue, what is on an
agent's workbench, and the monthly review.

An administrator sees the company's complaints; a store manager (or specialist) those answerable to
the store and those they handle; an agent those they handle or recorded. Across companies a
complaint is 404, within one 403 with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.complaints.deadlines import HOUR, Sla
from anju.complaints.models import (
    OPEN_STATUSES,
    Alarm,
    Category,
    Complaint,
    ComplaintSettings,
    Deadline,
    Level,
    RootCause,
    Status,
)
from anju.core.formats import format_datetime
from anju.core.workcalendar import unknown_years
from anju.org.models import Agent, Company, Role
from anju.org.scoping import in_company

RELATED = ("client", "category", "handler", "store", "about_agent", "root_cause")


def complaint_settings(company: Company | int) -> ComplaintSettings:
    """The company's SLA row, or the defaults (unsaved) when it has not set one."""
    company_id = company if isinstance(company, int) else company.pk
    row = ComplaintSettings.objects.filter(company_id=company_id).first()
    return row or ComplaintSettings(company_id=company_id)


def sla_of(settings: ComplaintSettings) -> Sla:
    return Sla(
        urgent_acknowledge=settings.urgent_acknowledge_hours * HOUR,
        urgent_resolve=settings.urgent_resolve_hours * HOUR,
        normal_acknowledge=settings.normal_acknowledge_hours * HOUR,
        normal_resolve=settings.normal_resolve_hours * HOUR,
        alert_left_percent=settings.alert_left_percent,
        admin_after=settings.admin_after_hours * HOUR,
    )


def categories_of(company_id: int) -> QuerySet[Category]:
    return Category.objects.filter(company_id=company_id, is_active=True).order_by("position", "id")


def root_causes_of(company_id: int) -> QuerySet[RootCause]:
    return RootCause.objects.filter(company_id=company_id, is_active=True).order_by("position", "id")


def _visible(viewer: Agent) -> Q:
    if viewer.role == Role.ADMIN:
        return Q()
    mine = Q(handler_id=viewer.pk) | Q(recorded_by_id=viewer.pk)
    if viewer.role in (Role.MANAGER, Role.SPECIALIST):
        return mine | Q(store_id=viewer.store_id)
    return mine


def complaints_visible(viewer: Agent) -> QuerySet[Complaint]:
    return in_company(Complaint.objects.select_related(*RELATED), viewer).filter(_visible(viewer))


def access_complaint(viewer: Agent, complaint_id: int) -> Complaint:
    complaint = in_company(Complaint.objects.select_related(*RELATED), viewer).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404(_("没有找到该投诉。"))
    if not Complaint.objects.filter(pk=complaint.pk).filter(_visible(viewer)).exists():
        raise PermissionDenied(_("该投诉由其他门店或同事处理，您无权查看。"))
    return complaint


def overdue_q(now: dt.datetime) -> Q:
    """Open, and past a deadline it has not met."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(resolve_due_at__lt=now) | Q(acknowledged_at__isnull=True, acknowledge_due_at__lt=now)
    )


def complaints_listed(
    viewer: Agent,
    *,
    overdue: bool = False,
    status: str = "",
    open_only: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Complaint]:
    qs = complaints_visible(viewer)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if overdue:
        qs = qs.filter(overdue_q(now or timezone.now()))
    if status:
        qs = qs.filter(status=status)
    return qs


def complaint_steps(complaint: Complaint) -> list:
    return list(complaint.steps.select_related("by").order_by("at", "id"))


def complaint_escalations(complaint: Complaint) -> list[Alarm]:
    return list(
        complaint.alarms.filter(raised_at__isnull=False).select_related("to").order_by("raised_at", "id")
    )


def complaint_calendar_note(complaint: Complaint) -> str:
    """Says when a deadline falls in a year whose holidays the calendar does not know."""
    start = timezone.localtime(complaint.received_at).date()
    years = unknown_years(start, timezone.localtime(complaint.resolve_due_at).date())
    if not years:
        return ""
    return _("%(years)s 年的节假日安排尚未公布，时限暂按周末推算。") % {
        "years": "、".join(str(y) for y in years)
    }


def complaint_client_notice(complaint: Complaint) -> str:
    """What the agent tells the client (明确反馈时限): when they will hear back and by when it is resolved."""
    return _(
        "%(name)s您好，您%(received)s反映的问题我们已受理，将于%(ack)s前与您联系，并于%(resolve)s前给出处理结果。"
    ) % {
        "name": complaint.client.name,
        "received": format_datetime(complaint.received_at),
        "ack": format_datetime(complaint.acknowledge_due_at),
        "resolve": format_datetime(complaint.resolve_due_at),
    }


# --- the workbench ------------------------------------------------------------------------------


def complaints_for_workbench(agent: Agent, *, limit: int) -> list[Complaint]:
    """The open complaints the agent handles or that were escalated to them (a deadline still unmet),
    each annotated with ``escalated`` and ``alerted``: one query whatever their number."""
    unmet = Q(deadline=Deadline.RESOLVE) | Q(complaint__acknowledged_at__isnull=True)
    raised = Alarm.objects.filter(complaint=OuterRef("pk"), raised_at__isnull=False).filter(unmet)
    escalated = raised.filter(to_id=agent.pk, level__in=(Level.MANAGER, Level.ADMIN))
    alerted = raised.filter(level=Level.ALERT)
    return list(
        in_company(Complaint.objects.select_related("client", "category"), agent)
        .filter(status__in=OPEN_STATUSES)
        .annotate(escalated=Exists(escalated), alerted=Exists(alerted))
        .filter(Q(handler_id=agent.pk) | Q(escalated=True))
        .order_by("-escalated", "resolve_due_at", "id")[:limit]
    )


# --- the monthly review ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    key: int | None
    label: str
    total: int
    acknowledged_in_time: int
    resolved_in_time: int
    in_time: int

    @property
    def compliance(self) -> int | None:
        """Per cent of the complaints that met both deadlines (None when there are none)."""
        if not self.total:
            return None
        return round(100 * self.in_time / self.total)


@dataclass(frozen=True)
class MonthlyReview:
    month: dt.date
    total: int
    by_category: list[ReviewRow]
    by_cause: list[ReviewRow]
    by_store: list[ReviewRow]
    by_agent: list[ReviewRow]
    complaints: list[Complaint]


def _in_time(now: dt.datetime) -> dict:
    acknowledged = Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("acknowledge_due_at")) | Q(
        acknowledged_at__isnull=True, status__in=OPEN_STATUSES, acknowledge_due_at__gte=now
    )
    # In time: met by the deadline; one still open counts against only once its deadline has passed.
    resolved = Q(resolved_at__isnull=False, resolved_at__lte=F("resolve_due_at")) | Q(
        resolved_at__isnull=True, status__in=OPEN_STATUSES, resolve_due_at__gte=now
    )
    return {
        "total": Count("id"),
        "acknowledged_in_time": Count("id", filter=acknowledged),
        "resolved_in_time": Count("id", filter=resolved),
        "in_time": Count("id", filter=acknowledged & resolved),
    }


def complaints_of_month(viewer: Agent, month: dt.date) -> QuerySet[Complaint]:
    zone = timezone.get_current_timezone()
    start = dt.datetime(month.year, month.month, 1, tzinfo=zone)
    end = dt.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=zone)
    return complaints_visible(viewer).filter(received_at__gte=start, received_at__lt=end)


def monthly_review(viewer: Agent, month: dt.date, *, now: dt.datetime | None = None) -> MonthlyReview:
    """The month's complaints (by receipt) by category, root cause, store and agent concerned, with
    how many met their deadlines. Five queries whatever the number of complaints."""
    now = now or timezone.now()
    qs = complaints_of_month(viewer, month)
    counts = _in_time(now)

    def rows(key: str, label: str, empty: str) -> list[ReviewRow]:
        grouped = qs.order_by().values(key, label).annotate(**counts).order_by("-total", label)
        return [
            ReviewRow(
                r[key],
                r[label] or empty,
                r["total"],
                r["acknowledged_in_time"],
                r["resolved_in_time"],
                r["in_time"],
            )
            for r in grouped
        ]

    complaints = list(qs.order_by("-received_at", "-id"))
    return MonthlyReview(
        month=month,
        total=len(complaints),
        by_category=rows("category_id", "category__name", _("未分类")),
        by_cause=rows("root_cause_id", "root_cause__name", _("未复盘")),
        by_store=rows("store_id", "store__name", _("未指定门店")),
        by_agent=rows("about_agent_id", "about_agent__name", _("未涉及具体员工")),
        complaints=complaints,
    )


def status_label(status: str) -> str:
    return str(Status(status).label)


def client_for_complaint(viewer: Agent, client_id: int) -> Client:
    """Anyone in the company records a complaint from any of its clients (a colleague's private
    client complains to whoever answers the phone); another company's client is 404."""
    client = in_company(Client.objects.all(), viewer).filter(pk=client_id, merged_into__isnull=True).first()
    if client is None:
        raise Http404(_("没有找到该客户。"))
    return client


def client_by_mobile(viewer: Agent, mobile: str) -> Client | None:
    """The company's client with this mobile (who is calling), for recording their complaint."""
    return (
        in_company(Client.objects.all(), viewer)
        .filter(mobile=mobile.strip(), merged_into__isnull=True)
        .order_by("id")
        .first()
    )


def staff_for_complaints(viewer: Agent) -> QuerySet[Agent]:
    """The company's active staff: who a complaint may be about, who handles it, who owns an action."""
    return in_company(Agent.objects.all(), viewer).filter(is_active=True).order_by("store_id", "name", "id")


def satisfied_closures(
    company_id: int, *, since: dt.datetime, at_least: int | Combinable = 4
) -> QuerySet[Complaint]:
    """Complaints closed since ``since`` whose client rated the resolution ``at_least`` (1–5, or an
    expression reading the company's threshold in the same query): the clients worth asking for a
    referral (鼓励分享), for the apps above to read."""
    return Complaint.objects.filter(
        company_id=company_id, status=Status.CLOSED, closed_at__gte=since, satisfaction__gte=at_least
    ).select_related("client", "handler")
