"""/api/v1/deals/{id}/contract — the contract: generate, download, re-check the title, sign, amend.

Mounted on the deals Router (``deals/api.py``), so the paths read as the issue has them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError

from anju.core.formats import amount_in_capitals
from anju.core.schemas import ERRORS
from anju.deals.contracts.models import Contract, TitleCheck
from anju.deals.contracts.schemas import (
    AmendmentIn,
    ContractIn,
    ContractOut,
    TitleCheckIn,
    TitleCheckOut,
)
from anju.deals.contracts.selectors import (
    contract_amendments,
    contract_terms_in_force,
    deal_contract,
    title_state,
)
from anju.deals.contracts.services import (
    amendment_record,
    contract_generate,
    contract_sign,
    title_check_record,
)
from anju.deals.contracts.terms import CORE_TERMS
from anju.deals.models import Deal
from anju.deals.selectors import access_deal
from anju.org.scoping import agent_of

router = Router(tags=["合同"])
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def terms_out(terms: dict[str, object]) -> dict[str, object]:
    price = terms["price"]
    return {
        **{name: terms[name] if terms[name] is not None else None for name in CORE_TERMS},
        "price_in_capitals": amount_in_capitals(str(price)) if price else "",
    }


def check_out(check: TitleCheck) -> dict[str, Any]:
    return {
        **{
            f: getattr(check, f)
            for f in ("id", "certificate_number", "area", "mortgaged", "seized", "note", "at")
        },
        "by": check.by.name,
    }


def contract_out(deal: Deal, contract: Contract) -> dict[str, Any]:
    state = title_state(deal, contract)
    return {
        "id": contract.pk,
        "number": contract.number,
        "kind": contract.kind,
        "kind_label": contract.get_kind_display(),
        "template_version": contract.template.version if contract.template else None,
        "terms": terms_out({name: getattr(contract, name) for name in CORE_TERMS}),
        "terms_in_force": terms_out(contract_terms_in_force(contract)),
        "document_sha256": contract.document_sha256,
        "generated_at": contract.generated_at,
        "generated_by": contract.generated_by.name if contract.generated_by else None,
        "signed": contract.is_signed,
        "signed_at": contract.signed_at,
        "signed_by": contract.signed_by.name if contract.signed_by else None,
        "signed_scan_sha256": contract.signed_scan_sha256,
        "deal_stage": deal.stage,
        "title": {
            "ready": state.ready,
            "days": state.days,
            "recheck": state.to_recheck,
            "problems": state.problems,
            "last_check": check_out(state.check) if state.check else None,
        },
        "amendments": [
            {
                "sequence": a.sequence,
                "changes": a.changes,
                "text": a.text,
                "signed_on": a.signed_on,
                "by": a.by.name,
                "at": a.at,
            }
            for a in contract_amendments(contract)
        ],
    }


def _contract_of(deal: Deal) -> Contract:
    contract = deal_contract(deal)
    if contract is None:
        raise Http404(_("这笔交易还没有生成合同。"))
    return contract


def _terms_body(request: HttpRequest) -> ContractIn:
    """The JSON body, or none at all: a bare POST generates from what the deal already knows."""
    body = request.body if request.content_type == "application/json" else b""
    try:
        return ContractIn.model_validate_json(body or b"{}")
    except PydanticValidationError as error:
        # Reported like any other body (``anju.api``): its path starts "body", then the parameter.
        raise NinjaValidationError(
            [{**e, "loc": ("body", "payload", *e["loc"])} for e in error.errors(include_url=False)]
        ) from None


@router.post(
    "/{deal_id}/contract",
    response={201: ContractOut, **ERRORS},
    summary="生成合同（核心条款不全时 400，details.missing 列出缺少的条款）",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": ContractIn.model_json_schema()}},
        }
    },
)
def generate_contract(request: HttpRequest, deal_id: int) -> Status[dict]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    data = _terms_body(request).model_dump(exclude_unset=True)
    kind = data.pop("kind", None)
    contract = contract_generate(deal=deal, by=viewer, terms=data, kind=kind)
    return Status(201, contract_out(deal, contract))


@router.get(
    "/{deal_id}/contract",
    response={200: ContractOut, **ERRORS},
    summary="合同（条款、签署、产权复核、补充协议）",
)
def get_contract(request: HttpRequest, deal_id: int) -> dict:
    deal = access_deal(agent_of(request.user), deal_id)
    return contract_out(deal, _contract_of(deal))


def _file_response(field: Any, content_type: str, filename: str) -> HttpResponse:
    with field.open("rb") as file:
        response = HttpResponse(file.read(), content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@router.get(
    "/{deal_id}/contract.docx",
    response=ERRORS,
    summary="下载合同（Word）",
    openapi_extra={
        "responses": {
            200: {
                "description": "合同 Word 文件",
                "content": {DOCX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_contract(request: HttpRequest, deal_id: int) -> HttpResponse:
    contract = _contract_of(access_deal(agent_of(request.user), deal_id))
    return _file_response(contract.document, DOCX_TYPE, f"{contract.number}.docx")


@router.get(
    "/{deal_id}/contract/scan",
    response=ERRORS,
    summary="下载签字扫描件",
    openapi_extra={
        "responses": {
            200: {
                "description": "签字扫描件（PDF、JPEG 或 PNG）",
                "content": {"application/octet-stream": {}},
            }
        }
    },
)
def download_scan(request: HttpRequest, deal_id: int) -> HttpResponse:
    contract = _contract_of(access_deal(agent_of(request.user), deal_id))
    if not contract.signed_scan:
        raise Http404(_("合同还没有上传签字扫描件。"))
    name = str(contract.signed_scan.name)
    extension = name.rsplit(".", 1)[-1]
    types = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
    return _file_response(
        contract.signed_scan,
        types.get(extension, "application/octet-stream"),
        f"{contract.number}-签字.{extension}",
    )


@router.post(
    "/{deal_id}/title-checks",
    response={201: TitleCheckOut, **ERRORS},
    summary="产权复核（抵押、查封、产权证信息，签约前须在公司规定天数内复核）",
)
def recheck_title(request: HttpRequest, deal_id: int, payload: TitleCheckIn) -> Status[dict]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    check = title_check_record(deal=deal, by=viewer, **payload.dict())
    return Status(201, check_out(check))


@router.post(
    "/{deal_id}/contract/signed",
    response={200: ContractOut, **ERRORS},
    summary="上传签字扫描件并签约（交易转为已签合同；产权须已复核）",
)
def sign_contract(request: HttpRequest, deal_id: int, scan: File[UploadedFile]) -> dict:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    contract = contract_sign(deal=deal, by=viewer, scan=scan)
    deal.refresh_from_db()
    return contract_out(deal, contract)


@router.post(
    "/{deal_id}/contract/amendments",
    response={201: ContractOut, **ERRORS},
    summary="录入补充协议（变更已签合同的条款）",
)
def amend_contract(request: HttpRequest, deal_id: int, payload: AmendmentIn) -> Status[dict]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    contract = _contract_of(deal)
    amendment_record(
        contract=contract, by=viewer, changes=payload.changes, text=payload.text, signed_on=payload.signed_on
    )
    return Status(201, contract_out(deal, contract))
