"""Processing pages (办理): a deal's milestones, problems, money held, handover and keys, closing
and visits on one phone-first page; the transaction specialist's board; the client's progress page
opened by a signed link. Parse → access → service → render (decision 0013)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.deals.escrow import escrow_record, ledger_balances
from anju.deals.models import Deal, Holder
from anju.deals.selectors import access_deal, deal_ledger_entries
from anju.org.models import Agent, Role
from anju.processing.selectors import (
    access_handover_item,
    access_milestone,
    access_problem,
    access_visit,
    board_milestones,
    deal_handover,
    deal_plan,
    deal_visits,
    handover_items,
    plan_calendar_note,
    plan_milestones,
    progress_by_token,
    progress_token,
)
from anju.processing.services import (
    deal_close,
    handover_item_done,
    handover_item_waive,
    handover_keys,
    milestone_done,
    open_items,
    problem_raise,
    problem_solve,
    visit_record,
)
from anju.web.forms.processing import (
    EscrowForm,
    HandoverItemForm,
    KeysForm,
    ProblemForm,
    SolveForm,
    VisitForm,
    WaiveForm,
)
from anju.web.views.base import HtmxRequest, agent_required


def _context(agent: Agent, deal: Deal) -> dict[str, Any]:
    plan = deal_plan(deal)
    handover = deal_handover(deal)
    balances = ledger_balances(deal)
    return {
        "deal": deal,
        "plan": plan,
        "milestones": plan_milestones(plan),
        "calendar_note": plan_calendar_note(plan),
        "today": timezone.localdate(),
        "balances": [(Holder(holder).label, amount) for holder, amount in balances.items()],
        "entries": list(deal_ledger_entries(deal)[:50]),
        "handover": handover,
        "items": handover_items(deal),
        "visits": deal_visits(deal),
        "open": open_items(deal) if deal.stage in ("contract", "processing") else [],
        "may_waive": agent.role in (Role.MANAGER, Role.ADMIN),
        "progress_url": reverse("web:deal_progress", args=[progress_token(deal)]) if plan else "",
        "escrow_form": EscrowForm(),
        "problem_form": ProblemForm(),
        "keys_form": KeysForm(
            initial={
                "keys_count": handover.keys_count if handover else 0,
                "key_kinds": handover.key_kinds if handover else "",
                "buyer_confirmed": bool(handover and handover.buyer_confirmed),
                "seller_confirmed": bool(handover and handover.seller_confirmed),
            }
        ),
        "visit_form": VisitForm(),
    }


@agent_required
def processing_page(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    return render(request, "web/processing/deal.html", _context(agent, deal))


def _do(
    request: HttpRequest,
    deal_id: int,
    form: forms.Form | None,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Hand the form's values to the service; back to the processing page with what happened."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("web:deal_processing", deal_id=deal_id)
    try:
        act(form.cleaned_data if form is not None else {})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("web:deal_processing", deal_id=deal_id)


@require_POST
@agent_required
def milestone_done_view(request: HtmxRequest, agent: Agent, deal_id: int, milestone_id: int) -> HttpResponse:
    milestone = access_milestone(agent, deal_id, milestone_id)
    return _do(
        request, deal_id, None, lambda _d: milestone_done(milestone=milestone, by=agent), _("节点已完成。")
    )


@require_POST
@agent_required
def problem_raise_view(request: HtmxRequest, agent: Agent, deal_id: int, milestone_id: int) -> HttpResponse:
    milestone = access_milestone(agent, deal_id, milestone_id)

    def act(data: dict[str, Any]) -> object:
        return problem_raise(
            milestone=milestone, text=data["text"], owner=agent, due_on=data["due_on"], by=agent
        )

    return _do(request, deal_id, ProblemForm(request.POST), act, _("已登记问题。"))


@require_POST
@agent_required
def problem_solve_view(
    request: HtmxRequest, agent: Agent, deal_id: int, milestone_id: int, problem_id: int
) -> HttpResponse:
    problem = access_problem(agent, deal_id, milestone_id, problem_id)

    def act(data: dict[str, Any]) -> object:
        return problem_solve(problem=problem, solution=data["solution"], by=agent)

    return _do(request, deal_id, SolveForm(request.POST), act, _("问题已解决。"))


@require_POST
@agent_required
def escrow_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)

    def act(data: dict[str, Any]) -> object:
        return escrow_record(deal=deal, by=agent, **data)

    return _do(request, deal_id, EscrowForm(request.POST), act, _("已登记资金。"))


@require_POST
@agent_required
def handover_item_view(request: HtmxRequest, agent: Agent, deal_id: int, item_id: int) -> HttpResponse:
    item = access_handover_item(agent, deal_id, item_id)

    def act(data: dict[str, Any]) -> object:
        return handover_item_done(item=item, by=agent, **data)

    return _do(request, deal_id, HandoverItemForm(request.POST), act, _("已登记交接项目。"))


@require_POST
@agent_required
def handover_waive_view(request: HtmxRequest, agent: Agent, deal_id: int, item_id: int) -> HttpResponse:
    item = access_handover_item(agent, deal_id, item_id)

    def act(data: dict[str, Any]) -> object:
        return handover_item_waive(item=item, reason=data["reason"], by=agent)

    return _do(request, deal_id, WaiveForm(request.POST), act, _("已免除交接项目。"))


@require_POST
@agent_required
def handover_keys_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)

    def act(data: dict[str, Any]) -> object:
        return handover_keys(deal=deal, by=agent, **data)

    return _do(request, deal_id, KeysForm(request.POST), act, _("已保存钥匙交接。"))


@require_POST
@agent_required
def close_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    return _do(request, deal_id, None, lambda _d: deal_close(deal=deal, by=agent), _("交易已结案。"))


@require_POST
@agent_required
def visit_view(request: HtmxRequest, agent: Agent, deal_id: int, visit_id: int) -> HttpResponse:
    visit = access_visit(agent, deal_id, visit_id)

    def act(data: dict[str, Any]) -> object:
        return visit_record(visit=visit, by=agent, **data)

    return _do(request, deal_id, VisitForm(request.POST), act, _("已记录回访。"))


@agent_required
def processing_board(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """The specialist's daily screen: open milestones due today and this week, by deal."""
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    groups: dict[int, dict[str, Any]] = {}
    for m in board_milestones(agent, until=week_end):
        group = groups.setdefault(m.plan.deal_id, {"deal": m.plan.deal, "milestones": []})
        group["milestones"].append(m)
    return render(
        request,
        "web/processing/board.html",
        {"groups": list(groups.values()), "today": today, "week_end": week_end},
    )


def deal_progress(request: HttpRequest, token: str) -> HttpResponse:
    """The client's progress page (no login): milestones and dates of their deal only, printable."""
    progress = progress_by_token(token)
    return render(
        request, "web/processing/progress.html", {"progress": progress, "today": timezone.localdate()}
    )


urlpatterns = [
    path("deals/board/", processing_board, name="processing_board"),
    path("deals/<int:deal_id>/processing/", processing_page, name="deal_processing"),
    path("deals/<int:deal_id>/processing/close/", close_view, name="deal_close"),
    path("deals/<int:deal_id>/processing/escrow/", escrow_view, name="deal_escrow"),
    path("deals/<int:deal_id>/processing/keys/", handover_keys_view, name="deal_handover_keys"),
    path(
        "deals/<int:deal_id>/processing/milestones/<int:milestone_id>/done/",
        milestone_done_view,
        name="milestone_done",
    ),
    path(
        "deals/<int:deal_id>/processing/milestones/<int:milestone_id>/problems/",
        problem_raise_view,
        name="problem_raise",
    ),
    path(
        "deals/<int:deal_id>/processing/milestones/<int:milestone_id>/problems/<int:problem_id>/solve/",
        problem_solve_view,
        name="problem_solve",
    ),
    path("deals/<int:deal_id>/processing/handover/<int:item_id>/", handover_item_view, name="handover_item"),
    path(
        "deals/<int:deal_id>/processing/handover/<int:item_id>/waive/",
        handover_waive_view,
        name="handover_waive",
    ),
    path("deals/<int:deal_id>/processing/visits/<int:visit_id>/", visit_view, name="visit_record"),
    path("progress/<str:token>/", deal_progress, name="deal_progress"),
]
