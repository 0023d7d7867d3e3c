"""Writes for contracts: templates, generating, the title re-check, signing, amendments."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from decimal import Decimal
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError, ConflictError
from anju.core.formats import join_list
from anju.core.text import clean_text
from anju.deals.contracts.documents import TemplateUnreadable, render, unknown_placeholders
from anju.deals.contracts.models import Amendment, Contract, ContractPolicy, ContractTemplate, TitleCheck
from anju.deals.contracts.selectors import (
    contract_context,
    contract_terms_proposed,
    default_template_kind,
    template_in_use,
    title_state,
)
from anju.deals.contracts.terms import AMENDABLE, CORE_TERMS, clean_term, missing_terms
from anju.deals.contracts.variables import TemplateKind
from anju.deals.models import Deal, DealKind, DealStage
from anju.deals.services import deal_move
from anju.org.models import Agent, Company

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_SCAN_BYTES = 20 * 1024 * 1024
# A signed scan is a PDF or a photo; the stored name's extension comes from the real format.
SCAN_FORMATS = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
BEFORE_CONTRACT = (DealStage.NEGOTIATING, DealStage.INTENT)


def _read(file: IO[bytes], most: int, what: str) -> bytes:
    data = file.read(most + 1)
    if len(data) > most:
        raise ApplicationError(
            _("%(what)s不能超过 %(mb)s MB。") % {"what": what, "mb": most // (1024 * 1024)},
            code="file_too_big",
        )
    if not data:
        raise ApplicationError(_("%(what)s是空文件。") % {"what": what}, code="file_empty")
    return data


# --- settings and templates -------------------------------------------------------------------


@transaction.atomic
def contract_policy_set(*, company: Company, title_recheck_days: int, by: Agent) -> ContractPolicy:
    if not 1 <= int(title_recheck_days) <= 30:
        raise ApplicationError(_("产权复核有效天数须在 1 到 30 天之间。"), code="days_out_of_range")
    policy, _created = ContractPolicy.objects.update_or_create(
        company=company, defaults={"title_recheck_days": int(title_recheck_days)}
    )
    return policy


@transaction.atomic
def contract_template_upload(
    *, company: Company, kind: str, file: IO[bytes], name: str = "", note: str = "", by: Agent
) -> ContractTemplate:
    """A new version of the company's template of a kind, current from now on.

    Refused, naming them, if it has placeholders no deal can fill: a contract generated from it
    would carry blanks where terms should be.
    """
    if kind not in TemplateKind.values:
        raise ApplicationError(_("请选择合同类型。"), code="template_kind_unknown")
    note = clean_text(note, label=_("版本说明"), most=200)
    data = _read(file, MAX_TEMPLATE_BYTES, _("合同模板"))
    try:
        unknown = unknown_placeholders(data)
    except TemplateUnreadable:
        raise ApplicationError(
            _("无法读取该模板：请上传 Word 2007 及以上格式（.docx）的文件，并检查 {{ }} 占位符是否完整。"),
            code="template_unreadable",
        ) from None
    if unknown:
        raise ApplicationError(
            _("模板中有交易无法填写的占位符：%(names)s。请改用模板说明中列出的占位符。")
            % {"names": join_list(unknown)},
            code="template_placeholder_unknown",
            extra={"placeholders": unknown},
        )
    last = ContractTemplate.objects.filter(company=company, kind=kind).aggregate(last=Max("version"))["last"]
    ContractTemplate.objects.filter(company=company, kind=kind, is_current=True).update(is_current=False)
    template = ContractTemplate(
        company=company,
        kind=kind,
        version=(last or 0) + 1,
        original_name=clean_text(name, label=_("文件名"), most=120),
        sha256=hashlib.sha256(data).hexdigest(),
        note=note,
        is_current=True,
        uploaded_by=by,
    )
    template.file.save("template.docx", ContentFile(data), save=False)
    stored = str(template.file.name)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        template.file.storage.delete(stored)
        raise ConflictError(_("同时有人上传了该类合同模板，请刷新后重试。")) from None
    return template


@transaction.atomic
def contract_template_make_current(*, template: ContractTemplate, by: Agent) -> ContractTemplate:
    """Back to an earlier version (or forward again): exactly one version of a kind is current."""
    ContractTemplate.objects.filter(
        company_id=template.company_id, kind=template.kind, is_current=True
    ).exclude(pk=template.pk).update(is_current=False)
    template.is_current = True
    template.save(update_fields=["is_current", "updated_at"])
    return template


@transaction.atomic
def contract_template_use_default(*, company: Company, kind: str, by: Agent) -> None:
    """No uploaded version is current: contracts of this kind use Anju's default again."""
    ContractTemplate.objects.filter(company=company, kind=kind, is_current=True).update(is_current=False)


# --- generating -------------------------------------------------------------------------------


def _locked_deal(deal: Deal) -> Deal:
    return (
        Deal.objects.select_for_update()
        .select_related("listing__property__community__district__city")
        .get(pk=deal.pk)
    )


@transaction.atomic
def contract_generate(
    *, deal: Deal, by: Agent, terms: Mapping[str, Any] | None = None, kind: str | None = None
) -> Contract:
    """The contract generated from the company's current template, once every core term is known.

    ``terms`` complete or correct what the deal already knows (``contract_terms_proposed``). Until
    it is signed a contract can be generated again; every generation replaces the document.
    """
    locked = _locked_deal(deal)
    contract = Contract.objects.select_for_update().filter(deal=locked).first()
    if contract is not None and contract.is_signed:
        raise _signed_error()
    if locked.stage not in BEFORE_CONTRACT:
        raise ApplicationError(
            _("交易当前阶段为“%(stage)s”，不能生成合同。") % {"stage": DealStage(locked.stage).label},
            code="deal_stage_wrong",
        )
    lease = locked.kind == DealKind.LEASE
    values = contract_terms_proposed(locked)
    for name, value in (terms or {}).items():
        values[name] = clean_term(name, value, lease=lease)
    missing = missing_terms(values)
    if missing:
        raise ApplicationError(
            _("合同核心条款不全，还缺：%(missing)s。") % {"missing": join_list(missing)},
            code="contract_terms_missing",
            extra={"missing": missing},
        )
    kind = kind or (contract.kind if contract else default_template_kind(locked))
    allowed = [TemplateKind.LEASE] if lease else [TemplateKind.RESALE, TemplateKind.NEW_HOME]
    if kind not in allowed:
        raise ApplicationError(_("该交易不能使用这类合同模板。"), code="template_kind_unknown")
    template, template_data = template_in_use(locked.company, kind)
    if contract is None:
        contract = Contract(deal=locked, number=f"HT-{locked.number or locked.pk}")
    contract.kind, contract.template = kind, template
    for name in CORE_TERMS:
        setattr(contract, name, values[name])
    contract.generated_at, contract.generated_by = timezone.now(), by
    document = render(template_data, contract_context(locked, contract))
    old_document = str(contract.document.name) if contract.document else ""
    contract.document.save("contract.docx", ContentFile(document), save=False)
    contract.document_sha256 = hashlib.sha256(document).hexdigest()
    contract._history_user = by.user  # type: ignore[attr-defined]
    storage = contract.document.storage
    try:
        contract.save()
    except Exception:
        storage.delete(str(contract.document.name))
        raise
    if old_document:
        # The earlier draft goes only once the new one is committed.
        transaction.on_commit(lambda: storage.delete(old_document))
    return contract


# --- the title re-check -----------------------------------------------------------------------


@transaction.atomic
def title_check_record(
    *,
    deal: Deal,
    by: Agent,
    certificate_number: str,
    area: Any,
    mortgaged: bool,
    seized: bool,
    note: str = "",
    at: dt.datetime | None = None,
) -> TitleCheck:
    """A named person re-confirmed the title: 抵押 and 查封 as found, and the certificate's data."""
    number = clean_text(certificate_number, label=_("不动产权证号"), most=60)
    if not number:
        raise ApplicationError(_("请填写复核的不动产权证号。"), code="certificate_number_required")
    checked_area = clean_term("area", area)
    if not isinstance(checked_area, Decimal):
        raise ApplicationError(_("请填写复核的建筑面积。"), code="area_required")
    return TitleCheck.objects.create(
        deal=deal,
        certificate_number=number,
        area=checked_area,
        mortgaged=bool(mortgaged),
        seized=bool(seized),
        note=clean_text(note, label=_("备注"), most=200),
        by=by,
        at=at or timezone.now(),
    )


# --- signing ----------------------------------------------------------------------------------


def _signed_error() -> ApplicationError:
    return ApplicationError(_("合同已签署，不能再修改；如需变更，请录入补充协议。"), code="contract_signed")


@transaction.atomic
def contract_sign(*, deal: Deal, by: Agent, scan: IO[bytes]) -> Contract:
    """The signed scan is kept with its SHA-256, who signed and when, and the deal is 已签合同.

    Refused unless the title was re-checked by a named person within the company's days, with
    the same certificate data as the contract and no 查封.
    """
    locked = _locked_deal(deal)
    contract = Contract.objects.select_for_update().filter(deal=locked).first()
    if contract is None or not contract.document:
        raise ApplicationError(_("请先生成合同，再上传签字扫描件。"), code="contract_missing")
    if contract.is_signed:
        raise _signed_error()
    state = title_state(locked, contract)
    if state.to_recheck:
        raise ApplicationError(
            _("签约前须在 %(days)s 天内由专人复核产权，请复核：%(what)s。")
            % {"days": state.days, "what": join_list(state.to_recheck)},
            code="title_recheck_required",
            extra={"recheck": state.to_recheck},
        )
    if state.problems:
        raise ApplicationError(
            _("产权复核未通过：%(problems)s。") % {"problems": join_list(state.problems)},
            code="title_recheck_failed",
            extra={"problems": state.problems},
        )
    data = _read(scan, MAX_SCAN_BYTES, _("签字扫描件"))
    extension = next((ext for magic, ext in SCAN_FORMATS.items() if data.startswith(magic)), None)
    if extension is None:
        raise ApplicationError(_("签字扫描件须为 PDF、JPEG 或 PNG 文件。"), code="scan_format_unknown")
    contract.signed_scan.save(f"signed.{extension}", ContentFile(data), save=False)
    stored = str(contract.signed_scan.name)
    storage = contract.signed_scan.storage
    contract.signed_scan_sha256 = hashlib.sha256(data).hexdigest()
    contract.signed_at, contract.signed_by = timezone.now(), by
    contract._history_user = by.user  # type: ignore[attr-defined]
    try:
        contract.save()
        deal_move(deal=locked, to=DealStage.CONTRACT, by=by)
    except Exception:
        storage.delete(stored)
        raise
    deal.stage = locked.stage
    return contract


# --- amendments -------------------------------------------------------------------------------


@transaction.atomic
def amendment_record(
    *, contract: Contract, by: Agent, changes: Mapping[str, Any], text: str = "", signed_on: dt.date
) -> Amendment:
    """补充协议: new values for some of a signed contract's terms, and what else was agreed."""
    locked = Contract.objects.select_for_update().select_related("deal").get(pk=contract.pk)
    if not locked.is_signed:
        raise ApplicationError(_("合同尚未签署：签署前请直接修改条款并重新生成。"), code="contract_unsigned")
    not_amendable = [str(CORE_TERMS.get(name, name)) for name in changes if name not in AMENDABLE]
    if not_amendable:
        raise ApplicationError(
            _("补充协议不能变更：%(terms)s。") % {"terms": join_list(not_amendable)},
            code="term_not_amendable",
            extra={"terms": not_amendable},
        )
    lease = locked.deal.kind == DealKind.LEASE
    stored: dict[str, str] = {}
    for name, value in changes.items():
        cleaned = clean_term(name, value, lease=lease)
        if cleaned in (None, ""):
            raise ApplicationError(
                _("补充协议中的“%(term)s”不能为空。") % {"term": CORE_TERMS[name]}, code="term_empty"
            )
        stored[name] = cleaned.isoformat() if isinstance(cleaned, dt.date) else str(cleaned)
    text = clean_text(text, label=_("补充约定"), multiline=True, most=4000)
    if not stored and not text:
        raise ApplicationError(_("请填写补充协议变更的条款或补充约定。"), code="amendment_empty")
    last = Amendment.objects.filter(contract=locked).aggregate(last=Max("sequence"))["last"]
    amendment = Amendment(
        contract=locked, sequence=(last or 0) + 1, changes=stored, text=text, signed_on=signed_on, by=by
    )
    amendment._history_user = by.user  # type: ignore[attr-defined]
    amendment.save()
    return amendment
