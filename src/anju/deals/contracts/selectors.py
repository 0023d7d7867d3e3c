"""Reads for contracts: the template in use, the terms proposed and in force, the title re-check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.formats import amount_in_capitals, format_area, format_date, format_money
from anju.deals.contracts.build_templates import default_path
from anju.deals.contracts.models import (
    DEFAULT_TITLE_RECHECK_DAYS,
    Amendment,
    Contract,
    ContractPolicy,
    ContractTemplate,
    TitleCheck,
)
from anju.deals.contracts.terms import AMENDABLE, CORE_TERMS
from anju.deals.contracts.variables import TemplateKind
from anju.deals.models import Deal, DealKind, IntentAgreement, Payment
from anju.org.models import Agent, Company, Role


def title_recheck_days(company: Company) -> int:
    policy = ContractPolicy.objects.filter(company=company).first()
    return policy.title_recheck_days if policy else DEFAULT_TITLE_RECHECK_DAYS


# --- templates --------------------------------------------------------------------------------


def contract_templates(company: Company) -> QuerySet[ContractTemplate]:
    """Every uploaded version, newest first within each kind."""
    return (
        ContractTemplate.objects.filter(company=company)
        .select_related("uploaded_by")
        .order_by("kind", "-version")
    )


def access_contract_template(viewer: Agent, template_id: int) -> ContractTemplate:
    template = ContractTemplate.objects.filter(company_id=viewer.company_id, pk=template_id).first()
    if template is None:
        raise Http404(_("没有找到该合同模板。"))
    return template


def template_in_use(company: Company, kind: str) -> tuple[ContractTemplate | None, bytes]:
    """The company's current version of a kind, or Anju's default when it has uploaded none."""
    current = ContractTemplate.objects.filter(company=company, kind=kind, is_current=True).first()
    if current is None:
        return None, default_path(kind).read_bytes()
    with current.file.open("rb") as file:
        return current, file.read()


def default_template_kind(deal: Deal) -> str:
    return TemplateKind.LEASE if deal.kind == DealKind.LEASE else TemplateKind.RESALE


# --- terms ------------------------------------------------------------------------------------


def deal_contract(deal: Deal) -> Contract | None:
    return Contract.objects.filter(deal=deal).select_related("generated_by", "signed_by", "template").first()


def latest_title_check(deal: Deal) -> TitleCheck | None:
    return TitleCheck.objects.filter(deal=deal).select_related("by").first()


def deal_title_checks(deal: Deal, *, most: int = 5) -> list[TitleCheck]:
    """The latest re-checks, newest first: who confirmed what, when."""
    return list(TitleCheck.objects.filter(deal=deal).select_related("by")[:most])


def contract_terms_proposed(deal: Deal) -> dict[str, object]:
    """The terms a new contract starts from: the draft's if there is one, else what the deal knows
    (the flat, the accepted offer, the latest title re-check)."""
    contract = deal_contract(deal)
    if contract is not None:
        return {name: getattr(contract, name) for name in CORE_TERMS}
    flat = deal.listing.property
    offer = deal.accepted_offer
    check = latest_title_check(deal)
    lease = deal.kind == DealKind.LEASE
    payment = offer.payment if offer and offer.payment else ""
    if lease and not payment and deal.deposit_months and deal.pay_months:
        payment = _("押%(deposit)s付%(pay)s") % {"deposit": deal.deposit_months, "pay": deal.pay_months}
    return {
        "address": f"{flat.community.district.city}{flat.community.district} {flat}",
        "certificate_number": check.certificate_number if check else "",
        "area": flat.area,
        "price": deal.price,
        "payment_method": payment,
        "payment_schedule": "",
        "handover_on": offer.handover_on if offer else None,
        "breach_liability": "",
    }


def contract_amendments(contract: Contract) -> QuerySet[Amendment]:
    return Amendment.objects.filter(contract=contract).select_related("by")


def contract_terms_in_force(contract: Contract) -> dict[str, object]:
    """The signed terms overlaid by every amendment in order: what the parties are bound by now."""
    terms: dict[str, object] = {name: getattr(contract, name) for name in CORE_TERMS}
    for amendment in contract_amendments(contract):
        for name, value in amendment.changes.items():
            if name in AMENDABLE:
                terms[name] = value
    return terms


def payment_label(value: str) -> str:
    return str(Payment(value).label) if value in Payment.values else value


def contract_context(deal: Deal, contract: Contract, *, today: dt.date | None = None) -> dict[str, str]:
    """Every placeholder of ``variables.CONTRACT_VARIABLES``, as the document shows it."""
    check = latest_title_check(deal)
    flat = deal.listing.property
    mortgaged = check.mortgaged if check else flat.mortgaged
    seized = check.seized if check else flat.seized
    intent = IntentAgreement.objects.filter(deal=deal).first()
    none = _("无")
    return {
        "contract_number": contract.number,
        "deal_number": str(deal),
        "agency_name": deal.company.name,
        "agent_name": deal.agent.name,
        "seller_name": deal.seller.name if deal.seller else "",
        "buyer_name": deal.buyer.name,
        "address": contract.address,
        "certificate_number": contract.certificate_number,
        "area": format_area(contract.area),
        "mortgage_status": _("有抵押，须在过户前解除") if mortgaged else _("无抵押"),
        "seizure_status": _("被查封") if seized else _("无查封"),
        "price": format_money(contract.price),
        "price_in_capitals": amount_in_capitals(contract.price) if contract.price else "",
        "payment_method": payment_label(contract.payment_method),
        "payment_schedule": contract.payment_schedule,
        "earnest": format_money(intent.amount) if intent else none,
        "earnest_in_capitals": amount_in_capitals(intent.amount) if intent else none,
        "handover_date": format_date(contract.handover_on),
        "breach_liability": contract.breach_liability,
        "lease_months": str(deal.term_months or ""),
        "deposit_months": str(deal.deposit_months or ""),
        "pay_months": str(deal.pay_months or ""),
        "generated_date": format_date(today or timezone.localdate()),
    }


# --- the title re-check -----------------------------------------------------------------------


@dataclass(frozen=True)
class TitleState:
    """Whether the title may be signed on now, and if not, what to re-check (in Chinese)."""

    check: TitleCheck | None
    days: int
    to_recheck: list[str]
    problems: list[str]

    @property
    def ready(self) -> bool:
        return not self.to_recheck and not self.problems


def title_state(deal: Deal, contract: Contract | None, *, now: dt.datetime | None = None) -> TitleState:
    days = title_recheck_days(deal.company)
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    check = latest_title_check(deal)
    if check is None or check.at < cutoff:
        everything = [_("抵押状态"), _("查封状态"), _("不动产权证号及面积")]
        return TitleState(check=check, days=days, to_recheck=everything, problems=[])
    problems = []
    if check.seized:
        problems.append(_("房屋被查封，解封前不能签约"))
    if (
        contract is not None
        and contract.certificate_number
        and check.certificate_number != contract.certificate_number
    ):
        problems.append(
            _("复核的不动产权证号（%(checked)s）与合同（%(contract)s）不一致")
            % {"checked": check.certificate_number, "contract": contract.certificate_number}
        )
    if contract is not None and contract.area is not None and check.area != contract.area:
        problems.append(
            _("复核的面积（%(checked)s）与合同（%(contract)s）不一致")
            % {"checked": format_area(check.area), "contract": format_area(contract.area)}
        )
    return TitleState(check=check, days=days, to_recheck=[], problems=problems)


def may_manage_templates(viewer: Agent) -> bool:
    """Store managers and administrators keep the company's templates and contract settings."""
    return viewer.role in (Role.MANAGER, Role.ADMIN)


def templates_by_kind(company: Company) -> list[tuple[str, str, list[ContractTemplate], bool]]:
    """Each kind with its label, its uploaded versions newest first, and whether Anju's default is
    the one in use (no version is current)."""
    versions = list(contract_templates(company))
    rows = []
    for kind in TemplateKind:
        own = [t for t in versions if t.kind == kind]
        rows.append((kind.value, str(kind.label), own, not any(t.is_current for t in own)))
    return rows
