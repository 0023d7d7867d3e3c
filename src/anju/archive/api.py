"""/api/v1/deals/{id}/documents — the deal's archive (资料归档): upload (checked by content and
size), list, download (every download and every refusal logged), and a document's download log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from anju.archive.content import TYPES
from anju.archive.models import Document, Via
from anju.archive.responses import document_attachment
from anju.archive.schemas import DocumentOut, DownloadOut
from anju.archive.selectors import deal_documents, document_downloads, find_document
from anju.archive.services import document_open, document_upload
from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.deals.selectors import access_deal
from anju.org.scoping import agent_of

router = Router(tags=["资料归档"])


def document_out(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "deal_id": document.deal_id,
        "kind": document.kind,
        "kind_label": document.get_kind_display(),
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_by_id": document.uploaded_by_id,
        "uploaded_by": document.uploaded_by.name,
        "uploaded_at": document.uploaded_at,
        "restricted": document.restricted,
    }


class Page(Schema):
    cursor: str | None = None
    limit: int = 50


@router.post(
    "/{deal_id}/documents",
    response={201: DocumentOut, **ERRORS},
    summary="上传交易资料（PDF、JPEG、PNG、WebP、Word、Excel；按内容识别格式，默认不超过 20 MB）",
)
def upload_document(
    request: HttpRequest, deal_id: int, file: File[UploadedFile], kind: Form[str]
) -> Status[dict]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    document = document_upload(deal=deal, by=viewer, file=file, name=file.name or "", kind=kind)
    return Status(201, document_out(document))


@router.get(
    "/{deal_id}/documents",
    response={200: CursorPage[DocumentOut], **ERRORS},
    summary="交易资料列表（最新在前）",
)
def list_documents(request: HttpRequest, deal_id: int, page: Query[Page]) -> dict:
    deal = access_deal(agent_of(request.user), deal_id)
    rows, next_cursor = keyset_page(
        deal_documents(deal), order=["-uploaded_at", "-id"], cursor=page.cursor, limit=page.limit
    )
    return {"items": [document_out(d) for d in rows], "next_cursor": next_cursor}


@router.get(
    "/{deal_id}/documents/{doc_id}",
    response={200: None, **ERRORS},
    summary="下载交易资料（记录下载人；身份证复印件仅限本交易经纪人和店长）",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件本身（附件），格式为上传时按内容识别的格式",
                "content": {
                    t.content_type: {"schema": {"type": "string", "format": "binary"}} for t in TYPES
                },
            }
        }
    },
)
def download_document(request: HttpRequest, deal_id: int, doc_id: int) -> HttpResponse:
    viewer = agent_of(request.user)
    document = find_document(viewer, deal_id, doc_id)
    return document_attachment(document, document_open(document=document, by=viewer, via=Via.API))


@router.get(
    "/{deal_id}/documents/{doc_id}/downloads",
    response={200: list[DownloadOut], **ERRORS},
    summary="资料的下载记录（含被拒绝的下载）",
)
def list_downloads(request: HttpRequest, deal_id: int, doc_id: int) -> list[dict]:
    viewer = agent_of(request.user)
    access_deal(viewer, deal_id)
    document = find_document(viewer, deal_id, doc_id)
    return [
        {
            "by_id": d.by_id,
            "by": d.by.name,
            "at": d.at,
            "via": d.via,
            "allowed": d.allowed,
            "reason": d.reason,
        }
        for d in document_downloads(document)
    ]
