"""Reads for the archive: a deal's documents, who may download which, the download log, and the
search of the archive by client, property or deal number.

Seeing a document goes with seeing its deal (``deals.selectors``). ID copies (身份证复印件) are
narrower: only the deal's own agents (its agent and the agents in its split) and managers
(店长 who see the deal, administrators) may download them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anju.archive.models import Document, DocumentKind, Download
from anju.clients.models import Client
from anju.deals.models import Deal
from anju.deals.selectors import deals_of_client, deals_visible
from anju.org.models import Agent, Role

SEARCHERS = (Role.MANAGER, Role.SPECIALIST, Role.ADMIN)
DOCUMENT_RELATED = ("deal", "uploaded_by")


def deal_documents(deal: Deal) -> QuerySet[Document]:
    return (
        Document.objects.filter(deal=deal).select_related(*DOCUMENT_RELATED).order_by("-uploaded_at", "-id")
    )


def find_document(viewer: Agent, deal_id: int, document_id: int) -> Document:
    """The document of that deal in the viewer's company, or 404. Whether the viewer may have it
    is ``download_refusal``'s question, asked by the service that logs the answer."""
    document = (
        Document.objects.filter(company_id=viewer.company_id, deal_id=deal_id, pk=document_id)
        .select_related(*DOCUMENT_RELATED)
        .first()
    )
    if document is None:
        raise Http404(_("没有找到该资料。"))
    return document


def is_deal_person(viewer: Agent, deal: Deal) -> bool:
    """The deal's own agents: its agent and everyone in its commission split."""
    return deal.agent_id == viewer.pk or deal.splits.filter(agent_id=viewer.pk).exists()


def download_refusal(viewer: Agent, document: Document) -> str | None:
    """Why the viewer may not download the document, or None when they may."""
    deal = document.deal
    if not deals_visible(viewer).filter(pk=deal.pk).exists():
        return _("您不是这笔交易的经纪人，也不是其门店的店长，无权下载其资料。")
    if not document.file:  # a kept document disposed of after its retention period (decision 0024)
        return _("该资料已过法定保存期，文件已按期销毁。")
    if document.restricted:
        # A manager here already sees the deal: it is their store's, or their agents share in it.
        manager = viewer.role in (Role.MANAGER, Role.ADMIN)
        if not (manager or is_deal_person(viewer, deal)):
            return _("身份证复印件仅限本交易的经纪人和店长下载。")
    return None


def deal_documents_for(viewer: Agent, deal: Deal) -> list[tuple[Document, bool]]:
    """The deal's documents (newest first), each with whether the viewer may download it. The
    viewer already sees the deal (``access_deal``); only the restricted kinds ask more, once."""
    documents = list(deal_documents(deal))
    restricted_ok = viewer.role in (Role.MANAGER, Role.ADMIN) or (
        any(d.restricted for d in documents) and is_deal_person(viewer, deal)
    )
    return [(d, restricted_ok or not d.restricted) for d in documents]


def document_downloads(document: Document) -> QuerySet[Download]:
    return document.downloads.select_related("by").order_by("-at", "-id")


def access_archive_client(viewer: Agent, client_id: int) -> Client:
    """The client whose archive the viewer asks for: 404 outside the company, 403 unless the viewer
    sees one of the client's deals. A deal's agent may be building the archive of a buyer brought
    by a colleague (客源推荐) whose client record they do not own; the deal is what gives access."""
    client = Client.objects.filter(company_id=viewer.company_id, pk=client_id).first()
    if client is None:
        raise Http404(_("没有找到该客户。"))
    if not deals_of_client(viewer, client.pk).exists():
        raise PermissionDenied(_("您没有参与这位客户的任何交易，不能导出其资料。"))
    return client


def client_documents(viewer: Agent, client: Client) -> QuerySet[Document]:
    """The documents of every deal the viewer sees in which the client buys or sells, oldest first."""
    deals = deals_of_client(viewer, client.pk).values("pk")
    return (
        Document.objects.filter(deal_id__in=deals)
        .select_related(*DOCUMENT_RELATED)
        .order_by("deal__created_at", "deal_id", "uploaded_at", "id")
    )


def may_search_archive(viewer: Agent) -> bool:
    return viewer.role in SEARCHERS


def archive_search(viewer: Agent, query: str, *, kind: str = "") -> QuerySet[Document]:
    """Documents of the deals the viewer sees whose deal number, client (buyer or seller) or
    property (community, building, room) matches ``query``; newest first."""
    if not may_search_archive(viewer):
        raise PermissionDenied(_("只有店长、交易专员和管理员可以检索资料档案。"))
    documents = Document.objects.filter(deal_id__in=deals_visible(viewer).values("pk"))
    if kind in DocumentKind.values:
        documents = documents.filter(kind=kind)
    for word in query.split():
        documents = documents.filter(
            Q(deal__number__icontains=word)
            | Q(deal__buyer__name__icontains=word)
            | Q(deal__seller__name__icontains=word)
            | Q(deal__listing__property__community__name__icontains=word)
            | Q(deal__listing__property__building__icontains=word)
            | Q(deal__listing__property__room_number__icontains=word)
        )
    return documents.select_related(
        "deal__buyer", "deal__seller", "deal__listing__property__community", "uploaded_by"
    ).order_by("-uploaded_at", "-id")
