"""Complaint pages (投诉处理, in the 客户服务 section): the list (open, overdue, closed), recording
one, a complaint with its deadlines, the text for the client, its steps and escalations, the
status moves and the review; the monthly review by category, cause, store and agent.
Parse → access → service → render (decision 0013)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anju.clients.selectors import access_client
from anju.complaints.models import SLA_FIELDS, Status
from anju.complaints.selectors import (
    access_complaint,
    client_by_mobile,
    complaint_calendar_note,
    complaint_client_notice,
    complaint_escalations,
    complaint_settings,
    complaint_steps,
    complaints_listed,
    monthly_review,
)
from anju.complaints.services import (
    MOVES,
    complaint_lists_ensure,
    complaint_move,
    complaint_record,
    complaint_review,
    complaint_settings_update,
)
from anju.core.errors import ApplicationError
from anju.core.pagination import keyset_page
from anju.org.models import Agent
from anju.web.forms.complaints import ComplaintForm, MoveForm, ReviewForm, SlaForm
from anju.web.views.base import HtmxRequest, agent_required

NAV = {"nav_section": "care"}
TABS = (
    ("open", gettext_lazy("未办结")),
    ("overdue", gettext_lazy("已逾期")),
    ("closed", gettext_lazy("已结案")),
)


@agent_required
def complaint_list(request: HtmxRequest, agent: Agent) -> HttpResponse:
    tab = request.GET.get("tab", "open")
    if tab not in dict(TABS):
        tab = "open"
    now = timezone.now()
    qs = complaints_listed(
        agent,
        overdue=tab == "overdue",
        status=Status.CLOSED if tab == "closed" else "",
        open_only=tab == "open",
        now=now,
    )
    rows, next_cursor = keyset_page(
        qs, order=["-received_at", "-id"], cursor=request.GET.get("cursor"), limit=30
    )
    return render(
        request,
        "web/complaints/list.html",
        {"complaints": rows, "next_cursor": next_cursor, "tab": tab, "tabs": TABS, "now": now, **NAV},
    )


@agent_required
def complaint_create(request: HtmxRequest, agent: Agent) -> HttpResponse:
    complaint_lists_ensure(company=agent.company)
    client_id = request.GET.get("client") or request.POST.get("client")
    client = access_client(agent, int(client_id)) if client_id and client_id.isdigit() else None
    form = ComplaintForm(request.POST or None, agent=agent, with_mobile=client is None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        who = client or client_by_mobile(agent, data["mobile"])
        if who is None:
            form.add_error("mobile", _("没有找到该手机号的客户，请先登记客户。"))
        else:
            try:
                complaint = complaint_record(
                    by=agent,
                    client=who,
                    severity=data["severity"],
                    category=data["category"],
                    text=data["text"],
                    received_at=data["received_at"],
                    channel=data["channel"],
                    about_agent=data["about_agent"],
                    partner=data["partner"],
                    handler=data["handler"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("投诉已登记，请把回复时限告知客户。"))
                return redirect("web:complaint_detail", complaint_id=complaint.pk)
    return render(request, "web/complaints/form.html", {"form": form, "client": client, **NAV})


def _detail_context(agent: Agent, complaint: Any) -> dict[str, Any]:
    moves = MOVES[complaint.status]
    return {
        "complaint": complaint,
        "notice": complaint_client_notice(complaint),
        "calendar_note": complaint_calendar_note(complaint),
        "steps": complaint_steps(complaint),
        "escalations": complaint_escalations(complaint),
        # One form per move, each with its own field ids (their labels must point at their own fields).
        "moves": [(status, Status(status).label, MoveForm(auto_id=f"id_{status}_%s")) for status in moves],
        "review_form": ReviewForm(
            agent=agent,
            initial={
                "root_cause": complaint.root_cause_id,
                "corrective_action": complaint.corrective_action,
                "corrective_owner": complaint.corrective_owner_id,
                "corrective_due_on": complaint.corrective_due_on,
            },
        ),
        "now": timezone.now(),
        **NAV,
    }


@agent_required
def complaint_detail(request: HtmxRequest, agent: Agent, complaint_id: int) -> HttpResponse:
    complaint = access_complaint(agent, complaint_id)
    return render(request, "web/complaints/detail.html", _detail_context(agent, complaint))


def _flash_errors(request: HtmxRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@require_POST
@agent_required
def complaint_move_view(request: HtmxRequest, agent: Agent, complaint_id: int) -> HttpResponse:
    complaint = access_complaint(agent, complaint_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("web:complaint_detail", complaint_id=complaint.pk)
    data = form.cleaned_data
    try:
        moved = complaint_move(
            complaint=complaint,
            to=data["status"],
            by=agent,
            note=data["note"],
            resolution=data["resolution"],
            remedy=data["remedy"],
            satisfaction=data["satisfaction"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("投诉状态已改为“%(status)s”。") % {"status": moved.get_status_display()})
    return redirect("web:complaint_detail", complaint_id=complaint.pk)


@require_POST
@agent_required
def complaint_review_view(request: HtmxRequest, agent: Agent, complaint_id: int) -> HttpResponse:
    complaint = access_complaint(agent, complaint_id)
    form = ReviewForm(request.POST, agent=agent)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("web:complaint_detail", complaint_id=complaint.pk)
    try:
        complaint_review(complaint=complaint, by=agent, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("复盘已保存。"))
    return redirect("web:complaint_detail", complaint_id=complaint.pk)


def _month(value: str | None) -> dt.date:
    today = timezone.localdate()
    if not value:
        return today.replace(day=1)
    try:
        return dt.datetime.strptime(value, "%Y-%m").replace(tzinfo=dt.UTC).date()
    except ValueError as exc:
        raise Http404(_("月份格式应为 2026-11。")) from exc


@agent_required
def complaint_review_month(request: HtmxRequest, agent: Agent) -> HttpResponse:
    month = _month(request.GET.get("month"))
    review = monthly_review(agent, month)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    chart = {
        "category": [[r.label, r.total, r.in_time] for r in review.by_category],
        "cause": [[r.label, r.total, r.in_time] for r in review.by_cause],
    }
    return render(
        request,
        "web/complaints/review.html",
        {
            "review": review,
            "previous": previous,
            "following": following if following <= timezone.localdate() else None,
            "chart": chart,
            "sections": (
                (_("按类别"), review.by_category),
                (_("按根本原因"), review.by_cause),
                (_("按门店"), review.by_store),
                (_("按涉及员工"), review.by_agent),
            ),
            **NAV,
        },
    )


@agent_required
def complaint_sla(request: HtmxRequest, agent: Agent) -> HttpResponse:
    if not agent.is_admin:
        raise PermissionDenied(_("只有管理员可以修改投诉时限。"))
    current = complaint_settings(agent.company)
    form = SlaForm(request.POST or None, initial={name: getattr(current, name) for name in SLA_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            complaint_settings_update(company=agent.company, by=agent, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("投诉时限已保存，之后登记的投诉按新时限计算。"))
            return redirect("web:settings")
    intro = _("按工作时间计算：只计工作日的上下班时间，法定节假日不计，调休上班日计入。")
    return render(
        request,
        "web/company_settings.html",
        {"form": form, "title": _("投诉时限"), "intro": intro, "nav_section": "settings"},
    )


urlpatterns = [
    path("settings/complaints/", complaint_sla, name="complaint_sla"),
    path("care/complaints/", complaint_list, name="complaints"),
    path("care/complaints/new/", complaint_create, name="complaint_create"),
    path("care/complaints/review/", complaint_review_month, name="complaint_review_month"),
    path("care/complaints/<int:complaint_id>/", complaint_detail, name="complaint_detail"),
    path("care/complaints/<int:complaint_id>/status/", complaint_move_view, name="complaint_move"),
    path("care/complaints/<int:complaint_id>/review/", complaint_review_view, name="complaint_review"),
]
