"""The archive's part of a client's personal information (decision 0024): the documents of the
client's deals (listed, not copied into the export; the client's .zip is the archive's own page).
A deal's documents (资料归档) are the records the law makes the agency keep — the contract, the ID
copies, the certificates — so within the retention period each stays, listed as kept. When the
period ends (``KeptRecordsExpired``), or at once for one not kept, it is disposed of: its file
deleted after the commit and its name emptied; the kind, size, date and SHA-256 stay."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.archive.models import Document, Download
from anju.clients.announcements import ClientErased, KeptRecordsExpired
from anju.clients.services import record_kept, retention_ends
from anju.core import personal_data
from anju.core.announcements import listen


def _of(client_ids: Any) -> Q:
    return Q(deal__buyer_id__in=client_ids) | Q(deal__seller_id__in=client_ids)


def documents(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(Document.objects.filter(_of([client.pk])), exclude=("file",))


@listen(ClientErased)
def erase_documents(news: ClientErased) -> None:
    theirs = Document.objects.filter(_of(news.client_ids)).select_related("deal")
    personal_data.scrub_model(Download.objects.filter(document__in=theirs), news.values)
    for document in theirs:
        keep_until = retention_ends(document.uploaded_at)
        deal = document.deal
        party = deal.buyer_id if deal.buyer_id in news.client_ids else deal.seller_id
        if keep_until >= news.on and party is not None:
            record_kept(
                client_id=party,
                obj=document,
                what=_("交易 %(deal)s 的%(kind)s")
                % {"deal": deal.number or deal.pk, "kind": document.get_kind_display()},
                reason=_("附于交易的资料（%(kind)s）须在保存期内保留")
                % {"kind": document.get_kind_display()},
                keep_until=keep_until,
            )
        else:
            personal_data.scrub_model(Document.objects.filter(pk=document.pk), news.values)
            documents_dispose([document.pk])


def documents_dispose(document_ids: list[int]) -> int:
    """Empty these documents' file and uploaded name (``张三身份证.jpg``), and delete the files once
    the transaction commits. Idempotent; returns the files to delete."""
    rows = Document.objects.filter(pk__in=document_ids)
    files = [d.file for d in rows]
    rows.update(file="", original_name="")
    return personal_data.delete_files_on_commit(files)


@listen(KeptRecordsExpired)
def dispose_documents(news: KeptRecordsExpired) -> None:
    if ids := news.ids_of(Document._meta.label):
        documents_dispose(ids)


def register() -> None:
    personal_data.register_section("documents", documents, title=gettext_lazy("交易资料"), order=62)
