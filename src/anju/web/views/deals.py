"""Deal pages (交易): the list, opening a deal from a listing or a client, the deal's page (its story
newest first, the offer thread with the gap, accept, the intent agreement, receipts, cancel), the
split editor and the expected commission by month. Parse → access → service → render (decision 0013).

Fairness rule: the deal page shows prices and the gap between the sides, never the commission; the
commission is on the split editor, where it is about who gets what, not about the price.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.clients.selectors import access_client
from anju.core.errors import ApplicationError
from anju.deals import stages
from anju.deals.models import Deal, DealKind, DealStage, SplitRole
from anju.deals.selectors import (
    access_deal,
    access_offer,
    buyer_choices,
    company_agents,
    company_shares,
    deal_commission,
    deal_latest_offer,
    deal_receipts,
    deal_splits,
    deal_story,
    deals_by_stage,
    deals_list,
    expected_commission,
    offer_thread,
    split_agent,
)
from anju.deals.services import (
    deal_cancel,
    deal_create,
    deal_set_splits,
    intent_record,
    offer_accept,
    offer_make,
    receipt_add,
    role_shares_set,
)
from anju.listings.selectors import access_listing
from anju.org.models import Agent, Role
from anju.web.forms.deals import CancelForm, DealStartForm, IntentForm, OfferForm, ReceiptForm, split_lines
from anju.web.views.base import HtmxRequest, agent_required

STAGE_TABS = (
    DealStage.NEGOTIATING,
    DealStage.INTENT,
    DealStage.CONTRACT,
    DealStage.PROCESSING,
    DealStage.CLOSED,
    DealStage.CANCELLED,
)


@agent_required
def deal_list(request: HtmxRequest, agent: Agent) -> HttpResponse:
    stage = request.GET.get("stage", "")
    if stage not in DealStage.values:
        stage = ""
    counts = deals_by_stage(agent)
    tabs = [(s.value, s.label, counts.get(s, 0)) for s in STAGE_TABS]
    return render(
        request,
        "web/deals/list.html",
        {
            "deals": deals_list(agent, stage=stage),
            "stage": stage,
            "tabs": tabs,
            "total": sum(counts.values()),
            "may_see_forecast": _may_see_forecast(agent),
            "nav_section": "deals",
        },
    )


@agent_required
def deal_create_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """From a listing (?listing=ID: choose the buyer) or from a client (?client=ID: type the listing)."""
    listing = _optional(request, "listing", lambda pk: access_listing(agent, pk))
    client = _optional(request, "client", lambda pk: access_client(agent, pk))
    if listing is None and client is None:
        raise Http404(_("请从房源或客户页面开始交易。"))
    form = DealStartForm(request.POST or None, buyers=buyer_choices(agent) if listing is not None else None)
    if request.method == "POST" and form.is_valid():
        try:
            chosen_listing = listing or access_listing(agent, form.cleaned_data["listing"])
            buyer = client or access_client(agent, form.cleaned_data["buyer"])
            deal = deal_create(listing=chosen_listing, buyer=buyer, by=agent)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        except Http404:
            form.add_error("listing", _("没有找到该房源。"))
        else:
            messages.success(request, _("已开始交易 %(number)s。") % {"number": deal.number})
            return redirect("web:deal_detail", deal_id=deal.pk)
    return render(
        request,
        "web/deals/new.html",
        {"form": form, "listing": listing, "client": client, "nav_section": "deals"},
    )


def _optional(request: HtmxRequest, name: str, find: Any) -> Any:
    raw = request.GET.get(name, "")
    return find(int(raw)) if raw.isdigit() and int(raw) > 0 else None


def _deal_context(agent: Agent, deal: Deal, **given: Any) -> dict[str, Any]:
    thread = offer_thread(deal)
    latest = deal_latest_offer(deal)
    negotiating = deal.stage == DealStage.NEGOTIATING
    return {
        "deal": deal,
        "story": deal_story(deal),
        "thread": list(reversed(thread)),
        "gap": thread[-1].gap if thread else None,
        "latest": latest,
        "may_offer": negotiating and deal.accepted_offer_id is None,
        "may_accept": negotiating and deal.accepted_offer_id is None and latest is not None,
        "may_record_intent": negotiating and deal.accepted_offer_id is not None,
        "intent": getattr(deal, "intent", None),
        "receipts": list(deal_receipts(deal)),
        "may_cancel": deal.stage in stages.OPEN,
        "progress": [(s, s.label, _passed(deal, s)) for s in stages.ORDER],
        "offer_form": given.get("offer_form")
        or OfferForm(kind=deal.kind, initial={"side": _next_side(latest)}),
        "intent_form": given.get("intent_form")
        or IntentForm(
            initial={
                "signed_on": timezone.localdate(),
                "sign_by": timezone.localdate() + dt.timedelta(days=7),
            }
        ),
        "receipt_form": given.get("receipt_form") or ReceiptForm(initial={"on": timezone.localdate()}),
        "cancel_form": given.get("cancel_form") or CancelForm(),
        "is_sale": deal.kind == DealKind.SALE,
        "nav_section": "deals",
    }


def _next_side(latest: Any) -> str:
    if latest is None:
        return "buyer"
    return "seller" if latest.side == "buyer" else "buyer"


def _passed(deal: Deal, stage: DealStage) -> bool:
    if deal.stage == DealStage.CANCELLED:
        return False
    return stages.ORDER.index(stage) <= stages.ORDER.index(DealStage(deal.stage))


@agent_required
def deal_detail(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    return render(request, "web/deals/detail.html", _deal_context(agent, deal))


def _act(
    request: HtmxRequest,
    agent: Agent,
    deal: Deal,
    form: forms.Form,
    slot: str,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Validate ``form``, hand it to the service ``act``; back to the deal on success, else the page
    again with the form (in ``slot``) showing the refusal."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect("web:deal_detail", deal_id=deal.pk)
    return render(request, "web/deals/detail.html", _deal_context(agent, deal, **{slot: form}), status=400)


@require_POST
@agent_required
def deal_offer(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    form = OfferForm(request.POST, kind=deal.kind)

    def act(_data: dict[str, Any]) -> object:
        return offer_make(deal=deal, terms=form.terms_for_service(), by=agent)

    return _act(request, agent, deal, form, "offer_form", act, _("已记录报价。"))


@require_POST
@agent_required
def deal_accept(request: HtmxRequest, agent: Agent, deal_id: int, offer_id: int) -> HttpResponse:
    offer = access_offer(agent, deal_id, offer_id)
    try:
        offer_accept(offer=offer, by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已接受报价，房源已预定。"))
    return redirect("web:deal_detail", deal_id=deal_id)


@require_POST
@agent_required
def deal_intent(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    form = IntentForm(request.POST)

    def act(_data: dict[str, Any]) -> object:
        return intent_record(deal=deal, terms=form.terms_for_service(), by=agent)

    return _act(request, agent, deal, form, "intent_form", act, _("已登记意向协议，交易进入已签意向。"))


@require_POST
@agent_required
def deal_receipt(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)

    def act(data: dict[str, Any]) -> object:
        return receipt_add(deal=deal, by=agent, **data)

    return _act(request, agent, deal, ReceiptForm(request.POST), "receipt_form", act, _("已登记收据。"))


@require_POST
@agent_required
def deal_cancel_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)

    def act(data: dict[str, Any]) -> object:
        return deal_cancel(deal=deal, reason=data["reason"], by=agent)

    return _act(request, agent, deal, CancelForm(request.POST), "cancel_form", act, _("交易已取消。"))


@agent_required
def deal_splits_page(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    """The split editor: one row per agent and role, percents that must add up to 100."""
    deal = access_deal(agent, deal_id)
    error = ""
    rows: list[tuple[str, str, str]] = []
    if request.method == "POST":
        rows = split_lines(request.POST)
        try:
            lines = []
            for agent_id, role, percent in rows:
                if not agent_id.isdigit():
                    raise ApplicationError(_("每一行都要选择经纪人。"))
                lines.append((split_agent(agent, int(agent_id)), role, percent))
            deal_set_splits(deal=deal, splits=lines, by=agent)
        except ApplicationError as exc:
            error = exc.message
        except Http404:
            error = _("没有找到该员工。")
        else:
            messages.success(request, _("分佣已保存。"))
            return redirect("web:deal_splits", deal_id=deal.pk)
    splits = deal_splits(deal)
    commission = deal_commission(deal, splits=splits)
    amounts = {(p.share.agent_id, p.share.role): p.amount for p in commission.parts}
    if not rows:
        rows = [(str(s.agent_id), s.role, f"{s.percent:.2f}") for s in splits]
    return render(
        request,
        "web/deals/splits.html",
        {
            "deal": deal,
            "rows": [*rows, ("", "", ""), ("", "", "")],
            "splits": [(s, amounts.get((s.agent_id, s.role))) for s in splits],
            "commission": commission,
            "agents": list(company_agents(agent)),
            "roles": SplitRole.choices,
            "error": error,
            "nav_section": "deals",
        },
        status=400 if error else 200,
    )


def _may_see_forecast(agent: Agent) -> bool:
    return agent.role in (Role.MANAGER, Role.ADMIN)


@agent_required
def commission_forecast(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """Each agent's expected commission by month (店长、管理员)."""
    if not _may_see_forecast(agent):
        raise PermissionDenied(_("只有店长和管理员可以查看预计佣金。"))
    months, rows = expected_commission(agent)
    return render(
        request,
        "web/deals/commission.html",
        {"months": months, "rows": rows, "nav_section": "deals"},
    )


def _percent_text(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


@agent_required
def role_shares_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """The company's default share per role (公司设置, administrators): a new deal's split."""
    if agent.role != Role.ADMIN:
        raise PermissionDenied(_("只有管理员可以修改公司设置。"))
    shares = company_shares(agent.company_id)
    error = ""
    if request.method == "POST":
        typed = {role: request.POST.get(role, "").strip() or "0" for role in SplitRole.values}
        try:
            role_shares_set(company_id=agent.company_id, shares=typed, by=agent)
        except ApplicationError as exc:
            error = exc.message
            shares = typed  # type: ignore[assignment]
        else:
            messages.success(request, _("默认分佣比例已保存。"))
            return redirect("web:role_shares")
    rows = [(value, label, _percent_text(shares.get(value, ""))) for value, label in SplitRole.choices]
    return render(
        request,
        "web/deals/role_shares.html",
        {"rows": rows, "error": error, "nav_section": "settings"},
        status=400 if error else 200,
    )


urlpatterns = [
    path("deals/", deal_list, name="deals"),
    path("deals/new/", deal_create_page, name="deal_create"),
    path("deals/commission/", commission_forecast, name="deal_commission"),
    path("deals/<int:deal_id>/", deal_detail, name="deal_detail"),
    path("deals/<int:deal_id>/offers/", deal_offer, name="deal_offer"),
    path("deals/<int:deal_id>/offers/<int:offer_id>/accept/", deal_accept, name="deal_accept"),
    path("deals/<int:deal_id>/intent/", deal_intent, name="deal_intent"),
    path("deals/<int:deal_id>/receipts/", deal_receipt, name="deal_receipt"),
    path("deals/<int:deal_id>/cancel/", deal_cancel_view, name="deal_cancel"),
    path("deals/<int:deal_id>/splits/", deal_splits_page, name="deal_splits"),
    path("settings/split-shares/", role_shares_page, name="role_shares"),
]
