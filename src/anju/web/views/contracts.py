"""Contract pages (合同): the deal's contract (the core terms and what is missing, generate, download,
the title re-check, the signed scan, amendments) and the managers' template page (upload, versions,
which is current, the re-check days). Parse → access → service → render (decision 0013).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.core.formats import amount_in_capitals, format_area, format_date, format_money
from anju.deals.contracts.build_templates import default_path
from anju.deals.contracts.selectors import (
    access_contract_template,
    contract_amendments,
    contract_terms_in_force,
    contract_terms_proposed,
    deal_contract,
    deal_title_checks,
    may_manage_templates,
    payment_label,
    templates_by_kind,
    title_recheck_days,
    title_state,
)
from anju.deals.contracts.services import (
    amendment_record,
    contract_generate,
    contract_policy_set,
    contract_sign,
    contract_template_make_current,
    contract_template_upload,
    contract_template_use_default,
    title_check_record,
)
from anju.deals.contracts.terms import CORE_TERMS, missing_terms
from anju.deals.contracts.variables import CONTRACT_VARIABLES, TemplateKind
from anju.deals.models import Deal, DealKind, DealStage
from anju.deals.selectors import access_deal
from anju.org.models import Agent
from anju.web.forms.contracts import (
    AmendmentForm,
    ContractPolicyForm,
    ContractTermsForm,
    SignForm,
    TemplateUploadForm,
    TitleCheckForm,
)
from anju.web.views.base import HtmxRequest, agent_required

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCAN_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _contract_context(agent: Agent, deal: Deal, **forms: Any) -> dict[str, Any]:
    contract = deal_contract(deal)
    proposed = contract_terms_proposed(deal)
    lease = deal.kind == DealKind.LEASE
    state = title_state(deal, contract)
    signed = contract is not None and contract.is_signed
    terms_initial = {**proposed, "kind": contract.kind if contract else ("lease" if lease else "resale")}
    check = state.check
    in_force = contract_terms_in_force(contract) if signed and contract else None
    return {
        "deal": deal,
        "contract": contract,
        "signed": signed,
        "may_generate": not signed and deal.stage in (DealStage.NEGOTIATING, DealStage.INTENT),
        "missing": missing_terms(proposed) if not signed else [],
        "terms_form": forms.get("terms_form") or ContractTermsForm(initial=terms_initial, lease=lease),
        "title": state,
        "title_checks": deal_title_checks(deal, most=5),
        "check_form": forms.get("check_form")
        or TitleCheckForm(
            initial={
                "certificate_number": (contract.certificate_number if contract else "")
                or (check.certificate_number if check else ""),
                "area": contract.area if contract and contract.area else deal.listing.property.area,
                "mortgaged": deal.listing.property.mortgaged,
                "seized": deal.listing.property.seized,
            }
        ),
        "sign_form": forms.get("sign_form") or SignForm(),
        "amendments": list(contract_amendments(contract)) if contract else [],
        "amendment_form": forms.get("amendment_form")
        or AmendmentForm(initial={"signed_on": timezone.localdate()}),
        "in_force": _shown_terms(in_force) if in_force else [],
        "generated_terms": _shown_terms({n: getattr(contract, n) for n in CORE_TERMS}) if contract else [],
        "is_sale": not lease,
        "nav_section": "deals",
    }


def _shown_terms(terms: dict[str, object]) -> list[tuple[str, str]]:
    """Each core term as the contract reads it (amendments keep their values as text)."""
    shown = []
    for name, label in CORE_TERMS.items():
        value = terms[name]
        if name == "price" and value:
            text = f"{format_money(str(value))}（{amount_in_capitals(str(value))}）"
        elif name == "area" and value:
            text = format_area(str(value))
        elif name == "handover_on" and value:
            text = format_date(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)))
        elif name == "payment_method":
            text = payment_label(str(value or ""))
        else:
            text = str(value or "—")
        shown.append((str(label), text))
    return shown


def _page(request: HtmxRequest, agent: Agent, deal: Deal, *, status: int = 200, **forms: Any) -> HttpResponse:
    return render(request, "web/deals/contract.html", _contract_context(agent, deal, **forms), status=status)


@agent_required
def contract_page(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    return _page(request, agent, access_deal(agent, deal_id))


@require_POST
@agent_required
def contract_generate_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    form = ContractTermsForm(request.POST, lease=deal.kind == DealKind.LEASE)
    if form.is_valid():
        try:
            contract_generate(deal=deal, by=agent, terms=form.terms(), kind=form.cleaned_data["kind"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("合同已生成，可下载打印。"))
            return redirect("web:deal_contract", deal_id=deal.pk)
    return _page(request, agent, deal, status=400, terms_form=form)


@agent_required
def contract_download(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    contract = deal_contract(access_deal(agent, deal_id))
    if contract is None or not contract.document:
        raise Http404(_("这笔交易还没有生成合同。"))
    with contract.document.open("rb") as file:
        return _download(file.read(), DOCX_TYPE, f"{contract.number}.docx")


@agent_required
def contract_scan_download(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    contract = deal_contract(access_deal(agent, deal_id))
    if contract is None or not contract.signed_scan:
        raise Http404(_("合同还没有上传签字扫描件。"))
    extension = str(contract.signed_scan.name).rsplit(".", 1)[-1]
    with contract.signed_scan.open("rb") as file:
        return _download(
            file.read(),
            SCAN_TYPES.get(extension, "application/octet-stream"),
            f"{contract.number}.{extension}",
        )


@require_POST
@agent_required
def title_check_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    form = TitleCheckForm(request.POST)
    if form.is_valid():
        try:
            title_check_record(deal=deal, by=agent, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已记录产权复核。"))
            return redirect("web:deal_contract", deal_id=deal.pk)
    return _page(request, agent, deal, status=400, check_form=form)


@require_POST
@agent_required
def contract_sign_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    form = SignForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            contract_sign(deal=deal, by=agent, scan=form.cleaned_data["scan"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("合同已签署，交易转为已签合同。"))
            return redirect("web:deal_contract", deal_id=deal.pk)
    return _page(request, agent, deal, status=400, sign_form=form)


@require_POST
@agent_required
def amendment_view(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    contract = deal_contract(deal)
    if contract is None:
        raise Http404(_("这笔交易还没有生成合同。"))
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            amendment_record(
                contract=contract,
                by=agent,
                changes=form.changes(),
                text=form.cleaned_data["text"],
                signed_on=form.cleaned_data["signed_on"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已录入补充协议。"))
            return redirect("web:deal_contract", deal_id=deal.pk)
    return _page(request, agent, deal, status=400, amendment_form=form)


# --- the company's templates ------------------------------------------------------------------


def _manager(agent: Agent) -> Agent:
    if not may_manage_templates(agent):
        raise PermissionDenied(_("只有店长和管理员可以管理合同模板。"))
    return agent


def _templates_page(request: HtmxRequest, agent: Agent, *, status: int = 200, **forms: Any) -> HttpResponse:
    return render(
        request,
        "web/deals/contract_templates.html",
        {
            "kinds": templates_by_kind(agent.company),
            "upload_form": forms.get("upload_form") or TemplateUploadForm(),
            "policy_form": forms.get("policy_form")
            or ContractPolicyForm(initial={"title_recheck_days": title_recheck_days(agent.company)}),
            "variables": [(name, str(label)) for name, label in CONTRACT_VARIABLES.items()],
            "nav_section": "deals",
        },
        status=status,
    )


@agent_required
def templates_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    return _templates_page(request, _manager(agent))


@require_POST
@agent_required
def template_upload_view(request: HtmxRequest, agent: Agent) -> HttpResponse:
    _manager(agent)
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            template = contract_template_upload(
                company=agent.company,
                kind=form.cleaned_data["kind"],
                file=upload,
                name=upload.name,
                note=form.cleaned_data["note"],
                by=agent,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已上传 %(template)s，并设为当前版本。") % {"template": template})
            return redirect("web:contract_templates")
    return _templates_page(request, agent, status=400, upload_form=form)


@require_POST
@agent_required
def template_make_current_view(request: HtmxRequest, agent: Agent, template_id: int) -> HttpResponse:
    template = access_contract_template(_manager(agent), template_id)
    contract_template_make_current(template=template, by=agent)
    messages.success(request, _("已将 %(template)s 设为当前版本。") % {"template": template})
    return redirect("web:contract_templates")


@require_POST
@agent_required
def template_use_default_view(request: HtmxRequest, agent: Agent, kind: str) -> HttpResponse:
    if kind not in TemplateKind.values:
        raise Http404(_("没有这类合同。"))
    contract_template_use_default(company=_manager(agent).company, kind=kind, by=agent)
    messages.success(request, _("%(kind)s已改回使用安居默认模板。") % {"kind": TemplateKind(kind).label})
    return redirect("web:contract_templates")


@agent_required
def template_download(request: HtmxRequest, agent: Agent, template_id: int) -> HttpResponse:
    template = access_contract_template(agent, template_id)
    with template.file.open("rb") as file:
        return _download(file.read(), DOCX_TYPE, f"{template.get_kind_display()}-v{template.version}.docx")


@agent_required
def template_default_download(request: HtmxRequest, agent: Agent, kind: str) -> HttpResponse:
    if kind not in TemplateKind.values:
        raise Http404(_("没有这类合同。"))
    return _download(
        default_path(kind).read_bytes(), DOCX_TYPE, f"{TemplateKind(kind).label}-{_('默认')}.docx"
    )


@require_POST
@agent_required
def contract_policy_view(request: HtmxRequest, agent: Agent) -> HttpResponse:
    _manager(agent)
    form = ContractPolicyForm(request.POST)
    if form.is_valid():
        try:
            contract_policy_set(
                company=agent.company, title_recheck_days=form.cleaned_data["title_recheck_days"], by=agent
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存合同设置。"))
            return redirect("web:contract_templates")
    return _templates_page(request, agent, status=400, policy_form=form)


urlpatterns = [
    path("deals/contract-templates/", templates_page, name="contract_templates"),
    path("deals/contract-templates/upload/", template_upload_view, name="contract_template_upload"),
    path("deals/contract-templates/settings/", contract_policy_view, name="contract_policy"),
    path(
        "deals/contract-templates/<int:template_id>/current/",
        template_make_current_view,
        name="contract_template_current",
    ),
    path(
        "deals/contract-templates/<int:template_id>.docx",
        template_download,
        name="contract_template_download",
    ),
    path(
        "deals/contract-templates/default/<str:kind>.docx",
        template_default_download,
        name="contract_template_default",
    ),
    path(
        "deals/contract-templates/default/<str:kind>/use/",
        template_use_default_view,
        name="contract_template_use_default",
    ),
    path("deals/<int:deal_id>/contract/", contract_page, name="deal_contract"),
    path("deals/<int:deal_id>/contract/generate/", contract_generate_view, name="deal_contract_generate"),
    path("deals/<int:deal_id>/contract.docx", contract_download, name="deal_contract_download"),
    path("deals/<int:deal_id>/contract/scan/", contract_scan_download, name="deal_contract_scan"),
    path("deals/<int:deal_id>/contract/title-check/", title_check_view, name="deal_title_check"),
    path("deals/<int:deal_id>/contract/sign/", contract_sign_view, name="deal_contract_sign"),
    path("deals/<int:deal_id>/contract/amendments/", amendment_view, name="deal_contract_amend"),
]
