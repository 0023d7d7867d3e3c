"""The deal's money pages under 办理: the buyer's loan (贷款: terms, the bank's papers, 面签, approval,
disbursement) and the taxes kept with the deal (税费: the kept calculation, a recompute shown before
it is kept, payments with receipts). Parse → access → service → render (decision 0013)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.core.formats import WAN
from anju.deals.models import Deal, Payment
from anju.deals.selectors import access_deal
from anju.finance.costs import PAYER_LABELS
from anju.org.models import Agent
from anju.processing.money import (
    loan_paper_received,
    loan_set,
    tax_facts,
    tax_payment_record,
    taxes_compute,
    taxes_recompute,
)
from anju.processing.selectors import access_loan_paper, deal_loan, deal_tax_payments, deal_tax_record
from anju.web.forms.processing_money import LoanForm, TaxesForm, TaxPaymentForm
from anju.web.views.base import HtmxRequest, agent_required

# --- loan ---------------------------------------------------------------------------------------


def _loan_page(
    request: HtmxRequest, deal: Deal, *, form: LoanForm | None = None, status: int = 200
) -> HttpResponse:
    loan = deal_loan(deal)
    if form is None:
        initial: dict[str, Any] = {"years": 30}
        if loan is not None:
            initial = {
                "bank": loan.bank,
                "kind": loan.kind,
                "amount_wan": (loan.amount / WAN).normalize(),
                "rate_percent": (loan.rate * 100).normalize(),
                "years": loan.years,
                "interview_at": timezone.localtime(loan.interview_at) if loan.interview_at else None,
                "approved_on": loan.approved_on,
                "disbursed_on": loan.disbursed_on,
            }
        form = LoanForm(initial=initial)
    papers = list(loan.papers.all()) if loan is not None else []
    context = {
        "deal": deal,
        "loan": loan,
        "papers": papers,
        "papers_received": sum(1 for p in papers if p.received_on),
        "kind_label": Payment(loan.kind).label if loan is not None else "",
        "rate_percent": (loan.rate * 100).normalize() if loan is not None else None,
        "form": form,
    }
    return render(request, "web/processing/loan.html", context, status=status)


@agent_required
def loan_page(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    if request.method != "POST":
        return _loan_page(request, deal)
    form = LoanForm(request.POST)
    if form.is_valid():
        try:
            loan_set(deal=deal, by=agent, **form.for_service())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存贷款。"))
            return redirect("web:deal_loan", deal_id=deal.pk)
    return _loan_page(request, deal, form=form, status=400)


@require_POST
@agent_required
def loan_paper_view(request: HtmxRequest, agent: Agent, deal_id: int, paper_id: int) -> HttpResponse:
    paper = access_loan_paper(agent, deal_id, paper_id)
    received = request.POST.get("received") == "1"
    loan_paper_received(paper=paper, received_on=timezone.localdate() if received else None, by=agent)
    return redirect("web:deal_loan", deal_id=deal_id)


# --- taxes --------------------------------------------------------------------------------------


def _taxes_page(
    request: HtmxRequest,
    deal: Deal,
    *,
    status: int = 200,
    preview: bool = False,
    taxes_form: forms.Form | None = None,
    payment_form: forms.Form | None = None,
) -> HttpResponse:
    record = deal_tax_record(deal)
    items = [
        {
            **item,
            "payer_label": PAYER_LABELS.get(item["payer"], item["payer"]),
            "rule_from": dt.date.fromisoformat(item["rule_from"]),
        }
        for item in (record.items if record else [])
    ]
    context = {
        "deal": deal,
        "record": record,
        "items": items,
        "preview": preview and record is not None,
        "changes": taxes_recompute(record) if preview and record is not None else [],
        "payments": deal_tax_payments(deal),
        "taxes_form": taxes_form or TaxesForm(),
        "payment_form": payment_form or TaxPaymentForm(),
    }
    return render(request, "web/processing/taxes.html", context, status=status)


@agent_required
def taxes_page(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    return _taxes_page(request, access_deal(agent, deal_id))


@agent_required
def taxes_recompute_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    """What today's rules would change in the kept calculation, and why; nothing is kept here."""
    deal = access_deal(agent, deal_id)
    try:
        return _taxes_page(request, deal, preview=True)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("web:deal_taxes", deal_id=deal.pk)


def _taxes_post(
    request: HtmxRequest,
    deal: Deal,
    form: forms.Form,
    key: str,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Hand a valid form to the service and go back to the taxes page; else the page again, with the
    form saying why (nothing kept)."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect("web:deal_taxes", deal_id=deal.pk)
    bound = {key: form}
    return _taxes_page(
        request,
        deal,
        status=400,
        taxes_form=bound.get("taxes_form"),
        payment_form=bound.get("payment_form"),
    )


@require_POST
@agent_required
def taxes_compute_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    """Calculate the costs with the facts typed and keep them."""
    deal = access_deal(agent, deal_id)
    form = TaxesForm(request.POST)
    return _taxes_post(
        request,
        deal,
        form,
        "taxes_form",
        lambda _data: taxes_compute(deal=deal, as_of=form.transfer_date(), facts=form.facts(), by=agent),
        _("已核算并保存税费。"),
    )


@require_POST
@agent_required
def taxes_recompute_confirm(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    """Keep what the recompute showed: the kept facts and date, priced by today's rules."""
    deal = access_deal(agent, deal_id)
    record = deal_tax_record(deal)
    if record is None:
        messages.error(request, _("还没有核算税费。"))
        return redirect("web:deal_taxes", deal_id=deal.pk)
    try:
        taxes_compute(deal=deal, as_of=record.as_of, facts=tax_facts(record), by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已按现行规则重新核算并保存。"))
    return redirect("web:deal_taxes", deal_id=deal.pk)


@require_POST
@agent_required
def tax_payment_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    return _taxes_post(
        request,
        deal,
        TaxPaymentForm(request.POST),
        "payment_form",
        lambda data: tax_payment_record(deal=deal, by=agent, **data),
        _("已登记缴纳。"),
    )


urlpatterns = [
    path("deals/<int:deal_id>/processing/loan/", loan_page, name="deal_loan"),
    path("deals/<int:deal_id>/processing/loan/papers/<int:paper_id>/", loan_paper_view, name="loan_paper"),
    path("deals/<int:deal_id>/processing/taxes/", taxes_page, name="deal_taxes"),
    path("deals/<int:deal_id>/processing/taxes/compute/", taxes_compute_view, name="taxes_compute"),
    path("deals/<int:deal_id>/processing/taxes/recompute/", taxes_recompute_view, name="taxes_recompute"),
    path(
        "deals/<int:deal_id>/processing/taxes/recompute/confirm/",
        taxes_recompute_confirm,
        name="taxes_recompute_confirm",
    ),
    path("deals/<int:deal_id>/processing/taxes/payments/", tax_payment_view, name="tax_payment"),
]
