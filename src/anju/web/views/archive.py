"""Archive pages (资料归档): a deal's documents (upload with kind, list with SHA-256, download), a
document's download log, the client's archive as a .zip, and the archive search for managers.
Parse → access → service → render (decision 0013). Files are never served statically: every
download goes through ``document_download``, which checks access and logs who."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from anju.archive.models import Via
from anju.archive.responses import attachment, document_attachment
from anju.archive.selectors import (
    access_archive_client,
    archive_search,
    deal_documents_for,
    document_downloads,
    find_document,
    may_search_archive,
)
from anju.archive.services import client_archive_build, document_open, document_upload
from anju.core.errors import ApplicationError
from anju.deals.models import Deal
from anju.deals.selectors import access_deal
from anju.org.models import Agent
from anju.web.forms.archive import ArchiveSearchForm, DocumentForm
from anju.web.views.base import HtmxRequest, agent_required

SEARCH_LIMIT = 100


def _documents_page(request: HtmxRequest, agent: Agent, deal: Deal, form: DocumentForm, status: int = 200):
    context = {
        "deal": deal,
        "form": form,
        "rows": deal_documents_for(agent, deal),
        "may_search": may_search_archive(agent),
        "nav_section": "deals",
    }
    template = "web/archive/documents.html#documents" if request.htmx else "web/archive/documents.html"
    return render(request, template, context, status=status)


@agent_required
def deal_documents_page(request: HtmxRequest, agent: Agent, deal_id: int) -> HttpResponse:
    """GET: the deal's documents (the deal page loads it into its 资料 section); POST: an upload."""
    deal = access_deal(agent, deal_id)
    if request.method != "POST":
        return _documents_page(request, agent, deal, DocumentForm())
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document = document_upload(
                deal=deal, by=agent, file=upload, name=upload.name or "", kind=form.cleaned_data["kind"]
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(
                request,
                _("已上传 %(name)s（%(kind)s）。")
                % {"name": document.original_name, "kind": document.get_kind_display()},
            )
            return redirect(reverse("web:deal_detail", args=[deal.pk]) + "#archive")
    return _documents_page(request, agent, deal, form, status=400)


@agent_required
def document_download(request: HtmxRequest, agent: Agent, deal_id: int, document_id: int) -> HttpResponse:
    document = find_document(agent, deal_id, document_id)
    return document_attachment(document, document_open(document=document, by=agent, via=Via.PAGE))


@agent_required
def document_log(request: HtmxRequest, agent: Agent, deal_id: int, document_id: int) -> HttpResponse:
    deal = access_deal(agent, deal_id)
    document = find_document(agent, deal_id, document_id)
    return render(
        request,
        "web/archive/log.html",
        {
            "deal": deal,
            "document": document,
            "downloads": list(document_downloads(document)),
            "nav_section": "deals",
        },
    )


@agent_required
def client_archive(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    """The client's documents as a .zip with an index page (客户资料包), built in the request."""
    client = access_archive_client(agent, client_id)
    bundle = client_archive_build(client=client, by=agent)
    return attachment(bundle.file, filename=bundle.filename, content_type="application/zip")


@agent_required
def archive_search_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    if not may_search_archive(agent):
        raise PermissionDenied(_("只有店长、交易专员和管理员可以检索资料档案。"))
    form = ArchiveSearchForm(request.GET or None)
    query, kind = "", ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"].strip(), form.cleaned_data["kind"]
    documents = list(archive_search(agent, query, kind=kind)[: SEARCH_LIMIT + 1])
    return render(
        request,
        "web/archive/search.html",
        {
            "form": form,
            "query": query,
            "documents": documents[:SEARCH_LIMIT],
            "more": len(documents) > SEARCH_LIMIT,
            "nav_section": "deals",
        },
    )


urlpatterns = [
    path("archive/", archive_search_page, name="archive_search"),
    path("deals/<int:deal_id>/documents/", deal_documents_page, name="deal_documents"),
    path("deals/<int:deal_id>/documents/<int:document_id>/", document_download, name="document_download"),
    path("deals/<int:deal_id>/documents/<int:document_id>/log/", document_log, name="document_log"),
    path("clients/<int:client_id>/archive.zip", client_archive, name="client_archive"),
]
